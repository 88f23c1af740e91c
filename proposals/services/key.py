"""Merging duplicates, and key suggestions: chosen, supervised."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.accounts.access import require_in_scope
from anping.errors import NotAllowed

from .. import clock
from ..models import (
    Suggestion,
    SupervisionEvent,
)
from .common import (
    A,
    S,
    _lock,
    _now,
    _record,
    _require,
    _require_staff,
    _require_state,
    _today,
    actor_label,
    allowed,
)

MERGEABLE = (S.SUBMITTED, S.REGISTERED)
MERGE_TARGETS = (S.SUBMITTED, S.REGISTERED, S.ASSIGNED, S.SENT_BACK)
KEY_STATES = (S.REGISTERED, S.ASSIGNED, S.SENT_BACK, S.REHANDLING, S.ANSWERED)


def _check_merge(duplicate: Suggestion, into: Suggestion, user) -> None:
    _require_staff(user, duplicate)
    _require_staff(user, into)
    _require(duplicate.pk != into.pk, _("A suggestion cannot be merged into itself."))
    _require_state(duplicate, MERGEABLE, _("merge it"))
    _require(
        into.status in MERGE_TARGETS,
        _("It can only be merged into a suggestion not yet answered."),
    )
    _require(
        duplicate.term_id == into.term_id,
        _("Only suggestions of the same congress can be merged."),
    )


def may_merge(duplicate: Suggestion, into: Suggestion, user) -> bool:
    """Staff whose region covers both, a duplicate not yet assigned into one not yet answered,
    of the same congress."""
    return allowed(_check_merge, duplicate, into, user)


def suggestion_merge(*, duplicate: Suggestion, into: Suggestion, by, note: str = "") -> Suggestion:
    """Staff merge a duplicate (并案) into another suggestion; the answer to that one goes to
    the deputies of both, and the duplicate's lead gives feedback on it too."""
    _require_staff(by, duplicate)
    _require_staff(by, into)
    _require(duplicate.pk != into.pk, _("A suggestion cannot be merged into itself."))
    with transaction.atomic():
        # Lock both in a fixed order, so two merges at once cannot deadlock.
        locked = {
            x.pk: x
            for x in Suggestion.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, into.pk])
            .order_by("pk")
        }
        dup, target = locked[duplicate.pk], locked[into.pk]
        _check_merge(dup, target, by)
        before = dup.status
        dup.status, dup.merged_into, dup.closed_at = S.MERGED, target, _now()
        dup.save(update_fields=["status", "merged_into", "closed_at"])
        label = target.number_label or target.title
        _record(
            dup,
            A.MERGE,
            before,
            by,
            _("Merged into %(label)s") % {"label": label} + (f"。{note}" if note else ""),
        )
        _record(
            target,
            A.MERGE,
            target.status,
            by,
            _("%(label)s merged into this one") % {"label": dup.number_label or dup.title},
        )
    return dup


def _check_key(suggestion: Suggestion, user) -> None:
    _require_staff(user, suggestion)
    _require_state(suggestion, KEY_STATES, _("choose it as a key suggestion"))
    _require(not suggestion.is_key, _("It is already a key suggestion."))


def may_key(suggestion: Suggestion, user) -> bool:
    """Staff of its region, from registration until it is answered, once."""
    return allowed(_check_key, suggestion, user)


def _check_set_supervisor(suggestion: Suggestion, user) -> None:
    _require_staff(user, suggestion)
    _require(suggestion.is_key, _("Only a key suggestion has a supervising leader."))


def may_set_supervisor(suggestion: Suggestion, user) -> bool:
    return allowed(_check_set_supervisor, suggestion, user)


def _check_supervise(suggestion: Suggestion, user) -> None:
    _require(suggestion.is_key, _("Only a key suggestion is supervised."))
    if suggestion.key_supervisor_id is None or suggestion.key_supervisor_id != getattr(
        user, "pk", None
    ):
        raise NotAllowed(_("Only its supervising leader records supervision."))


def may_supervise(suggestion: Suggestion, user) -> bool:
    """Its supervising leader, while it is a key suggestion."""
    return allowed(_check_supervise, suggestion, user)


def key_choose(*, suggestion: Suggestion, by, note: str = "") -> Suggestion:
    """Gate 1: the committee chooses it as a key suggestion (重点建议)."""
    _require_staff(by, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        _check_key(s, by)
        s.is_key, s.key_chosen_at = True, _now()
        s.save(update_fields=["is_key", "key_chosen_at"])
        _record(s, A.KEY, s.status, by, note)
    return s


def key_supervisor_set(*, suggestion: Suggestion, supervisor, by) -> Suggestion:
    """Gate 2: a committee leader is made responsible for supervising it."""
    _require_staff(by, suggestion)
    _require(
        access.is_committee_staff(supervisor),
        _("The supervising leader must have a committee account."),
    )
    require_in_scope(by, supervisor)
    with transaction.atomic():
        s = _lock(suggestion)
        _check_set_supervisor(s, by)
        s.key_supervisor = supervisor
        s.save(update_fields=["key_supervisor"])
        _record(s, A.SUPERVISOR, s.status, by, actor_label(supervisor))
    return s


def supervision_record(
    *, suggestion: Suggestion, by, kind: str, held_on: dt.date, description: str
) -> SupervisionEvent:
    """Gate 2: the supervising leader records a visit, a meeting or an inspection."""
    description = (description or "").strip()
    _require(bool(description), _("Describe what happened."))
    with transaction.atomic():
        s = _lock(suggestion)
        _check_supervise(s, by)
        _require(held_on <= _today(), _("The date cannot be in the future."))
        event = SupervisionEvent.objects.create(
            suggestion=s, kind=kind, held_on=held_on, description=description, by=by
        )
        _record(
            s,
            A.SUPERVISION,
            s.status,
            by,
            f"{event.get_kind_display()}（{clock.fmt(held_on)}）：{description}",
        )
    return event
