"""Every admin action and custom button of the suggestions admin, through the admin's HTTP path,
as each staff role allowed to use it, and as a county's staff outside the suggestion's region:
the database afterwards shows the step done, or nothing written."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import (
    Assignment,
    Evaluation,
    EvaluatorAppointment,
    ExtensionRequest,
    RepeatLink,
    Suggestion,
    SupervisionEvent,
)

from . import factories as f

pytestmark = pytest.mark.django_db

S = Suggestion.Status
CHANGELIST = "admin:proposals_suggestion_changelist"


@pytest.fixture(params=["city", "county", "outside"])
def case(
    request,
    city_staff,
    county_staff,
    deputy_user,
    other_deputy_user,
    unit_staff,
    other_unit_staff,
    linzhou_unit_staff,
    linzhou_unit2_staff,
):
    """Who acts on whose suggestion: city staff on a 文峰区 deputy's; 林州市 staff on a 林州市
    deputy's (their region); 林州市 staff on the 文峰区 deputy's (outside: nothing happens).
    `setup` brings the suggestion to the state the step needs; `units` are the handling units
    the actor would name (their own region's)."""
    who = request.param
    if who == "city":
        return SimpleNamespace(
            who=who,
            allowed=True,
            actor=city_staff,
            setup=city_staff,
            deputy=deputy_user,
            unit_staff=unit_staff,
            other_unit_staff=other_unit_staff,
        )
    if who == "county":
        return SimpleNamespace(
            who=who,
            allowed=True,
            actor=county_staff,
            setup=county_staff,
            deputy=other_deputy_user,
            unit_staff=linzhou_unit_staff,
            other_unit_staff=linzhou_unit2_staff,
        )
    return SimpleNamespace(
        who=who,
        allowed=False,
        actor=county_staff,
        setup=city_staff,
        deputy=deputy_user,
        unit_staff=unit_staff,
        other_unit_staff=linzhou_unit2_staff,
    )


def _action(client, action, ids, url=CHANGELIST, **extra):
    return client.post(
        reverse(url), {"action": action, "_selected_action": [str(i) for i in ids], **extra}
    )


def _status(s) -> str:
    return Suggestion.objects.get(pk=s.pk).status


def test_register_selected(client, case):
    s = f.submitted(case.deputy)
    client.force_login(case.actor)
    response = _action(client, "register_selected", [s.pk])
    assert response.status_code == 302
    assert _status(s) == (S.REGISTERED if case.allowed else S.SUBMITTED)
    assert bool(Suggestion.objects.get(pk=s.pk).number) is case.allowed


@pytest.mark.parametrize(
    ("action", "after"), [("return_selected", S.RETURNED), ("decline_selected", S.DECLINED)]
)
def test_reason_actions(client, case, action, after):
    s = f.submitted(case.deputy)
    client.force_login(case.actor)
    page = _action(client, action, [s.pk])
    if case.allowed:
        # The first post asks for the reason; nothing changed yet.
        assert page.status_code == 200 and _status(s) == S.SUBMITTED
        # No reason: refused with a Chinese message, nothing changed.
        _action(client, action, [s.pk], apply="1", reason="")
        assert _status(s) == S.SUBMITTED
    _action(client, action, [s.pk], apply="1", reason="请补充调研数据")
    assert _status(s) == (after if case.allowed else S.SUBMITTED)


def test_assign_selected_and_the_assign_page(client, case):
    s = f.registered(case.deputy, case.setup)
    client.force_login(case.actor)
    response = _action(client, "assign_selected", [s.pk])
    assert response.status_code == 302
    lead, co = case.unit_staff.organisation, case.other_unit_staff.organisation
    response = client.post(
        reverse("admin:proposals_suggestion_assign") + f"?ids={s.pk}",
        {"mode": "lead", "lead": lead.pk, "co_units": [co.pk]},
    )
    if case.allowed:
        assert _status(s) == S.ASSIGNED
        assert set(s.assignments.values_list("unit_id", "role")) == {
            (lead.pk, "lead"),
            (co.pk, "co"),
        }
    else:
        assert response.status_code == 404
        assert _status(s) == S.REGISTERED and not s.assignments.exists()


def test_review_button(client, case):
    s = f.submitted(case.deputy)
    client.force_login(case.actor)
    url = reverse("admin:proposals_suggestion_review", args=[s.pk])
    response = client.post(url, {"decision": "register"})
    if case.allowed:
        assert _status(s) == S.REGISTERED
        # A second review of the same suggestion is refused, not done twice.
        client.post(url, {"decision": "decline", "reason": "重复"})
        assert _status(s) == S.REGISTERED
    else:
        assert response.status_code == 404 and _status(s) == S.SUBMITTED


def test_reassign_button(client, case, linzhou_unit2, unit3):
    s = f.assigned(case.deputy, case.setup, case.unit_staff.organisation)
    a = s.assignments.get()
    services.assignment_send_back(assignment=a, by=case.unit_staff, reason="不属本单位职责")
    new_unit = case.other_unit_staff.organisation
    client.force_login(case.actor)
    url = reverse("admin:proposals_suggestion_reassign", args=[s.pk, a.pk])
    response = client.post(url, {"unit": new_unit.pk})
    if case.allowed:
        assert _status(s) == S.ASSIGNED
        assert s.assignments.get(status="open").unit == new_unit
    else:
        assert response.status_code == 404
        assert _status(s) == S.SENT_BACK and not s.assignments.filter(status="open").exists()


def test_choose_key_action_and_the_key_button(client, case, city_staff, county_staff):
    s = f.registered(case.deputy, case.setup)
    client.force_login(case.actor)
    _action(client, "choose_key", [s.pk])
    assert Suggestion.objects.get(pk=s.pk).is_key is case.allowed
    t = f.registered(case.deputy, case.setup, title="关于治理河道污染的建议")
    response = client.post(
        reverse("admin:proposals_suggestion_key", args=[t.pk]), {"supervisor": case.actor.pk}
    )
    t.refresh_from_db()
    if case.allowed:
        assert t.is_key and t.key_supervisor == case.actor
    else:
        assert response.status_code == 404 and not t.is_key and t.key_supervisor is None


def test_supervise_button(client, case):
    s = f.registered(case.deputy, case.setup)
    services.key_choose(suggestion=s, by=case.setup)
    services.key_supervisor_set(suggestion=s, supervisor=case.setup, by=case.setup)
    client.force_login(case.actor)
    response = client.post(
        reverse("admin:proposals_suggestion_supervise", args=[s.pk]),
        {"kind": "visit", "held_on": dt.date.today().isoformat(), "description": "赴承办单位督办"},
    )
    assert SupervisionEvent.objects.filter(suggestion=s).exists() is case.allowed
    if not case.allowed:
        assert response.status_code == 404


def test_evaluate_button(client, case, pool, city_term):
    s = f.answered(case.deputy, case.setup, case.unit_staff)
    services.feedback_give(suggestion=s, by=case.deputy, verdict="basic")
    client.force_login(case.actor)
    response = client.post(
        reverse("admin:proposals_suggestion_evaluate", args=[s.pk]),
        {"reason": "basic", "evaluator": pool.pk},
    )
    ev = Evaluation.objects.filter(suggestion=s, evaluator=pool, status="assigned")
    assert ev.exists() is case.allowed
    if not case.allowed:
        assert response.status_code == 404


def test_similar_page_buttons(client, case):
    s = f.submitted(case.deputy)
    dup = f.submitted(case.deputy, title=f.TITLE + "（二）")
    client.force_login(case.actor)
    url = reverse("admin:proposals_suggestion_similar", args=[s.pk])
    response = client.post(url, {"do": "merge_here", "other": dup.pk})
    if case.allowed:
        assert _status(dup) == S.MERGED and Suggestion.objects.get(pk=dup.pk).merged_into == s
    else:
        assert response.status_code == 404 and _status(dup) == S.SUBMITTED
    third = f.submitted(case.deputy, title=f.TITLE + "（三）")
    response = client.post(
        reverse("admin:proposals_suggestion_similar", args=[third.pk]),
        {"do": "merge_into", "other": s.pk},
    )
    assert (_status(third) == S.MERGED) is case.allowed


def test_similar_page_confirms_a_repeat(client, case):
    import time_machine

    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0), tick=False):
        earlier = f.submitted(case.deputy)
    s = f.submitted(case.deputy)
    client.force_login(case.actor)
    url = reverse("admin:proposals_suggestion_similar", args=[s.pk])
    # A score that is not a number is read as 0, not a 500.
    response = client.post(url, {"do": "repeat", "other": earlier.pk, "score": "abc"})
    assert response.status_code == (302 if case.allowed else 404)
    assert RepeatLink.objects.filter(suggestion=s, earlier=earlier).exists() is case.allowed


