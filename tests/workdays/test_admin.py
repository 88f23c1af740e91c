"""City staff keep the calendar in the admin; county staff read it; nobody else reaches it."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anping.workdays import services
from anping.workdays.calendar import is_working_day
from anping.workdays.models import CalendarChange, CalendarDay
from anping.workdays.signals import calendar_changed

D = dt.date
CHANGELIST = "/admin/workdays/calendarday/"
ADD = "/admin/workdays/calendarday/add/"


def test_city_staff_enter_a_holiday_in_the_admin_through_the_service(
    client, city_staff, package_until_2026, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, *, days, by, **kwargs):
        received.append((days, by))

    calendar_changed.connect(receiver)
    client.force_login(city_staff)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                ADD,
                {"date": "2027-02-08", "kind": "holiday", "name": "春节", "reason": "国办通知"},
            )
    finally:
        calendar_changed.disconnect(receiver)
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=D(2027, 2, 8))
    assert (row.kind, row.source, row.updated_by) == ("holiday", "staff", city_staff)
    log = CalendarChange.objects.get(date=D(2027, 2, 8))
    assert (log.kind_after, log.by, log.reason) == ("holiday", city_staff, "国办通知")
    assert received == [([D(2027, 2, 8)], city_staff)]
    assert not is_working_day(D(2027, 2, 8))


def test_the_admin_form_refuses_a_make_up_day_on_a_weekday(client, city_staff, package_until_2026):
    client.force_login(city_staff)
    response = client.post(ADD, {"date": "2027-02-09", "kind": "workday", "name": "春节"})
    assert response.status_code == 200
    assert "调休上班日只能是星期六或星期日。" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_the_admin_form_refuses_a_date_already_entered(client, city_staff, spring_festival_2027):
    client.force_login(city_staff)
    response = client.post(ADD, {"date": "2027-02-08", "kind": "holiday", "name": "春节"})
    assert response.status_code == 200
    assert response.content.decode().count("该日期已在日历中。") == 1
    assert CalendarDay.objects.filter(date=D(2027, 2, 8)).count() == 1


def test_city_staff_change_a_day_and_the_change_is_logged(client, city_staff, spring_festival_2027):
    client.force_login(city_staff)
    row = CalendarDay.objects.get(date=D(2027, 2, 12))
    response = client.post(
        f"{CHANGELIST}{row.pk}/change/",
        {"kind": "holiday", "name": "春节（延长）", "reason": "更正"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.name == "春节（延长）"
    assert CalendarChange.objects.filter(date=D(2027, 2, 12), reason="更正").exists()


def test_city_staff_delete_a_staff_day_but_not_a_package_day(
    client, city_staff, spring_festival_2027
):
    services.calendar_sync_from_package(years=[2024])
    client.force_login(city_staff)
    staff_day = CalendarDay.objects.get(date=D(2027, 2, 20))
    response = client.post(f"{CHANGELIST}{staff_day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2027, 2, 20)).exists()
    assert CalendarChange.objects.filter(date=D(2027, 2, 20), kind_after="").exists()
    package_day = CalendarDay.objects.get(date=D(2024, 10, 1))
    assert client.post(f"{CHANGELIST}{package_day.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CalendarDay.objects.filter(date=D(2024, 10, 1)).exists()


def test_bulk_delete_removes_staff_days_but_refuses_a_selection_with_package_days(
    client, city_staff, spring_festival_2027
):
    services.calendar_sync_from_package(years=[2024])
    client.force_login(city_staff)
    staff_ids = list(
        CalendarDay.objects.filter(date__in=[D(2027, 2, 11), D(2027, 2, 12)]).values_list(
            "pk", flat=True
        )
    )
    package_id = CalendarDay.objects.get(date=D(2024, 10, 1)).pk
    refused = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [*staff_ids, package_id], "post": "yes"},
    )
    assert refused.status_code == 403
    assert CalendarDay.objects.filter(pk__in=[*staff_ids, package_id]).count() == 3
    response = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": staff_ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk__in=staff_ids).exists()
    assert CalendarChange.objects.filter(kind_after="", by=city_staff).count() == 2
    assert is_working_day(D(2027, 2, 11))


def test_city_staff_copy_the_package_with_the_admin_action(client, city_staff):
    client.force_login(city_staff)
    response = client.post(CHANGELIST, {"action": "sync_from_package"}, follow=True)
    assert "已从软件包导入" in response.content.decode()
    assert CalendarDay.objects.filter(date=D(2025, 1, 28), name="春节", source="package").exists()


def test_county_staff_read_the_calendar_but_cannot_change_it(
    client, county_staff, spring_festival_2027
):
    client.force_login(county_staff)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "春节" in response.content.decode()
    assert client.get(ADD).status_code == 403
    assert (
        client.post(ADD, {"date": "2027-03-01", "kind": "holiday", "name": "x"}).status_code == 403
    )
    row = CalendarDay.objects.get(date=D(2027, 2, 20))
    assert client.post(f"{CHANGELIST}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CalendarDay.objects.count() == 6


@pytest.mark.parametrize("who", ["unit_staff", "deputy_user", "evaluator", "outsider"])
def test_nobody_else_reaches_the_calendar_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_change_log_is_read_only(client, city_staff, spring_festival_2027):
    client.force_login(city_staff)
    assert client.get("/admin/workdays/calendarchange/").status_code == 200
    assert client.get("/admin/workdays/calendarchange/add/").status_code == 403
    log = CalendarChange.objects.first()
    assert (
        client.post(f"/admin/workdays/calendarchange/{log.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_the_changelist_query_count_does_not_grow_with_rows(
    client, city_staff, spring_festival_2027
):
    client.force_login(city_staff)
    is_working_day(D(2027, 2, 8))  # the calendar loaded (the page's reminder reads it)
    with CaptureQueriesContext(connection) as few:
        assert client.get(CHANGELIST).status_code == 200
    services.calendar_sync_from_package()  # some 770 more rows, the page shows 50
    is_working_day(D(2027, 2, 8))
    with CaptureQueriesContext(connection) as many:
        assert client.get(CHANGELIST).status_code == 200
    # session, user, the page's rows (with updated_by joined), one COUNT, the date hierarchy
    assert len(many) == len(few)


@time_machine.travel(dt.datetime(2026, 11, 28, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
def test_staff_are_reminded_to_enter_next_years_holidays(client, city_staff, package_until_2026):
    client.force_login(city_staff)
    page = client.get(CHANGELIST).content.decode()
    assert "2027 年的节假日尚未录入日历" in page
    services.calendar_day_set(day=D(2027, 1, 1), kind="holiday", name="元旦", by=city_staff)
    assert "尚未录入日历" not in client.get(CHANGELIST).content.decode()


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")))
def test_no_reminder_before_next_years_schedule_is_expected(client, city_staff, package_until_2026):
    client.force_login(city_staff)
    assert "尚未录入日历" not in client.get(CHANGELIST).content.decode()


def test_county_staff_cannot_copy_the_package_with_the_admin_action(
    client, county_staff, spring_festival_2027
):
    client.force_login(county_staff)
    response = client.post(CHANGELIST, {"action": "sync_from_package"}, follow=True)
    assert response.status_code == 200
    assert "只有市人大常委会工作人员" in response.content.decode()
    assert CalendarDay.objects.count() == 6
    assert not CalendarDay.objects.filter(source="package").exists()
