"""The demo statistics cover 2024 complete and the current year to date; months before last are
published."""

import datetime as dt

import pytest
import time_machine

from anping.reports import demo
from anping.reports.models import MonthlyReport

from .conftest import SH

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self):
        self.said = []

    def say(self, text):
        self.said.append(text)


def test_the_demo_months_are_2024_and_this_year_to_date():
    months = demo.demo_months(dt.date(2026, 12, 2))
    assert months[:12] == [dt.date(2024, n, 1) for n in range(1, 13)]
    assert months[12:] == [dt.date(2026, n, 1) for n in range(1, 13)]
    assert demo.demo_months(dt.date(2024, 5, 3)) == [dt.date(2024, n, 1) for n in range(1, 13)]


def test_the_demo_computes_and_publishes_and_runs_twice(world, city_staff):
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=SH), tick=False):
        demo.seed(Ctx())
        demo.seed(Ctx())  # a second run leaves the published months alone
    city = MonthlyReport.objects.filter(region=world.city)
    assert city.filter(month__year=2024).count() == 12
    assert city.filter(month__year=2026).count() == 12
    assert city.filter(month__year=2025).count() == 0
    published = set(city.filter(status="published").values_list("month", flat=True))
    assert published == {dt.date(2024, n, 1) for n in range(1, 13)} | {
        dt.date(2026, n, 1) for n in range(1, 11)
    }
    # Last month (November) and this month stay drafts.
    assert set(city.filter(status="draft").values_list("month", flat=True)) == {
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
    }
