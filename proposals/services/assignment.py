"""Assignment to units: first assignment, send back, reassignment, and a new round when a
suggestion is handled again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from .. import clock
from ..models import (
    Assignment,
    Suggestion,
)
from .common import (
    A,
    S,
    _lock,
    _notify,
    _now,
    _record,
    _refresh_due,
    _require,
    _require_reason,
    _require_staff,
    _require_state,
    _require_unit,
    _today,
    _unit_users,
    allowed,
    require_units_in_scope,
)


def _check_units(units: Sequence, by=None) -> None:
    """Active handling units, each once, and (for a staff writer) each in the writer's region."""
    from anping.orgs.models import Organisation

    if by is not None:
        require_units_in_scope(by, units)
    for unit in units:
        _require(
            unit.kind == Organisation.Kind.HANDLING_UNIT and unit.is_active,
            _("%(unit)s is not an active handling unit.") % {"unit": unit},
        )
    _require(len({u.pk for u in units}) == len(units), _("A unit appears twice."))


def _new_assignment(s: Suggestion, unit, role: str, round: int, start: dt.date) -> Assignment:
    a = Assignment(suggestion=s, unit=unit, role=role, round=round, start_date=start)
    due, window = clock.assignment_deadlines(a)
    a.due_date, a.due_basis = due.date, due.basis
    if window:
        a.send_back_until, a.send_back_basis = window.date, window.basis
    a.save()
    return a


def _check_assign(suggestion: Suggestion, user) -> None:
    _require_staff(user, suggestion)
    _require_state(suggestion, [S.REGISTERED], _("assign it"))


def may_assign(suggestion: Suggestion, user) -> bool:
    """Committee staff of its region, once it is registered."""
    return allowed(_check_assign, suggestion, user)


def units_without_accounts(units) -> list:
    """The units (of those given) with no active staff account: nobody there would see the
    assignment, and a co-unit's silence holds the lead unit's reply until its time is up."""
    from anping.accounts.models import User

    staffed = set(
        User.objects.filter(
            role=User.Role.UNIT_STAFF, is_active=True, organisation__in=[u.pk for u in units]
        ).values_list("organisation_id", flat=True)
    )
    return [u for u in units if u.pk not in staffed]


def suggestion_assign(
    *,
    suggestion: Suggestion,
    by,
    lead=None,
    co_units: Sequence = (),
    split_units: Sequence = (),
    note: str = "",
) -> list[Assignment]:
    """Staff assign (交办) a registered suggestion: to one lead unit with co-units, or split
    among several units that each answer their part. Deadlines start today."""
    _require_staff(by, suggestion)
    co_units, split_units = list(co_units), list(split_units)
    if lead is not None:
        _require(not split_units, _("Choose either a lead unit or a split among units, not both."))
        units = [lead, *co_units]
    else:
        _require(not co_units, _("Co-handling units need a lead unit."))
        _require(
            len(split_units) >= 2, _("Choose a lead unit, or at least two units to split it among.")
        )
        units = split_units
    _check_units(units, by)
    with transaction.atomic():
        s = _lock(suggestion)
        _check_assign(s, by)
        start = _today()
        made = []
        if lead is not None:
            made.append(_new_assignment(s, lead, Assignment.Role.LEAD, 1, start))
            made += [_new_assignment(s, u, Assignment.Role.CO, 1, start) for u in co_units]
        else:
            made += [_new_assignment(s, u, Assignment.Role.SPLIT, 1, start) for u in split_units]
        s.status = S.ASSIGNED
        s.assigned_at = _now()
        _refresh_due(s)
        s.save(update_fields=["status", "assigned_at", "due_date"])
        summary = "；".join(f"{a.get_role_display()}：{a.unit.name}" for a in made)
        _record(s, A.ASSIGN, S.REGISTERED, by, f"{summary}{('。' + note) if note else ''}")
        _notify(
            _unit_users(u.pk for u in units),
            kind="proposals.assigned",
            title=_("New suggestion assigned to your unit: %(title)s") % {"title": s.title},
            suggestion=s,
        )
    return made


