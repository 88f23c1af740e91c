"""City staff's daily digest names a year whose holidays nobody has entered."""

import datetime as dt

import pytest

from anping.notifications import digest
from anping.workdays import services

D = dt.date


def test_from_november_city_staff_are_reminded_of_next_year(city_staff, package_until_2026):
    lines = [line for line in digest.collect(city_staff, D(2026, 11, 28)) if "日历" in line.label]
    assert [(line.label, line.count, line.url) for line in lines] == [
        (
            "节假日尚未录入工作日历的年份：2027",
            1,
            "/admin/workdays/calendarday/",
        )
    ]


def test_no_reminder_once_the_year_is_entered_or_before_november(city_staff, package_until_2026):
    assert not [
        line for line in digest.collect(city_staff, D(2026, 10, 31)) if "工作日历" in line.label
    ]
    services.calendar_day_set(day=D(2027, 1, 1), kind="holiday", name="元旦", by=city_staff)
    assert not [
        line for line in digest.collect(city_staff, D(2026, 11, 28)) if "工作日历" in line.label
    ]


def test_a_current_year_not_entered_counts_too(city_staff, package_until_2026):
    line = digest.registered()["workdays"](city_staff, D(2028, 12, 1))[0]
    assert (line.count, line.label) == (2, "节假日尚未录入工作日历的年份：2028、2029")


@pytest.mark.parametrize("who", ["county_staff", "unit_staff", "deputy_user", "outsider"])
def test_only_city_staff_who_can_enter_it_are_reminded(request, who, package_until_2026):
    user = request.getfixturevalue(who)
    assert digest.registered()["workdays"](user, D(2026, 11, 28)) == []
