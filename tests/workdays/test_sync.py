"""The package's schedule is copied into the calendar by a command and by the demo data."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from anping.workdays import calendar, services
from anping.workdays.models import CalendarChange, CalendarDay

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_command_copies_every_day_the_package_lists_once():
    out = io.StringIO()
    call_command("sync_workdays", stdout=out)
    package = calendar.package_days()
    assert CalendarDay.objects.count() == len(package)
    national_day = CalendarDay.objects.get(date=D(2024, 10, 1))
    assert (national_day.kind, national_day.name, national_day.source) == (
        "holiday",
        "国庆节",
        "package",
    )
    assert CalendarDay.objects.get(date=D(2024, 9, 29)).kind == "workday"
    assert f"{len(package)} added" in out.getvalue()
    call_command("sync_workdays", stdout=out)
    assert CalendarDay.objects.count() == len(package)
    assert "0 added, 0 corrected, 0 removed" in out.getvalue()


def test_the_command_can_take_one_year_and_warns_about_years_not_covered(package_until_2026):
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_workdays", "--year", "2025", "--year", "2027", stdout=out, stderr=err)
    assert set(CalendarDay.objects.dates("date", "year")) == {D(2025, 1, 1)}
    assert "2027: not covered" in err.getvalue()


def test_sync_keeps_staff_days_and_corrects_or_drops_stale_package_copies(city_staff):
    services.calendar_sync_from_package(years=[2024])
    services.calendar_day_set(day=D(2024, 10, 12), kind="holiday", name="国庆节", by=city_staff)
    # A copy that no longer matches the package, and one the package no longer lists.
    CalendarDay.objects.filter(date=D(2024, 10, 7)).update(kind="workday")
    CalendarDay.objects.create(
        date=D(2024, 10, 19), kind="workday", name="国庆节", source="package"
    )

    result = services.calendar_sync_from_package(years=[2024])

    assert (result.created, result.updated, result.deleted) == (0, 1, 1)
    assert CalendarDay.objects.get(date=D(2024, 10, 7)).kind == "holiday"
    assert not CalendarDay.objects.filter(date=D(2024, 10, 19)).exists()
    assert CalendarDay.objects.get(date=D(2024, 10, 12)).kind == "holiday"  # staff's, kept
    assert CalendarChange.objects.filter(date=D(2024, 10, 19), kind_after="").exists()


def test_the_demo_step_fills_the_calendar_in_a_few_bulk_queries(django_assert_max_num_queries):
    from anping.workdays import demo

    class Ctx:
        lines: list = []

        def say(self, line):
            self.lines.append(line)

    # the existing rows (locked), then one bulk insert of days and one of change rows (each in
    # batches on SQLite), inside savepoints
    with django_assert_max_num_queries(10):
        demo.seed(Ctx())
    assert CalendarDay.objects.filter(date__year=2025).count() > 20
    assert "working-day calendar" in Ctx.lines[0]
