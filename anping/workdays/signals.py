"""Signals of the working-day calendar.

`calendar_changed` is sent after a change of the calendar has been committed (a day set or
removed by staff in the admin or through `services`, or a sync from the package), so that the
apps whose deadlines count working days (suggestions) can recompute their open deadlines.
Receivers take `sender` (the `CalendarDay` model), `days` (the sorted list of dates whose kind
changed) and `by` (the user who changed them, or None for a command) as keyword arguments, and
should queue their recomputation as a task when it is long:

    @receiver(calendar_changed)
    def recompute(sender, *, days, by, **kwargs): ...
"""

from django.dispatch import Signal

calendar_changed = Signal()
