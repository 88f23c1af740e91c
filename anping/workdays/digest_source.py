"""The staff's daily digest reminds city staff when next year's holidays are not in the calendar.

The State Council publishes the coming year's schedule in the autumn; until the package has it or
staff enter it, deadlines reaching into that year skip weekends only. From November, city staff
(who alone may change the calendar) see the missing year in their digest every day until it is
entered.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anping.accounts import access
from anping.notifications import digest

from . import calendar

# From this month on, next year's schedule is expected (it is usually published in October or
# November).
NEXT_YEAR_FROM_MONTH = 11


def missing_years(day: dt.date) -> list[int]:
    years = [day.year] + ([day.year + 1] if day.month >= NEXT_YEAR_FROM_MONTH else [])
    known = calendar.known_years()
    return [year for year in years if year not in known]


@digest.register("workdays")
def calendar_not_entered(user, day: dt.date) -> list[digest.DigestLine]:
    if not access.is_city_staff(user):
        return []
    missing = missing_years(day)
    label = _("Years whose public holidays are not in the working-day calendar: %(years)s") % {
        "years": pgettext("list separator", ", ").join(str(year) for year in missing)
    }
    return [
        digest.DigestLine(label, len(missing), reverse("admin:workdays_calendarday_changelist"))
    ]
