"""Every step, tried by every role: the one it belongs to succeeds; everyone else is refused
with a message and changes nothing (no status, no history row)."""

import datetime as dt

import pytest

from anping.errors import DomainError
from proposals import services
from proposals.models import CoSigner, ExtensionRequest, Suggestion, Transition

from . import factories as f

pytestmark = pytest.mark.django_db

ROLES = [
    "city_staff",
    "county_staff",
    "lead",
    "cosigner",
    "other_deputy",
    "unit",
    "other_unit",
    "evaluator",
    "outsider",
]


@pytest.fixture
def actors(
    city_staff,
    county_staff,
    deputy_user,
    cosigner_user,
    other_deputy_user,
    unit_staff,
    other_unit_staff,
    pool,
    outsider,
):
    return {
        "city_staff": city_staff,
        "county_staff": county_staff,  # 林州市: the suggestion (文峰区) is outside their region
        "lead": deputy_user,
        "cosigner": cosigner_user,
        "other_deputy": other_deputy_user,
        "unit": unit_staff,
        "other_unit": other_unit_staff,
        "evaluator": pool,
        "outsider": outsider,
    }


def _draft_with_cosigner(a):
    s = f.draft(a["lead"])
    services.cosigner_invite(suggestion=s, person=a["cosigner"].deputy, by=a["lead"])
    return s


def _confirmed(a):
    s = _draft_with_cosigner(a)
    services.cosigner_respond(cosigner=s.cosigners.get(), by=a["cosigner"], accept=True)
    return s


def _submitted(a):
    s = _confirmed(a)
    return services.suggestion_submit(suggestion=s, by=a["lead"])


def _registered(a):
    return services.suggestion_register(suggestion=_submitted(a), by=a["city_staff"])


def _assigned(a):
    s = _registered(a)
    services.suggestion_assign(suggestion=s, by=a["city_staff"], lead=a["unit"].organisation)
    return Suggestion.objects.get(pk=s.pk)


def _contacted(a):
    s = _assigned(a)
    services.contact_record(
        assignment=s.assignments.get(),
        by=a["unit"],
        contacted_on=dt.date.today(),
        method="phone",
        notes="电话沟通",
    )
    return s


def _answered_b(a):
    s = _contacted(a)
    f.services.reply_give(
        assignment=s.assignments.get(),
        by=a["unit"],
        text="正在办理",
        grade="B",
        commitments=[("明年完成", dt.date.today() + dt.timedelta(days=90))],
    )
    return Suggestion.objects.get(pk=s.pk)


def _closed_basic(a):
    s = _answered_b(a)
    services.feedback_give(suggestion=s, by=a["lead"], verdict="basic")
    return Suggestion.objects.get(pk=s.pk)


# step name → (set-up, the step called by an actor, who may take it)
STEPS = {
    "edit draft": (
        _confirmed,
        lambda s, u, a: services.suggestion_update(
            suggestion=s, by=u, title="新标题", body="新正文", category="other"
        ),
        {"lead"},
    ),
    "invite co-signer": (
        lambda a: f.draft(a["lead"]),
        lambda s, u, a: services.cosigner_invite(
            suggestion=s, person=a["other_deputy"].deputy, by=u
        ),
        {"lead"},
    ),
    "confirm co-signature": (
        _draft_with_cosigner,
        lambda s, u, a: services.cosigner_respond(cosigner=s.cosigners.get(), by=u, accept=True),
        {"cosigner"},
    ),
    "submit": (
        _confirmed,
        lambda s, u, a: services.suggestion_submit(suggestion=s, by=u),
        {"lead"},
    ),
    "register": (
        _submitted,
        lambda s, u, a: services.suggestion_register(suggestion=s, by=u),
        {"city_staff"},
    ),
    "return to deputy": (
        _submitted,
        lambda s, u, a: services.suggestion_return(suggestion=s, by=u, reason="请补充调研数据"),
        {"city_staff"},
    ),
    "decline": (
        _submitted,
        lambda s, u, a: services.suggestion_decline(
            suggestion=s, by=u, reason="属于个人诉求，转信访"
        ),
        {"city_staff"},
    ),
    "assign": (
        _registered,
        lambda s, u, a: services.suggestion_assign(suggestion=s, by=u, lead=a["unit"].organisation),
        {"city_staff"},
    ),
    "send back": (
        _assigned,
        lambda s, u, a: services.assignment_send_back(
            assignment=s.assignments.get(), by=u, reason="不属本单位职责"
        ),
        {"unit"},
    ),
    "ask extension": (
        _assigned,
        lambda s, u, a: services.extension_request(
            assignment=s.assignments.get(), by=u, months=2, reason="需列入明年预算"
        ),
        {"unit"},
    ),
    "record contact": (
        _assigned,
        lambda s, u, a: services.contact_record(
            assignment=s.assignments.get(),
            by=u,
            contacted_on=dt.date.today(),
            method="visit",
            notes="上门沟通",
        ),
        {"unit"},
    ),
    "reply": (
        _contacted,
        lambda s, u, a: services.reply_give(
            assignment=s.assignments.get(), by=u, text="已解决", grade="A"
        ),
        {"unit"},
    ),
    "feedback": (
        _answered_b,
        lambda s, u, a: services.feedback_give(suggestion=s, by=u, verdict="satisfied"),
        {"lead"},
    ),
    "commitment carried out": (
        _answered_b,
        lambda s, u, a: services.commitment_fulfil(
            commitment=s.replies.get().commitments.get(),
            by=u,
            evidence="已完成改造，见验收报告",
            done_on=dt.date.today(),
        ),
        {"unit"},
    ),
    "choose key suggestion": (
        _assigned,
        lambda s, u, a: services.key_choose(suggestion=s, by=u),
        {"city_staff"},
    ),
    "ask evaluation": (
        _answered_b,
        lambda s, u, a: services.evaluation_request(suggestion=s, by=u, note="希望第三方评估"),
        {"lead", "unit"},
    ),
    "send to evaluation": (
        _closed_basic,
        lambda s, u, a: services.evaluation_send(
            suggestion=s, by=u, reason="basic", evaluator=a["evaluator"]
        ),
        {"city_staff"},
    ),
}


