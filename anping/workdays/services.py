"""Every change of the working-day calendar. The admin, the `sync_workdays` command and the demo
data call these; each change is logged (`CalendarChange`), makes every process reload the calendar
and, once committed, sends `signals.calendar_changed` so open deadlines are recomputed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed

from . import calendar
from .models import CalendarChange, CalendarDay
from .signals import calendar_changed


@dataclass(frozen=True)
class SyncResult:
    created: int
    updated: int
    deleted: int

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def _check_city_staff(by) -> None:
    if not access.is_city_staff(by):
        raise NotAllowed(_("Only city committee staff may change the working-day calendar."))


def _changed(days: Iterable[dt.date], by) -> None:
    """Inside the transaction that changed the rows: reload the calendar, and tell the apps
    with deadlines once the change is committed."""
    days = sorted(set(days))
    if not days:
        return
    calendar.calendar_written()
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarDay, days=days, by=by))


def calendar_day_set(*, day: dt.date, kind: str, name: str, by, reason: str = "") -> CalendarDay:
    """Declare `day` a public holiday (a day off) or a make-up working day, as the State Council's
    notice for that year says; used for the years the package does not cover yet and to correct
    a day. Setting a day as it already is changes nothing and sends nothing."""
    _check_city_staff(by)
    kind = CalendarDay.Kind(kind)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the holiday's name, for example 春节."))
    if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
        raise DomainError(_("A make-up working day falls on a Saturday or a Sunday."))
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = CalendarDay.objects.create(
                        date=day,
                        kind=kind,
                        name=name,
                        source=CalendarDay.Source.STAFF,
                        updated_by=by,
                    )
            except IntegrityError:  # another staff user entered the same day at this moment
                row = CalendarDay.objects.select_for_update().get(date=day)
            else:
                CalendarChange.objects.create(
                    date=day, kind_before="", kind_after=kind, name=name, by=by, reason=reason
                )
                _changed([day], by)
                return row
        if row.kind == kind and row.name == name:
            return row
        before = row.kind
        row.kind, row.name, row.source, row.updated_by = kind, name, CalendarDay.Source.STAFF, by
        row.save(update_fields=["kind", "name", "source", "updated_by", "updated_at"])
        CalendarChange.objects.create(
            date=day, kind_before=before, kind_after=kind, name=name, by=by, reason=reason
        )
        if before != kind:
            _changed([day], by)
        return row


def calendar_day_remove(*, day: dt.date, by, reason: str = "") -> None:
    """Make `day` an ordinary day again (weekend rule). Days of the State Council's schedule
    known to the package cannot be removed (the package would bring them back): change their
    kind instead."""
    _check_city_staff(by)
    if day in calendar.package_days():
        raise DomainError(
            _(
                "%(date)s is in the State Council's holiday schedule and cannot be removed; "
                "change its kind instead."
            )
            % {"date": day.isoformat()}
        )
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise DomainError(_("%(date)s is not in the calendar.") % {"date": day.isoformat()})
        CalendarChange.objects.create(
            date=day, kind_before=row.kind, kind_after="", name=row.name, by=by, reason=reason
        )
        row.delete()
        _changed([day], by)


def calendar_sync_from_package(*, years: Iterable[int] | None = None, by=None) -> SyncResult:
    """Copy the `chinesecalendar` package's schedule into the calendar (all the years it covers,
    or `years`): add the days it lists, correct the copied days it changed, drop copied days it
    no longer lists. Days entered or changed by staff are never touched. `by` is None for the
    command and the demo data; a person must be city staff."""
    if by is not None:
        _check_city_staff(by)
    wanted_years = set(calendar.covered_years() if years is None else years)
    package = {d: v for d, v in calendar.package_days().items() if d.year in wanted_years}
    created: list[CalendarDay] = []
    log: list[CalendarChange] = []
    updated = deleted = 0
    with transaction.atomic():
        existing = {
            row.date: row
            for row in CalendarDay.objects.select_for_update().filter(date__year__in=wanted_years)
        }
        for day, (kind, name) in sorted(package.items()):
            row = existing.get(day)
            if row is None:
                created.append(
                    CalendarDay(
                        date=day,
                        kind=kind,
                        name=name,
                        source=CalendarDay.Source.PACKAGE,
                        updated_by=by,
                    )
                )
                log.append(
                    CalendarChange(
                        date=day,
                        kind_after=kind,
                        name=name,
                        by=by,
                        reason=_("chinesecalendar package"),
                    )
                )
            elif row.source == CalendarDay.Source.PACKAGE and (row.kind, row.name) != (kind, name):
                log.append(
                    CalendarChange(
                        date=day,
                        kind_before=row.kind,
                        kind_after=kind,
                        name=name,
                        by=by,
                        reason=_("chinesecalendar package"),
                    )
                )
                row.kind, row.name, row.updated_by = kind, name, by
                row.save(update_fields=["kind", "name", "updated_by", "updated_at"])
                updated += 1
        gone = [
            row
            for day, row in existing.items()
            if row.source == CalendarDay.Source.PACKAGE and day not in package
        ]
        for row in gone:
            log.append(
                CalendarChange(
                    date=row.date,
                    kind_before=row.kind,
                    name=row.name,
                    by=by,
                    reason=_("chinesecalendar package"),
                )
            )
        if gone:
            deleted, _rows = CalendarDay.objects.filter(pk__in=[r.pk for r in gone]).delete()
        CalendarDay.objects.bulk_create(created)
        CalendarChange.objects.bulk_create(log)
        # Days copied as the package has them change no date the clock computes (it reads the
        # package already); corrected and dropped ones do.
        _changed([c.date for c in log if c.kind_before], by)
    return SyncResult(created=len(created), updated=updated, deleted=deleted)
