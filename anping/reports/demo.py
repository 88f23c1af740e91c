"""Demo statistics rolled up from the demo records: every month of 2024 (the year of the
committee's report, which the demo activities and livelihood projects follow) and every month of
the current year so far (the demo suggestions run up to today). Months that ended before last
month are published by the city's staff; the rest stay drafts, so the dashboard shows both."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anping.accounts.models import User

from . import services
from .periods import current_month, previous_month

REPORT_YEAR = 2024


def seed(ctx) -> None:
    city_staff = User.objects.filter(username="city").first()
    this_month = current_month()
    months = [dt.date(REPORT_YEAR, n, 1) for n in range(1, 13)]
    months += [
        dt.date(this_month.year, n, 1)
        for n in range(1, this_month.month + 1)
        if this_month.year != REPORT_YEAR
    ]
    publish_before = previous_month(timezone.localdate())
    for first in months:
        services.rollup_month(month=first)
        if city_staff is not None and first < publish_before:
            services.publish_month(month=first, by=city_staff, reason="演示数据")
    ctx.say(f"  monthly statistics: {len(months)} months, those before last month published")
