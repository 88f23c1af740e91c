"""For every workflow step: its page (the deputy's suggestion page, the unit's workspace, the
staff's admin page) is rendered in each state and for each role, and the step's button is shown
exactly when its service would accept the step (tried in a savepoint that is rolled back)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from anping.errors import DomainError
from proposals import services
from proposals.models import Assignment, CoSigner, Suggestion
from tests.conftest import make_user

from . import factories as f

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def accepts(fn, **kwargs) -> bool:
    """Would the service take the step now? Tried for real, then rolled back."""
    try:
        with transaction.atomic():
            fn(**kwargs)
            raise _Rollback
    except _Rollback:
        return True
    except DomainError:
        return False


@dataclass
class World:
    s: Suggestion
    deputy: object
    cosigner: object
    unit_staff: object
    co_staff: object
    staff: object
    staff2: object
    pool: object
    spare_unit: object

    def fresh(self) -> Suggestion:
        return Suggestion.objects.get(pk=self.s.pk)

    def assignment(self, user) -> Assignment | None:
        return (
            Assignment.objects.filter(suggestion=self.s, unit_id=user.organisation_id)
            .order_by("-round", "-pk")
            .first()
        )


def _build(state, deputy, cosigner, staff, unit_staff, co_staff) -> Suggestion:
    co = [co_staff.organisation]
    if state == "draft":
        return f.draft(deputy)
    if state == "draft_invited":
        s = f.draft(deputy)
        services.cosigner_invite(suggestion=s, person=cosigner.deputy, by=deputy)
        return s
    if state == "submitted":
        return f.submitted(deputy)
    if state == "registered":
        return f.registered(deputy, staff)
    if state == "key":
        s = f.registered(deputy, staff)
        services.key_choose(suggestion=s, by=staff)
        services.key_supervisor_set(suggestion=s, supervisor=staff, by=staff)
        return s
    if state in ("assigned", "contacted", "co_done"):
        s = f.assigned(deputy, staff, unit_staff.organisation, co_units=co)
        lead = s.assignments.get(role="lead")
        if state in ("contacted", "co_done"):
            services.contact_record(
                assignment=lead,
                by=unit_staff,
                contacted_on=dt.date.today(),
                method="phone",
                notes="电话沟通",
            )
        if state == "co_done":
            services.co_opinion_send(
                assignment=s.assignments.get(role="co"), by=co_staff, opinion="同意"
            )
        return s
    if state == "sent_back":
        s = f.assigned(deputy, staff, unit_staff.organisation)
        services.assignment_send_back(
            assignment=s.assignments.get(), by=unit_staff, reason="不属本单位职责"
        )
        return s
    if state == "answered":
        return f.answered(deputy, staff, unit_staff)
    if state == "closed_basic":
        s = f.answered(deputy, staff, unit_staff)
        services.feedback_give(suggestion=s, by=deputy, verdict="basic")
        return s
    raise AssertionError(state)


STATES = [
    "draft",
    "draft_invited",
    "submitted",
    "registered",
    "key",
    "assigned",
    "contacted",
    "co_done",
    "sent_back",
    "answered",
    "closed_basic",
]


# --- the steps: (page, marker in the page, the service call) --------------------------------


def _detail(w, user):
    return reverse("proposals:detail", args=[w.s.pk])


def _unit(w, user):
    a = w.assignment(user)
    return reverse("proposals:unit_assignment", args=[a.pk]) if a else None


def _admin(w, user):
    return reverse("admin:proposals_suggestion_change", args=[w.s.pk])


def _key(w, user):
    s = w.fresh()
    if accepts(services.key_choose, suggestion=s, by=user):
        return True
    return accepts(services.key_supervisor_set, suggestion=w.fresh(), supervisor=user, by=user)


def _evaluate(w, user):
    s = w.fresh()
    grounds = sorted(services.evaluation_grounds(s)) or ["basic"]
    return accepts(
        services.evaluation_send, suggestion=s, by=user, reason=grounds[0], evaluator=w.pool
    )


def _reassign(w, user):
    a = Assignment.objects.filter(suggestion=w.s, status="sent_back").first()
    if a is None:
        return False
    return accepts(services.assignment_reassign, assignment=a, unit=w.spare_unit, by=user)


STEPS = {
    # the deputy's page
    "submit": (
        _detail,
        lambda w: f'action="{reverse("proposals:submit", args=[w.s.pk])}"',
        lambda w, u: accepts(services.suggestion_submit, suggestion=w.fresh(), by=u),
    ),
    "edit": (
        _detail,
        lambda w: f'href="{reverse("proposals:edit", args=[w.s.pk])}"',
        lambda w, u: accepts(
            services.suggestion_update,
            suggestion=w.fresh(),
            by=u,
            title="新标题",
            body="新正文",
            category="urban",
        ),
    ),
    "cosign": (
        _detail,
        lambda w: f'action="{reverse("proposals:cosign", args=[w.s.pk])}"',
        lambda w, u: any(
            accepts(services.cosigner_respond, cosigner=c, by=u, accept=True)
            for c in CoSigner.objects.filter(suggestion=w.s, person__user=u)
        ),
    ),
    "feedback": (
        _detail,
        lambda w: f'action="{reverse("proposals:feedback", args=[w.s.pk])}"',
        lambda w, u: accepts(
            services.feedback_give, suggestion=w.fresh(), by=u, verdict="satisfied"
        ),
    ),
    "ask_evaluation": (
        _detail,
        lambda w: f'action="{reverse("proposals:ask_evaluation", args=[w.s.pk])}"',
        lambda w, u: accepts(
            services.evaluation_request, suggestion=w.fresh(), by=u, note="请第三方评估"
        ),
    ),
    # the unit's workspace
    "send_back": (
        _unit,
        lambda w: 'value="send_back"',
        lambda w, u: accepts(
            services.assignment_send_back, assignment=w.assignment(u), by=u, reason="不属职责"
        ),
    ),
    "extension": (
        _unit,
        lambda w: 'value="extension"',
        lambda w, u: accepts(
            services.extension_request,
            assignment=w.assignment(u),
            by=u,
            months=1,
            reason="需要更多时间",
        ),
    ),
    "contact": (
        _unit,
        lambda w: 'value="contact"',
        lambda w, u: accepts(
            services.contact_record,
            assignment=w.assignment(u),
            by=u,
            contacted_on=dt.date.today(),
            method="phone",
            notes="电话",
        ),
    ),
    "opinion": (
        _unit,
        lambda w: 'value="opinion"',
        lambda w, u: accepts(
            services.co_opinion_send, assignment=w.assignment(u), by=u, opinion="同意"
        ),
    ),
    "reply": (
        _unit,
        lambda w: 'value="reply"',
        lambda w, u: accepts(
            services.reply_give, assignment=w.assignment(u), by=u, text="答复", grade="A"
        ),
    ),
    # the staff's admin page
    "review": (
        _admin,
        lambda w: reverse("admin:proposals_suggestion_review", args=[w.s.pk]),
        lambda w, u: accepts(services.suggestion_register, suggestion=w.fresh(), by=u),
    ),
    "assign": (
        _admin,
        lambda w: reverse("admin:proposals_suggestion_assign") + f"?ids={w.s.pk}",
        lambda w, u: accepts(
            services.suggestion_assign, suggestion=w.fresh(), by=u, lead=w.spare_unit
        ),
    ),
    "key": (_admin, lambda w: reverse("admin:proposals_suggestion_key", args=[w.s.pk]), _key),
    "supervise": (
        _admin,
        lambda w: reverse("admin:proposals_suggestion_supervise", args=[w.s.pk]),
        lambda w, u: accepts(
            services.supervision_record,
            suggestion=w.fresh(),
            by=u,
            kind="visit",
            held_on=dt.date.today(),
            description="督办",
        ),
    ),
    "evaluate": (
        _admin,
        lambda w: reverse("admin:proposals_suggestion_evaluate", args=[w.s.pk]),
        _evaluate,
    ),
    "reassign": (_admin, lambda w: "/reassign/", _reassign),
}

# Who sees which page: the lead deputy and an invited co-signer (the deputy's page), the lead
# unit and the co-unit (their workspace, and the suggestion page for asking evaluation), the
# staff member who supervises key suggestions and a colleague who does not (the admin).
ROLES = {
    _detail: ("deputy", "cosigner", "unit_staff"),
    _unit: ("unit_staff", "co_staff"),
    _admin: ("staff", "staff2"),
}


@pytest.fixture
def people(deputy_user, cosigner_user, city_staff, unit_staff, other_unit_staff, unit3, pool):
    staff2 = make_user("city2", "city_staff", region=city_staff.region, first_name="郑洁")
    return dict(
        deputy=deputy_user,
        cosigner=cosigner_user,
        staff=city_staff,
        staff2=staff2,
        unit_staff=unit_staff,
        co_staff=other_unit_staff,
        pool=pool,
        spare_unit=unit3,
    )


@pytest.mark.parametrize("state", STATES)
def test_each_button_is_shown_exactly_when_its_service_accepts(client, people, state):
    s = _build(
        state,
        people["deputy"],
        people["cosigner"],
        people["staff"],
        people["unit_staff"],
        people["co_staff"],
    )
    w = World(s=s, **people)
    checked = 0
    mismatches = []
    for step, (page, marker, service) in STEPS.items():
        for role in ROLES[page]:
            user = people[role]
            url = page(w, user)
            if url is None:
                continue
            client.force_login(user)
            response = client.get(url)
            if response.status_code == 404:
                # A page the role may not see offers no button; the service refuses too.
                shown = False
            else:
                assert response.status_code == 200, (step, role, response.status_code)
                shown = marker(w) in response.content.decode()
            accepted = service(w, user)
            checked += 1
            if shown != accepted:
                mismatches.append((step, role, f"shown={shown}", f"accepted={accepted}"))
    assert not mismatches, mismatches
    assert checked >= 20