def test_merge_selected(client, case):
    a = f.submitted(case.deputy)
    b = f.submitted(case.deputy, title=f.TITLE + "（二）")
    client.force_login(case.actor)
    _action(client, "merge_selected", [a.pk, b.pk], apply="1", into=str(a.pk))
    assert (_status(b) == S.MERGED) is case.allowed
    assert _status(a) == S.SUBMITTED


def _extension(case) -> ExtensionRequest:
    s = f.assigned(case.deputy, case.setup, case.unit_staff.organisation)
    return services.extension_request(
        assignment=s.assignments.get(), by=case.unit_staff, months=2, reason="需跨年度安排资金"
    )


def test_extension_approve(client, case):
    req = _extension(case)
    due = req.assignment.due_date
    client.force_login(case.actor)
    response = _action(
        client, "approve", [req.pk], url="admin:proposals_extensionrequest_changelist"
    )
    assert response.status_code == 302
    req.refresh_from_db()
    a = Assignment.objects.get(pk=req.assignment_id)
    if case.allowed:
        assert req.status == "approved" and a.extension_months == 2 and a.due_date > due
    else:
        assert req.status == "pending" and a.extension_months == 0 and a.due_date == due


def test_extension_refuse(client, case):
    req = _extension(case)
    client.force_login(case.actor)
    url = "admin:proposals_extensionrequest_changelist"
    page = _action(client, "refuse", [req.pk], url=url)
    if case.allowed:
        assert page.status_code == 200 and "理由" in page.content.decode()
        _action(client, "refuse", [req.pk], url=url, apply="1", reason="")
        assert ExtensionRequest.objects.get(pk=req.pk).status == "pending"
    _action(client, "refuse", [req.pk], url=url, apply="1", reason="理由不充分")
    req.refresh_from_db()
    assert req.status == ("refused" if case.allowed else "pending")
    assert (req.decision_note == "理由不充分") is case.allowed


