"""The clock of suggestion handling: every deadline from settings.ANPING_CLOCK and the
working-day calendar (`anping.workdays.calendar`), with the sentence that explains it.

A deadline in months ends on the same day of the month (or the month's last day) and, when that
day is not a working day, on the next working day; a deadline in working days counts only
working days (public holidays skipped, make-up working days counted). The calendar module writes
the explanation; this module says which period applies and from which day it runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


def clock(name: str):
    return settings.ANPING_CLOCK[name]


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    basis: str


def fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _months(start: dt.date, months: int, what: str, label: str) -> Deadline:
    from anping.workdays.calendar import deadline_after_months

    d = deadline_after_months(start, months, start_label=label)
    return Deadline(d.date, f"{what}：{d.explanation}"[:300])


def _working_days(start: dt.date, days: int, what: str, label: str) -> Deadline:
    from anping.workdays.calendar import deadline_after_working_days

    d = deadline_after_working_days(start, days, start_label=label)
    return Deadline(d.date, f"{what}：{d.explanation}"[:300])


def answer_deadline(*, start: dt.date, round: int, extension_months: int = 0) -> Deadline:
    """When a lead or split unit must answer: ANSWER_MONTHS after assignment (plus extensions
    approved), or REHANDLE_MONTHS after a suggestion is given back for handling again."""
    if round > 1:
        return _months(start, clock("REHANDLE_MONTHS"), _("Handling again"), _("assigned again on"))
    base = clock("ANSWER_MONTHS")
    what = _("Answer")
    if extension_months:
        what = _("Answer (%(base)s months, plus %(ext)s months of extension approved)") % {
            "base": base,
            "ext": extension_months,
        }
    return _months(start, base + extension_months, what, _("assigned on"))


def co_unit_deadline(*, start: dt.date) -> Deadline:
    return _working_days(
        start, clock("CO_UNIT_WORKING_DAYS"), _("Opinion to the lead unit"), _("assigned on")
    )


def send_back_deadline(*, start: dt.date) -> Deadline:
    return _working_days(
        start, clock("SEND_BACK_WORKING_DAYS"), _("Sending back"), _("assigned on")
    )


def recess_assign_deadline(*, start: dt.date) -> Deadline:
    return _working_days(
        start, clock("RECESS_ASSIGN_WORKING_DAYS"), _("Assignment"), _("registered on")
    )


def assignment_deadlines(assignment) -> tuple[Deadline, Deadline | None]:
    """(answer or opinion due, send-back window) of an assignment, from what it stores."""
    if assignment.role == assignment.Role.CO:
        due = co_unit_deadline(start=assignment.start_date)
    else:
        due = answer_deadline(
            start=assignment.start_date,
            round=assignment.round,
            extension_months=assignment.extension_months,
        )
    window = send_back_deadline(start=assignment.start_date) if assignment.round == 1 else None
    return due, window
