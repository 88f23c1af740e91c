"""Demo statistics rolled up from the demo records: every month of 2024 (the year of the
committee's report, which the demo activities follow) and the current month. The months of 2024
are published by the city's staff, so the dashboard shows published months and a draft."""

from __future__ import annotations

import datetime as dt

from anping.accounts.models import User

from . import services
from .periods import current_month

REPORT_YEAR = 2024


def seed(ctx) -> None:
    city_staff = User.objects.filter(username="city").first()
    for n in range(1, 13):
        first = dt.date(REPORT_YEAR, n, 1)
        services.rollup_month(month=first)
        if city_staff is not None:
            services.publish_month(month=first, by=city_staff, reason="演示数据")
    services.rollup_month(month=current_month())
    ctx.say(f"  monthly statistics for {REPORT_YEAR} (published) and {current_month():%Y-%m}")
