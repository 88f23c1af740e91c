"""Third-party evaluation: requests, sending to an evaluator, the verdict, and the same problem
raised again."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.accounts.access import require_in_scope
from anping.accounts.models import User
from anping.errors import DomainError, NotAllowed

from ..models import (
    Evaluation,
    EvaluatorAppointment,
    Feedback,
    RepeatLink,
    Suggestion,
)
from .assignment import _start_rehandling
from .common import (
    A,
    S,
    _deputy_of,
    _lock,
    _notify,
    _now,
    _record,
    _require,
    _require_reason,
    _require_staff,
    _require_state,
    actor_label,
    allowed,
    feedback_givers,
)

EVALUABLE = (S.ANSWERED, S.REHANDLING, S.CLOSED)
OPEN_EVALUATION = (Evaluation.Status.REQUESTED, Evaluation.Status.ASSIGNED)
# The grounds on which staff send a case themselves (the others are asked for).
STAFF_GROUNDS = (
    Evaluation.Reason.NOT_SATISFIED,
    Evaluation.Reason.BASIC,
    Evaluation.Reason.REPEATED,
    Evaluation.Reason.KEY,
)


def _open_evaluation_request(s: Suggestion, reason: str, by, note: str) -> Evaluation | None:
    if Evaluation.objects.filter(suggestion=s, status__in=OPEN_EVALUATION).exists():
        return None
    ev = Evaluation.objects.create(suggestion=s, reason=reason, requested_by=by, request_note=note)
    _record(
        s, A.EVALUATION_ASK, s.status, by, ev.get_reason_display() + (f"：{note}" if note else "")
    )
    return ev


def _asker_reason(suggestion: Suggestion, user) -> str:
    """Why this person may ask: as the deputy, or as an answering unit; else refused."""
    role = access.role_of(user)
    if role == User.Role.DEPUTY:
        person = _deputy_of(user)
        if person is not None and person.pk in feedback_givers(suggestion):
            return Evaluation.Reason.DEPUTY_ASKED
    elif role == User.Role.UNIT_STAFF and any(
        a.unit_id == user.organisation_id and a.answers for a in suggestion.assignments.all()
    ):
        return Evaluation.Reason.UNIT_ASKED
    raise NotAllowed(_("Only the deputy or a handling unit of this suggestion may ask."))


def _check_ask_evaluation(suggestion: Suggestion, user) -> str:
    reason = _asker_reason(suggestion, user)
    _require_state(suggestion, EVALUABLE, _("ask for evaluation"))
    _require(
        not any(e.status in OPEN_EVALUATION for e in suggestion.evaluations.all()),
        _("This suggestion is already being evaluated."),
    )
    return reason


def may_ask_evaluation(suggestion: Suggestion, user) -> bool:
    """The deputy or an answering unit, once answered, while no evaluation is open."""
    return allowed(_check_ask_evaluation, suggestion, user)


def evaluation_request(*, suggestion: Suggestion, by, note: str) -> Evaluation:
    """The deputy (lead) or an answering unit asks for third-party evaluation."""
    note = _require_reason(note)
    _asker_reason(suggestion, by)
    with transaction.atomic():
        s = _lock(suggestion)
        reason = _check_ask_evaluation(s, by)
        ev = _open_evaluation_request(s, reason, by, note)
        _require(ev is not None, _("This suggestion is already being evaluated."))
    return ev


def _check_evaluator(evaluator, s: Suggestion) -> None:
    _require(
        access.role_of(evaluator) == User.Role.EVALUATOR
        and EvaluatorAppointment.objects.filter(user=evaluator, term_id=s.term_id).exists(),
        _("Choose an evaluator appointed to the pool for this term."),
    )


def evaluation_grounds(suggestion: Suggestion) -> set[str]:
    """The grounds on which staff may send it to evaluation themselves: not satisfied, basically
    satisfied, the same problem raised before, a key suggestion (through the relations, so a
    page that prefetched them asks nothing more)."""
    verdicts = {f.verdict for f in suggestion.feedback.all()}
    grounds = set()
    if Feedback.Verdict.NOT_SATISFIED in verdicts:
        grounds.add(Evaluation.Reason.NOT_SATISFIED)
    if Feedback.Verdict.BASIC in verdicts:
        grounds.add(Evaluation.Reason.BASIC)
    if suggestion.repeats.all():
        grounds.add(Evaluation.Reason.REPEATED)
    if suggestion.is_key:
        grounds.add(Evaluation.Reason.KEY)
    return grounds


def _check_send_evaluation(suggestion: Suggestion, user) -> None:
    _require_staff(user, suggestion)
    _require_state(suggestion, EVALUABLE, _("send it to evaluation"))
    evaluations = suggestion.evaluations.all()
    _require(
        not any(e.status == Evaluation.Status.ASSIGNED for e in evaluations),
        _("This suggestion is already being evaluated."),
    )
    _require(
        any(e.status == Evaluation.Status.REQUESTED for e in evaluations)
        or bool(evaluation_grounds(suggestion)),
        _("This suggestion does not meet any ground for evaluation."),
    )


def may_send_evaluation(suggestion: Suggestion, user) -> bool:
    """Staff of its region, once answered, unless an evaluator already has it."""
    return allowed(_check_send_evaluation, suggestion, user)


def evaluation_send(
    *, suggestion: Suggestion, by, reason: str, evaluator, note: str = ""
) -> Evaluation:
    """Staff send a case to an evaluator: not satisfied, basically satisfied (their choice), the
    same problem raised again (a confirmed earlier suggestion), a key suggestion (gate 3), or a
    request from the deputy or the unit awaiting an evaluator."""
    _require_staff(by, suggestion)
    _check_evaluator(evaluator, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        pending = (
            Evaluation.objects.select_for_update()
            .filter(suggestion=s, status__in=OPEN_EVALUATION)
            .first()
        )
        if pending is None and reason not in STAFF_GROUNDS:
            raise DomainError(
                _("The deputy or the unit asks for that kind of evaluation themselves.")
            )
        _check_send_evaluation(s, by)
        if pending is not None:
            ev = pending
        else:
            _require(
                reason in evaluation_grounds(s),
                _("This suggestion does not meet that ground for evaluation."),
            )
            ev = Evaluation(suggestion=s, reason=reason, requested_by=by, request_note=note)
        ev.evaluator, ev.status = evaluator, Evaluation.Status.ASSIGNED
        ev.save()
        _record(
            s,
            A.EVALUATION_SEND,
            s.status,
            by,
            f"{ev.get_reason_display()} → {actor_label(evaluator)}",
        )
        _notify(
            [evaluator],
            kind="proposals.evaluation",
            title=_("A suggestion to evaluate: %(title)s") % {"title": s.title},
            suggestion=s,
        )
    return ev


def _check_verdict_actor(evaluation: Evaluation, user) -> None:
    if access.role_of(user) != User.Role.EVALUATOR or evaluation.evaluator_id != user.pk:
        raise NotAllowed(_("Only the evaluator of this case gives its verdict."))


def _check_verdict(evaluation: Evaluation, user) -> None:
    _check_verdict_actor(evaluation, user)
    _require(
        evaluation.status == Evaluation.Status.ASSIGNED, _("A verdict has already been given.")
    )


def may_give_verdict(evaluation: Evaluation, user) -> bool:
    """The evaluator of the case, while it is with them."""
    return allowed(_check_verdict, evaluation, user)


def evaluation_verdict(*, evaluation: Evaluation, by, verdict: str, opinion: str) -> Evaluation:
    """The evaluator's verdict. "Handle again" puts the suggestion back with the units."""
    _check_verdict_actor(evaluation, by)
    _require(verdict in Evaluation.Verdict.values, _("Choose a verdict."))
    opinion = (opinion or "").strip()
    _require(bool(opinion), _("Write the evaluation opinion."))
    with transaction.atomic():
        s = _lock(evaluation.suggestion)
        ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        _check_verdict(ev, by)
        ev.verdict, ev.opinion, ev.decided_at, ev.status = (
            verdict,
            opinion,
            _now(),
            Evaluation.Status.DONE,
        )
        ev.save()
        _record(s, A.EVALUATION_VERDICT, s.status, by, f"{ev.get_verdict_display()}：{opinion}")
        if verdict == Evaluation.Verdict.AGAIN and s.status in (S.ANSWERED, S.CLOSED):
            _start_rehandling(s, by, _("Third-party evaluation: handle again"))
    return ev


