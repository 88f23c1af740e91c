"""The law's clock: working days under the Chinese public-holiday calendar, and calendar months.

Public API (every argument may be given by position or by keyword):

- `is_working_day(d)`: Monday to Friday, unless a public holiday; Saturday and Sunday only when
  declared a make-up working day (调休上班).
- `add_working_days(start, n)`: the n-th working day after `start` (before it when n < 0).
- `working_days_between(a, b)`: how many working days lie after `a` up to and including `b`.
- `add_months(start, n)`: the same day n calendar months later, clamped to the end of the month.
- `deadline_after_working_days(start, n)` and `deadline_after_months(start, n)`: the same
  computations returning a `Deadline`, whose `explanation` tells a person, in Chinese, how the date
  was reached (which holidays were skipped, which make-up days counted).

The calendar is the `chinesecalendar` package's schedule for the years it covers, overlaid by the
`CalendarDay` rows (copied from the package, or entered by city staff for the years it does not
cover). Each process keeps the merged calendar in memory: a call costs no query while the calendar
is unchanged, and one query after it changed (a version stamp in the shared cache, bumped when a
change commits, tells every process to reload; the process that made the change reloads at once).
"""

from __future__ import annotations

import calendar as _monthcal
import datetime as dt
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from functools import lru_cache

from asgiref.local import Local
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

__all__ = [
    "Deadline",
    "is_working_day",
    "add_working_days",
    "working_days_between",
    "add_months",
    "deadline_after_working_days",
    "deadline_after_months",
    "covered_years",
    "known_years",
    "clear_cache",
]

HOLIDAY = "holiday"  # CalendarDay.Kind.HOLIDAY, without importing models at import time
WORKDAY = "workday"  # CalendarDay.Kind.WORKDAY

# The package names its holidays in English; the calendar shows them as people say them.
PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

VERSION_KEY = "anping:workdays:version"
# How often a process asks the shared cache whether the calendar changed elsewhere.
RECHECK_SECONDS = 2.0


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and, in words, how it was computed (shown next to every due date)."""

    date: dt.date
    explanation: str

    def __str__(self) -> str:
        return self.explanation


@dataclass(frozen=True)
class _Calendar:
    days: dict[dt.date, tuple[str, str]]  # date → (kind, holiday name)
    known_years: frozenset[int]  # years whose holidays are known (package or staff rows)


# --- the package's schedule --------------------------------------------------------------------


@lru_cache(maxsize=1)
def package_days() -> dict[dt.date, tuple[str, str]]:
    """The `chinesecalendar` package's holidays and make-up working days, names in Chinese."""
    from chinese_calendar import constants

    days: dict[dt.date, tuple[str, str]] = {}
    for day, name in constants.holidays.items():
        days[day] = (HOLIDAY, PACKAGE_NAMES.get(str(name), str(name)))
    for day, name in constants.workdays.items():
        days[day] = (WORKDAY, PACKAGE_NAMES.get(str(name), str(name)))
    return days


def covered_years() -> frozenset[int]:
    """The years whose schedule the installed `chinesecalendar` package knows."""
    return frozenset(day.year for day in package_days())


# --- the merged calendar, cached per process ---------------------------------------------------


class _State:
    lock = threading.Lock()
    calendar: _Calendar | None = None
    version: object = None
    checked_at: float = 0.0


# This thread's calendar writes not yet committed, as a savepoint-aware flag of our own:
# .hooks holds weak references to the on-commit hooks of those writes. Django holds the only
# strong reference to a hook until it runs (the transaction committed) or is discarded (the
# transaction, or the savepoint that registered it, rolled back): a live reference means "written
# and not yet committed or rolled back", with no query and no private attribute read.
# .cached: the calendar as this transaction sees it.
_writer = Local()


def _pending_writes() -> tuple:
    return tuple(ref for ref in getattr(_writer, "hooks", None) or () if ref() is not None)


def _load() -> _Calendar:
    from .models import CalendarDay

    days = dict(package_days())
    years = set(covered_years())
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        days[day] = (kind, name)
        years.add(day.year)
    return _Calendar(days=days, known_years=frozenset(years))