def _check_send_back(assignment: Assignment, user, *, suggestion=None, today=None) -> None:
    a = assignment
    _require_unit(user, a)
    _require(a.status == Assignment.Status.OPEN, _("This assignment is no longer open."))
    _require(a.round == 1, _("A suggestion handled again cannot be sent back."))
    _require(
        a.send_back_until is not None and (today or _today()) <= a.send_back_until,
        _("The time to send it back ended on %(day)s.")
        % {"day": clock.fmt(a.send_back_until) if a.send_back_until else "—"},
    )
    _require_state(suggestion or a.suggestion, [S.ASSIGNED, S.SENT_BACK], _("send it back"))


def may_send_back(assignment: Assignment, user, today=None) -> bool:
    """The unit's staff, in the first round, while the send-back window is open."""
    return allowed(_check_send_back, assignment, user, today=today)


def assignment_send_back(*, assignment: Assignment, by, reason: str) -> Assignment:
    """A unit that thinks the suggestion is not its business sends it back within the window;
    staff then reassign it."""
    _require_unit(by, assignment)
    reason = _require_reason(reason)
    with transaction.atomic():
        s = _lock(assignment.suggestion)
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _check_send_back(a, by, suggestion=s)
        a.status, a.done_at = Assignment.Status.SENT_BACK, _now()
        a.save(update_fields=["status", "done_at"])
        before = s.status
        s.status = S.SENT_BACK
        _refresh_due(s)
        s.save(update_fields=["status", "due_date"])
        _record(s, A.SEND_BACK, before, by, f"{a.unit.name}：{reason}")
    return a


def _check_reassign(assignment: Assignment, user, *, suggestion=None) -> None:
    _require_staff(user, suggestion or assignment.suggestion)
    _require(
        assignment.status == Assignment.Status.SENT_BACK,
        _("Only a sent-back assignment can be reassigned."),
    )


def may_reassign(assignment: Assignment, user) -> bool:
    """Committee staff of the suggestion's region, for a part a unit sent back."""
    return allowed(_check_reassign, assignment, user)


def assignment_reassign(*, assignment: Assignment, unit, by, note: str = "") -> Assignment:
    """Staff give a sent-back part to another unit, in the same role, with fresh deadlines."""
    _require_staff(by, assignment.suggestion)
    _check_units([unit], by)
    with transaction.atomic():
        s = _lock(assignment.suggestion)
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _check_reassign(a, by, suggestion=s)
        _require(
            not Assignment.objects.filter(
                suggestion=s, unit=unit, round=a.round, status__in=["open", "done", "sent_back"]
            )
            .exclude(pk=a.pk)
            .exists(),
            _("This unit already handles this suggestion."),
        )
        _require(unit.pk != a.unit_id, _("Choose another unit than the one that sent it back."))
        a.status = Assignment.Status.REPLACED
        a.save(update_fields=["status"])
        new = _new_assignment(s, unit, a.role, a.round, _today())
        before = s.status
        if not Assignment.objects.filter(suggestion=s, status=Assignment.Status.SENT_BACK).exists():
            s.status = S.ASSIGNED
        _refresh_due(s)
        s.save(update_fields=["status", "due_date"])
        _record(
            s,
            A.REASSIGN,
            before,
            by,
            f"{a.unit.name} → {unit.name}（{new.get_role_display()}）{('。' + note) if note else ''}",
        )
        _notify(
            _unit_users([unit.pk]),
            kind="proposals.assigned",
            title=_("New suggestion assigned to your unit: %(title)s") % {"title": s.title},
            suggestion=s,
        )
    return new


def _start_rehandling(s: Suggestion, by, reason: str) -> None:
    """A new round: each unit that answered gets the suggestion again, due REHANDLE_MONTHS on."""
    previous = list(
        Assignment.objects.filter(suggestion=s, round=s.round, status=Assignment.Status.DONE)
        .answering()
        .select_related("unit")
    )
    before = s.status
    s.round += 1
    start = _today()
    for a in previous:
        _new_assignment(s, a.unit, a.role, s.round, start)
    s.status = S.REHANDLING
    s.closed_at = None
    _refresh_due(s)
    s.save(update_fields=["round", "status", "closed_at", "due_date"])
    _record(s, A.REHANDLE, before, by, reason)
    _notify(
        _unit_users(a.unit_id for a in previous),
        kind="proposals.rehandle",
        title=_("To be handled again: %(title)s") % {"title": s.title},
        body=reason,
        suggestion=s,
    )
