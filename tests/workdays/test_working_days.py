"""The clock counts working days by the Chinese public-holiday calendar, make-up days included."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from anping.workdays.calendar import (
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = dt.date
pytestmark = pytest.mark.django_db


def test_national_day_2024_is_off_and_its_make_up_days_are_worked():
    assert [is_working_day(D(2024, 10, d)) for d in range(1, 8)] == [False] * 7
    assert is_working_day(D(2024, 9, 29))  # Sunday, worked for 国庆
    assert is_working_day(D(2024, 10, 12))  # Saturday, worked for 国庆
    assert not is_working_day(D(2024, 10, 13))  # an ordinary Sunday
    assert not is_working_day(D(2024, 9, 28))  # an ordinary Saturday
    assert is_working_day(D(2024, 10, 8))


def test_ten_working_days_from_27_september_2024_end_on_16_october():
    # 29 Sep (make-up) 1, 30 Sep 2, 1-7 Oct off, 8-11 Oct 3-6, 12 Oct (make-up) 7, 14-16 Oct 8-10
    assert add_working_days(D(2024, 9, 27), 10) == D(2024, 10, 16)
    assert add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)
    assert add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)


def test_spring_festival_2025_is_skipped_and_its_make_up_days_counted():
    assert not any(is_working_day(D(2025, 1, 28) + dt.timedelta(days=i)) for i in range(8))
    assert is_working_day(D(2025, 1, 26)) and is_working_day(D(2025, 2, 8))
    # 26 Jan (make-up) 1, 27 Jan 2, 28 Jan - 4 Feb off, 5-7 Feb 3-5
    assert add_working_days(D(2025, 1, 24), 5) == D(2025, 2, 7)
    assert add_working_days(D(2025, 2, 7), 1) == D(2025, 2, 8)


def test_zero_working_days_is_the_start_and_negative_counts_back():
    assert add_working_days(D(2024, 10, 3), 0) == D(2024, 10, 3)
    assert add_working_days(D(2024, 10, 16), -10) == D(2024, 9, 27)
    assert add_working_days(D(2024, 10, 8), -1) == D(2024, 9, 30)


def test_working_days_between_counts_after_the_first_day_up_to_the_last():
    assert working_days_between(D(2024, 9, 27), D(2024, 10, 16)) == 10
    assert working_days_between(D(2024, 10, 16), D(2024, 9, 27)) == -10
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 7)) == 0
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 1)) == 0
    start = D(2025, 1, 20)
    for n in range(0, 40):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_keyword_arguments_work_too():
    assert add_working_days(start=D(2024, 9, 27), n=10) == D(2024, 10, 16)
    assert working_days_between(a=D(2024, 9, 27), b=D(2024, 10, 16)) == 10
    assert is_working_day(d=D(2024, 10, 12))
    assert add_months(start=D(2024, 1, 31), n=1) == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 9, 27), 3, D(2024, 12, 27)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: the month's last day
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),  # across the year
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 12, 15), 13, D(2026, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_an_aware_datetime_counts_as_its_day_in_china():
    # 23:30 UTC on 30 September is 07:30 on 1 October in Anyang: a holiday.
    moment = dt.datetime(2024, 9, 30, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert not is_working_day(moment)
    assert add_working_days(moment, 1) == D(2024, 10, 8)


@time_machine.travel(dt.datetime(2024, 9, 27, 17, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
def test_working_days_left_today_with_a_frozen_clock():
    today = timezone.localdate()
    due = add_working_days(today, 10)
    assert due == D(2024, 10, 16)
    assert working_days_between(today, due) == 10
    with time_machine.travel(
        dt.datetime(2024, 10, 3, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    ):
        # In the middle of the holiday, 8 working days are left: 8-12 Oct and 14-16 Oct.
        assert working_days_between(timezone.localdate(), due) == 8


def test_a_year_nobody_entered_follows_the_weekend_rule(package_until_2026):
    assert is_working_day(D(2027, 2, 8))  # 春节 2027 week, not entered yet
    assert not is_working_day(D(2027, 2, 13))
    assert add_working_days(D(2027, 2, 5), 5) == D(2027, 2, 12)