def _current() -> _Calendar:
    if getattr(_writer, "hooks", None):
        pending = _pending_writes()
        if pending:
            # This thread changed the calendar in a transaction still open: it reads its own
            # version (read once per change), which others must not see before it commits.
            cached = getattr(_writer, "cached", None)
            if cached is not None and cached[0] == pending:
                return cached[1]
            calendar = _load()
            _writer.cached = (pending, calendar)
            return calendar
        # Those writes were committed (the version was bumped) or rolled back (what this process
        # cached may hold them): either way, start again.
        _writer.hooks, _writer.cached = (), None
        clear_cache()
    now = time.monotonic()
    state = _State
    calendar = state.calendar
    if calendar is not None and 0 <= now - state.checked_at < RECHECK_SECONDS:
        return calendar
    try:
        version = cache.get(VERSION_KEY)
    except Exception:  # the shared cache is down: reload every few seconds instead
        version = uuid.uuid4().hex
    with state.lock:
        if state.calendar is None or state.version != version:
            state.calendar = _load()
            state.version = version
        state.checked_at = now
        return state.calendar


def known_years() -> frozenset[int]:
    """The years whose holidays are known: covered by the package or entered by staff."""
    return _current().known_years


def clear_cache() -> None:
    """Forget this process's copy of the calendar; the next call reads it again."""
    with _State.lock:
        _State.calendar = None
        _State.version = None
        _State.checked_at = 0.0


def _bump_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the other processes notice within RECHECK_SECONDS of the cache returning
        pass
    clear_cache()


def calendar_written(using: str = DEFAULT_DB_ALIAS) -> None:
    """Called in the transaction that changed `CalendarDay` rows (by the services, and by the
    model's save and delete signals): this thread reads the change at once, every process
    reloads once it is committed."""
    if not transaction.get_connection(using).in_atomic_block:
        _bump_version()  # autocommit: the change is committed already
        return

    def committed() -> None:
        _bump_version()

    _writer.hooks = (*_pending_writes(), weakref.ref(committed))
    _writer.cached = None
    clear_cache()
    # Robust: a failing bump (it swallows a cache outage itself) must not fail the other hooks.
    transaction.on_commit(committed, using=using, robust=True)


# --- the clock ---------------------------------------------------------------------------------


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _working(day: dt.date, days: dict[dt.date, tuple[str, str]]) -> bool:
    entry = days.get(day)
    if entry is not None:
        return entry[0] == WORKDAY
    return day.weekday() < 5


def is_working_day(d: dt.date) -> bool:
    """Whether `d` is a working day: the weekend rule, then the holiday calendar's exceptions."""
    return _working(_as_date(d), _current().days)


def _add(start: dt.date, n: int, days: dict) -> dt.date:
    step = dt.timedelta(days=1 if n >= 0 else -1)
    day, left = start, abs(n)
    while left:
        day += step
        if _working(day, days):
            left -= 1
    return day


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (`start` itself is not counted, as the law counts
    periods from the next day); with n < 0, the n-th working day before it; n == 0 gives `start`.

    Assigned on Friday 2024-09-27, 10 working days: 2024-10-16 (国庆 1-7 October skipped, the
    make-up Sunday 29 September and Saturday 12 October counted).
    """
    return _add(_as_date(start), int(n), _current().days)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The number of working days after `a` up to and including `b` (negative when b < a), so
    that `add_working_days(a, working_days_between(a, b)) == b` for a working day `b`. With
    a = today and b = a deadline, it is the number of working days left, the deadline included."""
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    days = _current().days
    count, day = 0, a
    while day < b:
        day += dt.timedelta(days=1)
        if _working(day, days):
            count += 1
    return count


def add_months(start: dt.date, n: int) -> dt.date:
    """The same day of the month n calendar months later (earlier when n < 0); when that month
    is shorter, its last day (民法典 art. 202): 2024-11-30 + 3 months = 2025-02-28."""
    start = _as_date(start)
    index = start.month - 1 + int(n)
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, _last_day(year, month)))


def _last_day(year: int, month: int) -> int:
    return _monthcal.monthrange(year, month)[1]


# --- deadlines with their explanation ----------------------------------------------------------


def _day_text(day: dt.date) -> str:
    return _("%(month)d/%(day)d") % {"month": day.month, "day": day.day}


def _run_text(first: dt.date, last: dt.date) -> str:
    if first == last:
        return _day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        return _("%(month)d/%(first)d to %(last)d") % {
            "month": first.month,
            "first": first.day,
            "last": last.day,
        }
    return _("%(first)s to %(last)s") % {"first": _day_text(first), "last": _day_text(last)}


def _join(items: list[str]) -> str:
    return pgettext("list separator", ", ").join(items)


