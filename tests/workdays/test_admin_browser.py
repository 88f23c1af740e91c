"""A city staff user enters next year's 春节 in the admin, in a real browser."""

import datetime as dt

import pytest

from anping.workdays.calendar import add_working_days
from anping.workdays.models import CalendarChange, CalendarDay
from tests.conftest import browser_login


@pytest.mark.browser
def test_city_staff_enter_a_holiday_and_see_it_listed(
    transactional_db, live_server, page, city_staff, package_until_2026
):
    browser_login(page, live_server, "city")
    page.goto(f"{live_server.url}/admin/workdays/calendarday/add/")
    page.fill("#id_date", "2027-02-08")
    page.select_option("#id_kind", "holiday")
    page.fill("#id_name", "春节")
    page.fill("#id_reason", "国务院办公厅关于2027年部分节假日安排的通知")
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")

    listing = page.locator("#result_list")
    assert "春节" in listing.inner_text()
    assert "法定节假日（放假）" in listing.inner_text()
    assert "星期一" in listing.inner_text()
    row = CalendarDay.objects.get(date=dt.date(2027, 2, 8))
    assert (row.source, row.updated_by) == ("staff", city_staff)
    assert CalendarChange.objects.get(date=row.date).reason.startswith("国务院办公厅")
    assert add_working_days(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 9)
