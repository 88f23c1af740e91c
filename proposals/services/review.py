"""Submission, review (register, return, decline) and numbering."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from deputies.models import Session, chinese_number

from .. import clock
from ..models import (
    CoSigner,
    NumberSeries,
    Suggestion,
)
from .common import (
    A,
    S,
    _lock,
    _notify,
    _now,
    _record,
    _require,
    _require_lead,
    _require_reason,
    _require_staff,
    _require_state,
    _today,
    allowed,
)
from .drafts import EDITABLE


def current_session(term_id: int, day: dt.date) -> Session | None:
    return (
        Session.objects.filter(term_id=term_id, start_date__lte=day, end_date__gte=day)
        .select_related("term__congress__region")
        .first()
    )


def _check_submit(suggestion: Suggestion, user) -> None:
    _require_lead(user, suggestion)
    _require_state(suggestion, EDITABLE, _("submit it"))
    _require(
        not any(c.status == CoSigner.Status.INVITED for c in suggestion.cosigners.all()),
        _(
            "Some invited co-signers have not answered yet: wait for them or withdraw the invitation."
        ),
    )


def may_submit(suggestion: Suggestion, user) -> bool:
    """The lead deputy, while it is a draft (or returned) and no invitation awaits an answer."""
    return allowed(_check_submit, suggestion, user)


def suggestion_submit(*, suggestion: Suggestion, by) -> Suggestion:
    """The lead submits: filed during the session sitting today, or between sessions."""
    _require_lead(by, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        _check_submit(s, by)
        today = _today()
        session = current_session(s.term_id, today)
        before = s.status
        s.period = Suggestion.Period.SESSION if session else Suggestion.Period.RECESS
        s.session = session
        s.year = today.year
        s.status = S.SUBMITTED
        s.submitted_at = _now()
        s.save(update_fields=["period", "session", "year", "status", "submitted_at"])
        _record(s, A.SUBMIT, before, by)
        from ..similar import index_suggestion

        index_suggestion(s)
    return s


def _check_review(suggestion: Suggestion, user, doing=None) -> None:
    _require_staff(user, suggestion)
    _require_state(suggestion, [S.SUBMITTED], doing or _("review it"))


def may_review(suggestion: Suggestion, user) -> bool:
    """Committee staff of its region, while it awaits review: register, return or decline."""
    return allowed(_check_review, suggestion, user)


may_register = may_return = may_decline = may_review


def suggestion_return(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Staff give it back to the deputy to revise."""
    _require_staff(by, suggestion)
    reason = _require_reason(reason)
    with transaction.atomic():
        s = _lock(suggestion)
        _check_review(s, by, _("return it"))
        s.status = S.RETURNED
        s.save(update_fields=["status"])
        _record(s, A.RETURN, S.SUBMITTED, by, reason)
        if s.lead.user_id:
            _notify(
                [s.lead.user],
                kind="proposals.returned",
                title=_("Your suggestion was returned for revision: %(title)s")
                % {"title": s.title},
                body=reason,
                suggestion=s,
            )
    return s


def suggestion_decline(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Staff do not register it (it may be referred as a letter); the reason is recorded."""
    _require_staff(by, suggestion)
    reason = _require_reason(reason)
    with transaction.atomic():
        s = _lock(suggestion)
        _check_review(s, by, _("decline it"))
        s.status = S.DECLINED
        s.closed_at = _now()
        s.save(update_fields=["status", "closed_at"])
        _record(s, A.DECLINE, S.SUBMITTED, by, reason)
        if s.lead.user_id:
            _notify(
                [s.lead.user],
                kind="proposals.declined",
                title=_("Your suggestion was not registered: %(title)s") % {"title": s.title},
                body=reason,
                suggestion=s,
            )
    return s


def number_series(s: Suggestion) -> tuple[str, str]:
    """(series key, label prefix): per session, or per year of recess within a term."""
    if s.period == Suggestion.Period.SESSION:
        return f"session:{s.session_id}", s.session.short_label
    term = s.term
    prefix = f"{term.congress.short_name}{chinese_number(term.number)}届人大闭会期间{s.year}年"
    return f"recess:{term.pk}:{s.year}", prefix


def next_number(key: str) -> int:
    """The next number of a series: its counter row locked until the transaction ends, so two
    registrations at once get consecutive numbers, never the same one, and a rolled-back
    registration gives its number back."""
    NumberSeries.objects.get_or_create(key=key)
    series = NumberSeries.objects.select_for_update().get(key=key)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


def suggestion_register(*, suggestion: Suggestion, by) -> Suggestion:
    """Staff register (立案) it and it gets its number. A recess suggestion is to be assigned
    within RECESS_ASSIGN_WORKING_DAYS."""
    _require_staff(by, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        _check_review(s, by, _("register it"))
        key, prefix = number_series(s)
        n = next_number(key)
        s.series, s.number, s.number_label = key, n, f"{prefix}第{n}号"
        s.status = S.REGISTERED
        s.registered_at = _now()
        if s.period == Suggestion.Period.RECESS:
            d = clock.recess_assign_deadline(start=_today())
            s.assign_by, s.assign_by_basis = d.date, d.basis
        s.save()
        _record(s, A.REGISTER, S.SUBMITTED, by, s.number_label)
    return s
