"""Handling beyond one unit's answer: co-units, split suggestions, send-back and reassignment,
merged duplicates, re-handling, evaluation, key suggestions, commitments."""

import datetime as dt

import pytest

from anping.errors import DomainError
from proposals import services
from proposals.models import Assignment, Commitment, Evaluation, Suggestion, Transition

from . import factories as f

pytestmark = pytest.mark.django_db


def test_lead_unit_waits_for_the_co_units_opinion(
    deputy_user, city_staff, unit_staff, other_unit_staff
):
    s = f.assigned(
        deputy_user, city_staff, unit_staff.organisation, co_units=[other_unit_staff.organisation]
    )
    lead = s.assignments.get(role="lead")
    services.contact_record(
        assignment=lead, by=unit_staff, contacted_on=dt.date.today(), method="phone", notes="沟通"
    )
    with pytest.raises(DomainError, match="安阳市交通运输局"):
        services.reply_give(assignment=lead, by=unit_staff, text="答复", grade="A")
    with pytest.raises(DomainError):
        services.reply_give(
            assignment=s.assignments.get(role="co"), by=other_unit_staff, text="答复", grade="A"
        )
    services.co_opinion_send(
        assignment=s.assignments.get(role="co"),
        by=other_unit_staff,
        opinion="同意主办单位意见，配合做好道路改造",
    )
    services.reply_give(assignment=lead, by=unit_staff, text="答复", grade="A")
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.ANSWERED


def test_split_suggestion_is_answered_when_every_unit_answered_its_part(
    deputy_user, city_staff, unit_staff, other_unit_staff
):
    s = f.registered(deputy_user, city_staff)
    services.suggestion_assign(
        suggestion=s,
        by=city_staff,
        split_units=[unit_staff.organisation, other_unit_staff.organisation],
    )
    for staff in (unit_staff, other_unit_staff):
        f.reply(Suggestion.objects.get(pk=s.pk), staff)
        if staff is unit_staff:
            assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.ASSIGNED
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.ANSWERED
    assert s.replies.count() == 2


def test_sent_back_suggestion_goes_to_another_unit_with_fresh_deadlines(
    deputy_user, city_staff, unit_staff, unit3
):
    s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    a = s.assignments.get()
    services.assignment_send_back(assignment=a, by=unit_staff, reason="属财政职责")
    with pytest.raises(DomainError):
        services.assignment_send_back(assignment=a, by=unit_staff, reason="again")
    new = services.assignment_reassign(assignment=a, unit=unit3, by=city_staff)
    assert new.role == Assignment.Role.LEAD and new.status == Assignment.Status.OPEN
    assert Assignment.objects.get(pk=a.pk).status == Assignment.Status.REPLACED
    steps = list(Transition.objects.filter(suggestion=s).values_list("action", "reason"))
    assert ("send_back", "安阳市住房和城乡建设局：属财政职责") in steps


def test_merged_duplicate_every_deputy_gets_the_answer_and_gives_feedback(
    deputy_user, other_deputy_user, city_staff, unit_staff
):
    main = f.registered(deputy_user, city_staff)
    dup = f.submitted(other_deputy_user, title="关于老旧小区加装电梯补贴的建议")
    services.suggestion_merge(duplicate=dup, into=main, by=city_staff)
    assert Suggestion.objects.get(pk=dup.pk).status == Suggestion.Status.MERGED
    services.suggestion_assign(suggestion=main, by=city_staff, lead=unit_staff.organisation)
    f.reply(Suggestion.objects.get(pk=main.pk), unit_staff)
    assert Suggestion.objects.visible_to(other_deputy_user).filter(pk=main.pk).exists()
    titles = set(other_deputy_user.notifications.values_list("title", flat=True))
    assert any("已答复" in t for t in titles)
    services.feedback_give(suggestion=main, by=deputy_user, verdict="satisfied")
    assert (
        Suggestion.objects.get(pk=main.pk).status == Suggestion.Status.ANSWERED
    )  # awaits the other
    services.feedback_give(suggestion=main, by=other_deputy_user, verdict="basic")
    assert Suggestion.objects.get(pk=main.pk).status == Suggestion.Status.CLOSED


