"""City staff enter the holidays of a year the package does not cover; only they may."""

import datetime as dt

import pytest

from anping.errors import DomainError, NotAllowed
from anping.workdays import services
from anping.workdays.calendar import (
    add_working_days,
    deadline_after_working_days,
    is_working_day,
)
from anping.workdays.models import CalendarChange, CalendarDay

D = dt.date


def test_staff_entered_spring_festival_2027_moves_the_deadlines(spring_festival_2027):
    assert not is_working_day(D(2027, 2, 8))
    assert is_working_day(D(2027, 2, 20))  # the make-up Saturday
    assert add_working_days(D(2027, 2, 5), 5) == D(2027, 2, 19)
    deadline = deadline_after_working_days(D(2027, 2, 5), 6, start_label="交办日")
    assert deadline.date == D(2027, 2, 20)
    assert deadline.explanation == (
        "交办日 2027-02-05 起 6 个工作日（已跳过春节假期 2月8日至12日，含 2月20日调休上班）"
        "→ 2027-02-20"
    )


def test_a_holiday_entered_on_its_weekdays_only_reads_as_one_period(city_staff, package_until_2026):
    # 国庆 2027 entered as Friday 1 Oct and Monday-Thursday 4-7 Oct (the weekend between is off
    # anyway): one period, 1 to 7 October.
    for day in (1, 4, 5, 6, 7):
        services.calendar_day_set(
            day=D(2027, 10, day), kind="holiday", name="国庆节", by=city_staff
        )
    deadline = deadline_after_working_days(D(2027, 9, 30), 1)
    assert deadline.date == D(2027, 10, 8)
    assert "已跳过国庆节假期 10月1日至7日" in deadline.explanation
    assert "尚未录入" not in deadline.explanation  # 2027 now has entered days


def test_each_change_is_logged_with_who_and_why(spring_festival_2027, city_staff):
    log = CalendarChange.objects.filter(date=D(2027, 2, 8)).get()
    assert (log.kind_before, log.kind_after, log.name, log.by, log.reason) == (
        "",
        "holiday",
        "春节",
        city_staff,
        "国办发明电〔2026〕X号",
    )
    row = CalendarDay.objects.get(date=D(2027, 2, 8))
    assert (row.source, row.updated_by) == (CalendarDay.Source.STAFF, city_staff)


def test_setting_a_day_as_it_is_changes_nothing(spring_festival_2027, city_staff):
    before = CalendarChange.objects.count()
    services.calendar_day_set(day=D(2027, 2, 8), kind="holiday", name="春节", by=city_staff)
    assert CalendarChange.objects.count() == before


def test_staff_can_correct_a_package_day_which_then_becomes_theirs(city_staff):
    # Say the State Council moved 2024's make-up Saturday: staff turn 12 Oct into a holiday.
    services.calendar_day_set(day=D(2024, 10, 12), kind="holiday", name="国庆节", by=city_staff)
    assert not is_working_day(D(2024, 10, 12))
    row = CalendarDay.objects.get(date=D(2024, 10, 12))
    assert row.source == CalendarDay.Source.STAFF
    assert CalendarChange.objects.get(date=D(2024, 10, 12)).kind_after == "holiday"


def test_removing_a_staff_day_restores_the_weekend_rule(spring_festival_2027, city_staff):
    services.calendar_day_remove(day=D(2027, 2, 20), by=city_staff, reason="录入错误")
    assert not is_working_day(D(2027, 2, 20))
    assert not CalendarDay.objects.filter(date=D(2027, 2, 20)).exists()
    log = CalendarChange.objects.filter(date=D(2027, 2, 20)).first()
    assert (log.kind_before, log.kind_after, log.reason) == ("workday", "", "录入错误")


def test_a_package_day_cannot_be_removed(city_staff):
    services.calendar_sync_from_package(years=[2024])
    with pytest.raises(DomainError) as caught:
        services.calendar_day_remove(day=D(2024, 10, 1), by=city_staff)
    assert str(caught.value) == (
        "2024-10-01 属于国务院公布的节假日安排，不能删除；如需调整，请修改其类型。"
    )
    assert CalendarDay.objects.filter(date=D(2024, 10, 1)).exists()


def test_removing_a_day_not_in_the_calendar_is_refused(city_staff, package_until_2026):
    with pytest.raises(DomainError, match="2027-03-01 不在日历中"):
        services.calendar_day_remove(day=D(2027, 3, 1), by=city_staff)


def test_a_make_up_working_day_must_be_a_weekend_day(city_staff, package_until_2026):
    with pytest.raises(DomainError, match="调休上班日只能是星期六或星期日"):
        services.calendar_day_set(day=D(2027, 2, 9), kind="workday", name="春节", by=city_staff)
    assert not CalendarDay.objects.exists()


def test_a_day_needs_its_holiday_name(city_staff, package_until_2026):
    with pytest.raises(DomainError, match="请填写节日名称"):
        services.calendar_day_set(day=D(2027, 2, 9), kind="holiday", name=" ", by=city_staff)


@pytest.mark.parametrize(
    "who", ["county_staff", "unit_staff", "deputy_user", "evaluator", "outsider"]
)
def test_only_city_staff_change_the_calendar(request, who, package_until_2026):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed) as caught:
        services.calendar_day_set(day=D(2027, 2, 9), kind="holiday", name="春节", by=user)
    assert str(caught.value) == "只有市人大常委会工作人员可以修改工作日历。"
    with pytest.raises(NotAllowed):
        services.calendar_sync_from_package(by=user)
    assert not CalendarDay.objects.exists()
    assert is_working_day(D(2027, 2, 9))


def test_the_calendar_rows_are_visible_to_committee_staff_only(
    spring_festival_2027, city_staff, county_staff, unit_staff, deputy_user, outsider
):
    assert CalendarDay.objects.visible_to(city_staff).count() == 6
    assert CalendarDay.objects.visible_to(county_staff).count() == 6
    for user in (unit_staff, deputy_user, outsider):
        assert CalendarDay.objects.visible_to(user).count() == 0
        assert CalendarChange.objects.visible_to(user).count() == 0
