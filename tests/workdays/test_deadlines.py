"""Every deadline says, in Chinese, how it was computed."""

import datetime as dt

import pytest
from django.utils import translation

from anping.workdays.calendar import Deadline, deadline_after_months, deadline_after_working_days

D = dt.date
pytestmark = pytest.mark.django_db


def test_working_days_across_national_day_2024_explain_the_holiday_and_the_make_up_days():
    deadline = deadline_after_working_days(D(2024, 9, 27), 10, start_label="交办日")
    assert deadline == Deadline(
        date=D(2024, 10, 16),
        explanation="交办日 2024-09-27 起 10 个工作日（已跳过国庆节假期 10月1日至7日，"
        "含 9月29日、10月12日调休上班）→ 2024-10-16",
    )
    assert str(deadline) == deadline.explanation


def test_working_days_across_spring_festival_2025_span_two_months():
    deadline = deadline_after_working_days(D(2025, 1, 24), 5)
    assert deadline.date == D(2025, 2, 7)
    assert deadline.explanation == (
        "起算日 2025-01-24 起 5 个工作日（已跳过春节假期 1月28日至2月4日，含 1月26日调休上班）"
        "→ 2025-02-07"
    )


def test_a_period_with_only_weekends_needs_no_details():
    deadline = deadline_after_working_days(D(2024, 11, 1), 5, start_label="交办日")
    assert deadline.explanation == "交办日 2024-11-01 起 5 个工作日 → 2024-11-08"


def test_two_holidays_in_one_period_are_both_named():
    # 中秋 2024: 15-17 Sep off, 14 Sep (Saturday) worked; then 国庆.
    deadline = deadline_after_working_days(D(2024, 9, 12), 13)
    assert deadline.date == D(2024, 10, 8)
    assert "已跳过中秋节假期 9月15日至17日、国庆节假期 10月1日至7日" in deadline.explanation
    assert "含 9月14日、9月29日调休上班" in deadline.explanation


def test_three_months_from_assignment():
    deadline = deadline_after_months(D(2024, 9, 27), 3, start_label="交办日")
    assert deadline == Deadline(D(2024, 12, 27), "交办日 2024-09-27 起 3 个月 → 2024-12-27")


def test_a_month_deadline_on_a_holiday_moves_to_the_next_working_day():
    deadline = deadline_after_months(D(2024, 7, 1), 3)
    assert deadline.date == D(2024, 10, 8)
    assert deadline.explanation == (
        "起算日 2024-07-01 起 3 个月（2024-10-01 为国庆节假期，顺延至下一个工作日 2024-10-08）"
        "→ 2024-10-08"
    )
    assert deadline_after_months(D(2024, 7, 1), 3, roll_forward=False).date == D(2024, 10, 1)


def test_a_month_deadline_on_a_weekend_moves_to_monday_but_a_make_up_saturday_stands():
    weekend = deadline_after_months(D(2024, 9, 30), 2)  # 30 Nov 2024 is a Saturday
    assert weekend.date == D(2024, 12, 2)
    assert "2024-11-30 为休息日，顺延至下一个工作日 2024-12-02" in weekend.explanation
    make_up = deadline_after_months(D(2024, 7, 12), 3)  # Saturday 12 Oct 2024 is worked
    assert make_up.date == D(2024, 10, 12)
    assert make_up.explanation == "起算日 2024-07-12 起 3 个月 → 2024-10-12"


def test_a_month_without_the_day_ends_on_its_last_day_and_says_so():
    deadline = deadline_after_months(D(2024, 11, 30), 3)
    assert deadline.date == D(2025, 2, 28)
    assert "2月没有30日，取月末" in deadline.explanation


def test_a_year_nobody_entered_is_flagged_in_the_explanation(package_until_2026):
    deadline = deadline_after_working_days(D(2026, 12, 24), 10)
    assert deadline.date == D(2027, 1, 7)  # 2027's 元旦 is unknown: only weekends skipped
    assert "2027 年节假日安排尚未录入，仅按周末计算" in deadline.explanation
    assert "尚未录入" in deadline_after_months(D(2026, 12, 24), 1).explanation


def test_explanations_follow_the_active_language():
    with translation.override("en"):
        deadline = deadline_after_working_days(D(2024, 9, 27), 10, start_label="Assigned")
    assert deadline.explanation == (
        "Assigned 2024-09-27 plus 10 working days (skipped the 国庆节 holiday 10/1 to 7; "
        "including make-up working days on 9/29, 10/12) → 2024-10-16"
    )


def test_a_negative_period_is_a_programming_error():
    with pytest.raises(ValueError):
        deadline_after_working_days(D(2024, 9, 27), -1)
    with pytest.raises(ValueError):
        deadline_after_months(D(2024, 9, 27), -1)
