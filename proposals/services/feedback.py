"""The deputy's verdict on an answer."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from anping.errors import NotAllowed

from ..models import (
    Evaluation,
    Feedback,
    Suggestion,
)
from .assignment import _start_rehandling
from .common import (
    A,
    S,
    _deputy_of,
    _lock,
    _now,
    _record,
    _require,
    _require_state,
    allowed,
    feedback_givers,
)
from .evaluation import OPEN_EVALUATION, _open_evaluation_request


def _check_feedback(suggestion: Suggestion, user):
    person = _deputy_of(user)
    if person is None or person.pk not in feedback_givers(suggestion):
        raise NotAllowed(_("Only the deputy gives feedback on an answer."))
    _require_state(suggestion, [S.ANSWERED], _("give feedback"))
    _require(
        not any(
            f.deputy_id == person.pk and f.round == suggestion.round
            for f in suggestion.feedback.all()
        ),
        _("You have already given your feedback on this answer."),
    )
    return person


def may_give_feedback(suggestion: Suggestion, user) -> bool:
    """The deputy whose feedback the answer awaits (the lead, or the lead of a merged one),
    once per answer."""
    return allowed(_check_feedback, suggestion, user)


def feedback_give(
    *, suggestion: Suggestion, by, verdict: str, comment: str = "", ask_evaluation: bool = False
) -> Feedback:
    """The deputy's own verdict on the answer. Only the deputy (the lead, or the lead of a
    suggestion merged into this one) may give it, once per answer; nobody can change it.
    Not satisfied: handled again (in the first round), or, after handling again, closed and put
    to third-party evaluation."""
    person = _deputy_of(by)
    if person is None:
        raise NotAllowed(_("Only the deputy gives feedback on an answer."))
    _require(
        verdict in Feedback.Verdict.values,
        _("Choose satisfied, basically satisfied or not satisfied."),
    )
    comment = (comment or "").strip()
    if verdict == Feedback.Verdict.NOT_SATISFIED:
        _require(bool(comment), _("Say why you are not satisfied."))
    with transaction.atomic():
        s = _lock(suggestion)
        givers = feedback_givers(s)
        _check_feedback(s, by)
        fb = Feedback.objects.create(
            suggestion=s, deputy=person, round=s.round, verdict=verdict, comment=comment
        )
        _record(
            s,
            A.FEEDBACK,
            s.status,
            by,
            f"{fb.get_verdict_display()}{('：' + comment) if comment else ''}",
        )
        if verdict == Feedback.Verdict.NOT_SATISFIED and s.round == 1:
            _start_rehandling(
                s, by, _("The deputy was not satisfied: %(comment)s") % {"comment": comment}
            )
        else:
            given = set(
                Feedback.objects.filter(suggestion=s, round=s.round).values_list(
                    "deputy_id", flat=True
                )
            )
            not_satisfied = verdict == Feedback.Verdict.NOT_SATISFIED
            if not_satisfied or given >= set(givers):
                s.status, s.closed_at = S.CLOSED, _now()
                s.save(update_fields=["status", "closed_at"])
                _record(s, A.CLOSE, S.ANSWERED, by)
            if not_satisfied:
                _open_evaluation_request(s, Evaluation.Reason.NOT_SATISFIED, None, comment)
        if (
            ask_evaluation
            and not Evaluation.objects.filter(suggestion=s, status__in=OPEN_EVALUATION).exists()
        ):
            _open_evaluation_request(s, Evaluation.Reason.DEPUTY_ASKED, by, comment)
    return fb