def test_extension_list_is_scoped(client, case):
    req = _extension(case)
    client.force_login(case.actor)
    page = client.get(reverse("admin:proposals_extensionrequest_changelist")).content.decode()
    assert ("需跨年度安排资金" in page) is case.allowed
    assert req.pk


def test_evaluator_pool_is_written_by_city_staff_only(
    client, city_staff, county_staff, evaluator, city_term
):
    add = reverse("admin:proposals_evaluatorappointment_add")
    data = {
        "user": evaluator.pk,
        "term": city_term.pk,
        "field": "法律",
        "appointed_on": "2024-01-08",
    }
    client.force_login(county_staff)
    assert client.post(add, data).status_code == 403
    assert not EvaluatorAppointment.objects.exists()
    client.force_login(city_staff)
    response = client.post(add, data)
    assert response.status_code == 302
    ap = EvaluatorAppointment.objects.get()
    assert (ap.user, ap.field) == (evaluator, "法律")
    # Not an evaluator account: refused, nothing written.
    client.post(add, {**data, "user": county_staff.pk})
    assert EvaluatorAppointment.objects.count() == 1
    delete = reverse("admin:proposals_evaluatorappointment_delete", args=[ap.pk])
    client.force_login(county_staff)
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.force_login(city_staff)
    client.post(delete, {"post": "yes"})
    assert not EvaluatorAppointment.objects.exists()
