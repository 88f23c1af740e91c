"""In the browser: staff read the month's charts, build the workbook and download it."""

import datetime as dt

import pytest

from anping.reports import services
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_staff_build_the_workbook_from_the_dashboard(
    transactional_db, live_server, page, city_staff, full_world
):
    services.rollup_month(month=dt.date(2026, 3, 1))
    browser_login(page, live_server, "city")
    page.goto(f"{live_server.url}/reports/?month=2026-03")
    assert page.locator("svg.chart").count() == 3
    assert page.locator('[data-figure="persons"]').inner_text() == "4"
    # Drill down to a county from the table.
    page.click("#drill >> text=林州市")
    assert page.locator('[data-figure="persons"]').inner_text() == "2"
    page.goto(f"{live_server.url}/reports/?month=2026-03")
    page.click("text=生成Excel报表")
    # The page polls the export's progress and shows the link when the workbook is ready.
    link = page.locator("#export-download")
    link.wait_for(state="visible")
    assert "100%" in page.locator("[data-label]").inner_text()
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    # And the notification arrived in the inbox (the badge in the shell).
    page.goto(f"{live_server.url}/notifications/")
    assert "Excel报表已生成" in page.content()