def test_not_satisfied_twice_closes_and_requests_evaluation(
    deputy_user, city_staff, unit_staff, pool
):
    s = f.answered(deputy_user, city_staff, unit_staff, grade="B")
    services.feedback_give(
        suggestion=s, by=deputy_user, verdict="not_satisfied", comment="没有落实"
    )
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Suggestion.Status.REHANDLING and s.round == 2
    f.reply(s, unit_staff, grade="A")
    services.feedback_give(
        suggestion=s, by=deputy_user, verdict="not_satisfied", comment="仍未解决"
    )
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Suggestion.Status.CLOSED
    ev = Evaluation.objects.get(suggestion=s)
    assert ev.reason == Evaluation.Reason.NOT_SATISFIED and ev.status == Evaluation.Status.REQUESTED
    ev = services.evaluation_send(suggestion=s, by=city_staff, reason="", evaluator=pool)
    services.evaluation_verdict(
        evaluation=ev, by=pool, verdict="again", opinion="答复空泛，未落实承诺"
    )
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Suggestion.Status.REHANDLING and s.round == 3


def test_evaluation_grounds_are_checked(deputy_user, city_staff, unit_staff, pool):
    s = f.answered(deputy_user, city_staff, unit_staff)
    services.feedback_give(suggestion=s, by=deputy_user, verdict="satisfied")
    for reason in ("not_satisfied", "basic", "repeated", "key"):
        with pytest.raises(DomainError, match="不符合"):
            services.evaluation_send(suggestion=s, by=city_staff, reason=reason, evaluator=pool)
    with pytest.raises(DomainError, match="自行申请"):
        services.evaluation_send(suggestion=s, by=city_staff, reason="deputy_asked", evaluator=pool)


def test_evaluator_sees_only_their_cases(
    deputy_user, city_staff, unit_staff, pool, anyang, city_term
):
    from proposals.models import EvaluatorAppointment
    from tests.conftest import make_user

    other = make_user("evaluator2", "evaluator", region=anyang)
    EvaluatorAppointment.objects.create(user=other, term=city_term)
    s = f.answered(deputy_user, city_staff, unit_staff)
    services.feedback_give(suggestion=s, by=deputy_user, verdict="basic")
    services.evaluation_send(suggestion=s, by=city_staff, reason="basic", evaluator=pool)
    assert list(Suggestion.objects.visible_to(pool)) == [s]
    assert not Suggestion.objects.visible_to(other).exists()
    assert not Evaluation.objects.visible_to(other).exists()


def test_key_suggestion_three_gates(deputy_user, city_staff, unit_staff, pool):
    s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    services.key_choose(suggestion=s, by=city_staff, note="年度重点督办")
    with pytest.raises(DomainError, match="督办领导"):
        services.supervision_record(
            suggestion=s, by=city_staff, kind="visit", held_on=dt.date.today(), description="走访"
        )
    services.key_supervisor_set(suggestion=s, supervisor=city_staff, by=city_staff)
    services.supervision_record(
        suggestion=s,
        by=city_staff,
        kind="meeting",
        held_on=dt.date.today(),
        description="召开督办座谈会",
    )
    f.reply(Suggestion.objects.get(pk=s.pk), unit_staff)
    s = Suggestion.objects.get(pk=s.pk)
    services.feedback_give(suggestion=s, by=deputy_user, verdict="satisfied")
    ev = services.evaluation_send(suggestion=s, by=city_staff, reason="key", evaluator=pool)
    services.evaluation_verdict(
        evaluation=ev, by=pool, verdict="proper", opinion="督办有力，办理到位"
    )
    actions = list(Transition.objects.filter(suggestion=s).values_list("action", flat=True))
    assert {"key", "supervisor", "supervision", "evaluation_send", "evaluation_verdict"} <= set(
        actions
    )


def test_b_reply_needs_commitments_and_they_are_followed(
    deputy_user, city_staff, unit_staff, other_unit_staff
):
    s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    a = s.assignments.get()
    services.contact_record(
        assignment=a, by=unit_staff, contacted_on=dt.date.today(), method="phone", notes="沟通"
    )
    with pytest.raises(DomainError, match="B类"):
        services.reply_give(assignment=a, by=unit_staff, text="列入计划", grade="B")
    due = dt.date.today() + dt.timedelta(days=10)
    services.reply_give(
        assignment=a, by=unit_staff, text="列入计划", grade="B", commitments=[("年内完成加装", due)]
    )
    c = Commitment.objects.get()
    assert not Commitment.objects.overdue().exists()
    assert Commitment.objects.overdue(today=due + dt.timedelta(days=1)).get() == c
    with pytest.raises(DomainError):
        services.commitment_fulfil(
            commitment=c, by=other_unit_staff, evidence="x", done_on=dt.date.today()
        )
    with pytest.raises(DomainError, match="佐证"):
        services.commitment_fulfil(
            commitment=c, by=unit_staff, evidence="", done_on=dt.date.today()
        )
    services.commitment_fulfil(
        commitment=c, by=unit_staff, evidence="已完成12部电梯加装", done_on=dt.date.today()
    )
    assert Commitment.objects.get().status == Commitment.Status.DONE
