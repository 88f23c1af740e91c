"""Demo statistics rolled up from the demo records, over the years every app's demo covers: all
of 2024 (the year of the committee's report) and the current year to date, so that a first look
at `/reports/` shows a full month and `/reports/year/2024/` a full year. Months that ended before
last month are published by the city's staff; last month and this month stay drafts, so the
dashboard shows both states."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anping.accounts.models import User

from . import services
from .periods import current_month, previous_month

REPORT_YEAR = 2024


def demo_months(today: dt.date) -> list[dt.date]:
    """The first days of the months the demo computes: 2024 complete, the current year to date."""
    this_month = current_month(today)
    months = [dt.date(REPORT_YEAR, n, 1) for n in range(1, 13)]
    if this_month.year != REPORT_YEAR:
        months += [dt.date(this_month.year, n, 1) for n in range(1, this_month.month + 1)]
    return months


def seed(ctx) -> None:
    city_staff = User.objects.filter(username="city").first()
    today = timezone.localdate()
    publish_before = previous_month(today)
    months = demo_months(today)
    published = 0
    for first in months:
        if not services.may_compute(month=first):
            continue  # published by an earlier run: it never changes
        services.rollup_month(month=first)
        if city_staff is not None and first < publish_before:
            services.publish_month(month=first, by=city_staff, reason="演示数据")
            published += 1
    ctx.say(
        f"  monthly statistics: {len(months)} months ({months[0]:%Y-%m} to {months[-1]:%Y-%m}), "
        f"{published} published (those before last month)"
    )