def repeat_confirm(
    *, suggestion: Suggestion, earlier: Suggestion, similarity: float, by
) -> RepeatLink:
    """Staff confirm that an earlier year's suggestion (proposed by the finder) raised the same
    problem: ground for evaluation."""
    _require_staff(by, suggestion)
    require_in_scope(by, earlier)
    _require(
        earlier.year is not None and suggestion.year is not None and earlier.year < suggestion.year,
        _("Only a suggestion of an earlier year can be the same problem raised again."),
    )
    with transaction.atomic():
        s = _lock(suggestion)
        link, created = RepeatLink.objects.get_or_create(
            suggestion=s, earlier=earlier, defaults={"similarity": similarity, "confirmed_by": by}
        )
        _require(created, _("Already confirmed."))
        _record(
            s, A.REPEAT, s.status, by, f"{earlier.number_label or earlier.title}（{earlier.year}）"
        )
    return link


def _check_pool_writer(by) -> None:
    if not access.is_city_staff(by):
        raise NotAllowed(_("Only city committee staff appoint the evaluator pool."))


def evaluator_appointment_save(*, appointment: EvaluatorAppointment, by) -> EvaluatorAppointment:
    """City staff appoint (or correct) a member of a term's evaluator pool: an evaluator account
    they may see."""
    _check_pool_writer(by)
    evaluator = appointment.user
    _require(
        evaluator is not None and access.role_of(evaluator) == User.Role.EVALUATOR,
        _("Choose an evaluator account."),
    )
    require_in_scope(by, evaluator)
    with transaction.atomic():
        appointment.full_clean()
        appointment.save()
    return appointment


def evaluator_appointment_delete(*, appointment: EvaluatorAppointment, by) -> None:
    """City staff remove a member from the pool; not while they hold an open case of the term."""
    _check_pool_writer(by)
    _require(
        not Evaluation.objects.filter(
            evaluator_id=appointment.user_id,
            suggestion__term_id=appointment.term_id,
            status=Evaluation.Status.ASSIGNED,
        ).exists(),
        _("This evaluator still has an open case of this term."),
    )
    appointment.delete()