def _snapshot(s):
    s = Suggestion.objects.get(pk=s.pk)
    return (s.status, Transition.objects.filter(suggestion=s).count(), s.is_key)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_only_by_its_role(step, role, actors):
    setup, run, allowed = STEPS[step]
    s = setup(actors)
    s = Suggestion.objects.get(pk=s.pk)
    before = _snapshot(s)
    if role in allowed:
        run(s, actors[role], actors)
        assert _snapshot(s) != before, "the step must be recorded"
    else:
        with pytest.raises(DomainError) as exc:
            run(s, actors[role], actors)
        assert exc.value.message  # a message for the person (Chinese in the UI)
        assert _snapshot(s) == before


@pytest.mark.parametrize("role", ROLES)
def test_extension_decided_only_by_staff(role, actors):
    s = _assigned(actors)
    req = services.extension_request(
        assignment=s.assignments.get(), by=actors["unit"], months=1, reason="需协调资金"
    )
    before = _snapshot(s)
    if role == "city_staff":
        services.extension_decide(request=req, by=actors[role], approve=True)
        assert ExtensionRequest.objects.get(pk=req.pk).status == ExtensionRequest.Status.APPROVED
    else:
        with pytest.raises(DomainError):
            services.extension_decide(request=req, by=actors[role], approve=True)
        assert ExtensionRequest.objects.get(pk=req.pk).status == ExtensionRequest.Status.PENDING
        assert _snapshot(s) == before


@pytest.mark.parametrize("role", ROLES)
def test_reassign_only_by_staff(role, actors, unit3):
    s = _assigned(actors)
    a = s.assignments.get()
    services.assignment_send_back(assignment=a, by=actors["unit"], reason="不属本单位职责")
    before = _snapshot(s)
    if role == "city_staff":
        services.assignment_reassign(assignment=a, unit=unit3, by=actors[role])
        assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.ASSIGNED
    else:
        with pytest.raises(DomainError):
            services.assignment_reassign(assignment=a, unit=unit3, by=actors[role])
        assert _snapshot(s) == before


@pytest.mark.parametrize("role", ROLES)
def test_verdict_only_by_the_cases_evaluator(role, actors):
    s = _closed_basic(actors)
    ev = services.evaluation_send(
        suggestion=s, by=actors["city_staff"], reason="basic", evaluator=actors["evaluator"]
    )
    before = _snapshot(s)
    if role == "evaluator":
        services.evaluation_verdict(
            evaluation=ev, by=actors[role], verdict="proper", opinion="办理规范，答复具体"
        )
    else:
        with pytest.raises(DomainError):
            services.evaluation_verdict(
                evaluation=ev, by=actors[role], verdict="proper", opinion="x"
            )
        assert _snapshot(s) == before


def test_county_staff_act_on_their_own_regions_suggestions(county_staff, other_deputy_user):
    """A 林州市 deputy's suggestion is within 林州市 staff's region."""
    s = f.submitted(other_deputy_user)
    services.suggestion_register(suggestion=s, by=county_staff)
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.REGISTERED


def test_steps_in_the_wrong_state_are_refused_and_change_nothing(actors):
    s = _submitted(actors)
    with pytest.raises(DomainError, match="当前状态"):
        services.suggestion_assign(
            suggestion=s, by=actors["city_staff"], lead=actors["unit"].organisation
        )
    with pytest.raises(DomainError):
        services.suggestion_submit(suggestion=s, by=actors["lead"])
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.SUBMITTED
    assert not s.assignments.exists()


def test_submission_waits_for_invited_cosigners(actors):
    s = _draft_with_cosigner(actors)
    with pytest.raises(DomainError, match="尚未确认"):
        services.suggestion_submit(suggestion=s, by=actors["lead"])
    services.cosigner_withdraw(cosigner=s.cosigners.get(), by=actors["lead"])
    services.suggestion_submit(suggestion=s, by=actors["lead"])
    assert s.cosigners.get().status == CoSigner.Status.WITHDRAWN


def test_cosigner_sees_the_suggestion_and_the_answer_but_cannot_give_feedback(actors):
    s = _answered_b(actors)
    assert Suggestion.objects.visible_to(actors["cosigner"]).filter(pk=s.pk).exists()
    with pytest.raises(DomainError):
        services.feedback_give(suggestion=s, by=actors["cosigner"], verdict="satisfied")
