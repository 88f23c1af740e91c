"""Months and years on the Asia/Shanghai calendar (the portal's TIME_ZONE).

A period is a range of days, first and last included; datetime fields are compared against the
local midnights that bound it, so a suggestion submitted at 00:30 on the 1st (Beijing time)
belongs to the new month even though it is still the previous day in UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @classmethod
    def month(cls, day: dt.date) -> Period:
        first = day.replace(day=1)
        return cls(first, next_month(first) - dt.timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def start(self) -> dt.datetime:
        """Local midnight starting the first day (aware)."""
        return local_midnight(self.first)

    @property
    def stop(self) -> dt.datetime:
        """Local midnight after the last day (aware, excluded)."""
        return local_midnight(self.last + dt.timedelta(days=1))

    def as_of(self) -> dt.date:
        """The day stock figures (open, overdue) are taken at: the last day, or today if the
        period is not over yet."""
        return min(self.last, timezone.localdate())


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(today: dt.date | None = None) -> dt.date:
    """The first day of the month before `today` (local)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def current_month(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)