def _details(start: dt.date, end: dt.date, calendar: _Calendar) -> list[str]:
    """What a reader needs to check the count between `start` (excluded) and `end`: the holiday
    periods skipped, the make-up working days counted, the years nobody entered yet."""
    days = calendar.days
    runs: list[tuple[str, dt.date, dt.date]] = []  # (name, first day, last day)
    makeup: list[dt.date] = []
    years: set[int] = set()
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        years.add(day.year)
        entry = days.get(day)
        if entry is None:
            continue
        kind, name = entry
        if kind == WORKDAY:
            makeup.append(day)
        elif runs and runs[-1][0] == name and _only_rest_between(runs[-1][2], day, days):
            runs[-1] = (name, runs[-1][1], day)
        else:
            runs.append((name, day, day))
    parts = []
    if runs:
        holidays = [
            _("the %(name)s holiday %(days)s") % {"name": name, "days": _run_text(first, last)}
            for name, first, last in runs
        ]
        parts.append(_("skipped %(holidays)s") % {"holidays": _join(holidays)})
    if makeup:
        parts.append(
            _("including make-up working days on %(days)s")
            % {"days": _join([_day_text(d) for d in makeup])}
        )
    unknown = sorted(years - calendar.known_years)
    if unknown:
        parts.append(
            _("the holidays of %(years)s are not entered yet: only weekends are counted")
            % {"years": _join([str(y) for y in unknown])}
        )
    return parts


def _only_rest_between(a: dt.date, b: dt.date, days: dict) -> bool:
    # A holiday entered on its weekdays only (staff often skip the weekend) is still one period.
    day = a + dt.timedelta(days=1)
    while day < b:
        if _working(day, days):
            return False
        day += dt.timedelta(days=1)
    return True


def _explained(head: str, parts: list[str], end: dt.date) -> str:
    if not parts:
        return _("%(text)s → %(date)s") % {"text": head, "date": end.isoformat()}
    return _("%(text)s (%(details)s) → %(date)s") % {
        "text": head,
        "details": pgettext("clause separator", "; ").join(parts),
        "date": end.isoformat(),
    }


def deadline_after_working_days(
    start: dt.date, n: int, *, start_label: str | None = None
) -> Deadline:
    """`add_working_days(start, n)` with its explanation, for example
    "交办日 2024-09-27 起 10 个工作日（已跳过国庆节假期 10月1日至7日，含 9月29日、10月12日调休上班）→ 2024-10-16".

    `start_label` names the day counted from (交办日, 答复日 ...; default 起算日)."""
    start, n = _as_date(start), int(n)
    if n < 0:
        raise ValueError("a deadline counts forward: n must not be negative")
    calendar = _current()
    end = _add(start, n, calendar.days)
    head = ngettext(
        "%(label)s %(start)s plus %(n)d working day",
        "%(label)s %(start)s plus %(n)d working days",
        n,
    ) % {
        "label": start_label or pgettext("deadline", "start date"),
        "start": start.isoformat(),
        "n": n,
    }
    return Deadline(date=end, explanation=_explained(head, _details(start, end, calendar), end))


def deadline_after_months(
    start: dt.date, n: int, *, start_label: str | None = None, roll_forward: bool = True
) -> Deadline:
    """`add_months(start, n)` with its explanation, for example
    "交办日 2024-09-27 起 3 个月 → 2024-12-27".

    When that day is not a working day the deadline moves to the next working day (民法典
    art. 203: a period ending on a day off ends on the first day after it), and the explanation
    says so; `roll_forward=False` keeps the calendar date."""
    start, n = _as_date(start), int(n)
    if n < 0:
        raise ValueError("a deadline counts forward: n must not be negative")
    calendar = _current()
    target = add_months(start, n)
    head = ngettext(
        "%(label)s %(start)s plus %(n)d month",
        "%(label)s %(start)s plus %(n)d months",
        n,
    ) % {
        "label": start_label or pgettext("deadline", "start date"),
        "start": start.isoformat(),
        "n": n,
    }
    parts = []
    if target.day != start.day:
        parts.append(
            _("month %(month)d has no day %(day)d: its last day")
            % {
                "month": target.month,
                "day": start.day,
            }
        )
    end = target
    if roll_forward and not _working(target, calendar.days):
        end = _add(target, 1, calendar.days)
        entry = calendar.days.get(target)
        if entry is not None and entry[0] == HOLIDAY:
            why = _("%(date)s falls in the %(name)s holiday") % {
                "date": target.isoformat(),
                "name": entry[1],
            }
        else:
            why = _("%(date)s is a weekend day") % {"date": target.isoformat()}
        parts.append(
            _("%(why)s: moved to the next working day, %(date)s")
            % {"why": why, "date": end.isoformat()}
        )
    if target.year not in calendar.known_years:
        parts.append(
            _("the holidays of %(years)s are not entered yet: only weekends are counted")
            % {"years": str(target.year)}
        )
    return Deadline(date=end, explanation=_explained(head, parts, end))
