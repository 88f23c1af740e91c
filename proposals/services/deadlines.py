"""The clock: deadlines computed again when the working-day calendar changes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import clock
from ..models import (
    Assignment,
    Suggestion,
    Transition,
)
from .common import (
    A,
    S,
    _refresh_due,
    actor_label,
)


def deadlines_recompute(*, by=None) -> int:
    """After the working-day calendar changed: every open deadline computed again from what it
    stores; each one that moved gets a history row. Returns how many moved."""
    moved = 0
    with transaction.atomic():
        open_ones = (
            Assignment.objects.filter(status=Assignment.Status.OPEN)
            .select_for_update()
            .select_related("unit")
        )
        touched = set()
        for a in open_ones:
            due, window = clock.assignment_deadlines(a)
            new_window = window.date if window else None
            if (due.date, new_window) == (a.due_date, a.send_back_until):
                continue
            old = a.due_date
            a.due_date, a.due_basis = due.date, due.basis
            a.send_back_until, a.send_back_basis = new_window, window.basis if window else ""
            a.save(update_fields=["due_date", "due_basis", "send_back_until", "send_back_basis"])
            touched.add(a.suggestion_id)
            moved += 1
            if old != a.due_date:
                Transition.objects.create(
                    suggestion_id=a.suggestion_id,
                    action=A.DEADLINE,
                    from_status="",
                    to_status=Suggestion.objects.filter(pk=a.suggestion_id).values_list(
                        "status", flat=True
                    )[0],
                    by=by,
                    by_label=actor_label(by),
                    reason=_("%(unit)s: %(old)s → %(new)s (working-day calendar changed)")
                    % {"unit": a.unit.name, "old": clock.fmt(old), "new": clock.fmt(a.due_date)},
                )
        for s in Suggestion.objects.filter(pk__in=touched):
            _refresh_due(s)
            s.save(update_fields=["due_date"])
        for s in Suggestion.objects.filter(
            status=S.REGISTERED, period=Suggestion.Period.RECESS, registered_at__isnull=False
        ):
            d = clock.recess_assign_deadline(start=timezone.localdate(s.registered_at))
            if d.date != s.assign_by:
                s.assign_by, s.assign_by_basis = d.date, d.basis
                s.save(update_fields=["assign_by", "assign_by_basis"])
                moved += 1
    return moved
