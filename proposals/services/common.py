"""What every step shares: the clock of today, the actor checks, the history row, the
lock, notifications, and who an answer goes to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.accounts.models import User
from anping.errors import DomainError, NotAllowed
from deputies.models import Person

from ..models import (
    Assignment,
    CoSigner,
    Suggestion,
    Transition,
)

S = Suggestion.Status
A = Transition.Action


def _now():
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def actor_label(user) -> str:
    if user is None:
        return _("the portal")
    name = user.get_full_name() or user.username
    if access.role_of(user) == User.Role.UNIT_STAFF and user.organisation_id:
        return f"{name}（{user.organisation.name}）"
    return name


def _record(suggestion, action, from_status, by, reason="", to_status=None) -> Transition:
    return Transition.objects.create(
        suggestion=suggestion,
        action=action,
        from_status=from_status or "",
        to_status=to_status or suggestion.status,
        by=by,
        by_label=actor_label(by),
        reason=reason,
    )


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def allowed(check, /, *args, **kwargs) -> bool:
    """A step's predicate from its check: True exactly when the check the service runs (state and
    actor) passes. Views, admin buttons and templates ask the predicate; the service runs the
    check under its lock, so the two cannot drift apart."""
    try:
        check(*args, **kwargs)
    except DomainError:
        return False
    return True


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise DomainError(message)


def deputy_of(user) -> Person | None:
    """The deputy (Person) of a deputy's account, looked up once per user object: a page asks
    several steps' predicates and each needs it."""
    if access.role_of(user) != User.Role.DEPUTY:
        return None
    cached = user.__dict__.get("_proposals_person")
    if cached is not None:
        return cached
    person = Person.objects.filter(user=user).first()
    if person is not None:
        user.__dict__["_proposals_person"] = person
    return person


_deputy_of = deputy_of


def _require_lead(user, suggestion: Suggestion) -> Person:
    person = _deputy_of(user)
    if person is None or person.pk != suggestion.lead_id:
        raise NotAllowed(_("Only the lead deputy may do this."))
    return person


def staff_may(user, suggestion: Suggestion) -> bool:
    """Committee staff whose region covers the suggestion."""
    path = access.staff_region_path(user)
    if path is None:
        return False
    return path == "" or suggestion.region.path.startswith(path)


def _require_staff(user, suggestion: Suggestion) -> None:
    if not staff_may(user, suggestion):
        raise NotAllowed(_("Only committee staff of this suggestion's region may do this."))


def _require_unit(user, assignment: Assignment) -> None:
    if access.role_of(user) != User.Role.UNIT_STAFF or user.organisation_id != assignment.unit_id:
        raise NotAllowed(_("Only the staff of the unit this was assigned to may do this."))


def require_units_in_scope(user, units) -> None:
    """Every unit a writer names lies in the writer's region (committee staff: their region's
    subtree; city staff: all). Organisations are readable by everyone, so their region decides;
    the message names no unit, to tell an outsider nothing."""
    path = access.staff_region_path(user)
    for unit in units:
        if path is None or not (
            path == "" or (unit.region_id and unit.region.path.startswith(path))
        ):
            raise NotAllowed(_("This unit is outside your region."))


def _require_state(suggestion: Suggestion, allowed: Iterable[str], doing: str) -> None:
    if suggestion.status not in tuple(allowed):
        raise DomainError(
            _("Cannot %(doing)s: the suggestion is %(status)s.")
            % {"doing": doing, "status": suggestion.get_status_display()}
        )


def _notify(users, *, kind, title, suggestion, body="") -> None:
    from anping.notifications.services import notify

    url = reverse("proposals:detail", args=[suggestion.pk])
    for user in users:
        if user is not None and user.is_active:
            notify(recipient=user, kind=kind, title=title, body=body, url=url, subject=suggestion)


def _unit_users(unit_ids):
    return User.objects.filter(
        role=User.Role.UNIT_STAFF, organisation_id__in=list(unit_ids), is_active=True
    )


def signers(suggestion: Suggestion) -> list[Person]:
    """Everyone the answer goes to: the lead and confirmed co-signers, and those of every
    suggestion merged into this one."""
    ids = [
        suggestion.pk,
        *Suggestion.objects.filter(merged_into=suggestion).values_list("pk", flat=True),
    ]
    people = list(
        Person.objects.filter(
            Q(suggestions_led__in=ids)
            | Q(cosigned__suggestion__in=ids, cosigned__status=CoSigner.Status.CONFIRMED)
        )
        .select_related("user")
        .distinct()
    )
    return people


def feedback_givers(suggestion: Suggestion) -> list[int]:
    """Person ids whose feedback an answer awaits: the lead, and the leads of merged ones."""
    # Through the relation, so that a page that prefetched `merged_from` asks no query.
    return [suggestion.lead_id, *(m.lead_id for m in suggestion.merged_from.all())]


def _refresh_due(suggestion: Suggestion) -> None:
    dues = (
        Assignment.objects.filter(
            suggestion=suggestion, round=suggestion.round, status=Assignment.Status.OPEN
        )
        .answering()
        .values_list("due_date", flat=True)
    )
    suggestion.due_date = min(dues, default=None)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    _require(bool(reason), _("Give a reason."))
    return reason
