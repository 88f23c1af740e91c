"""Bad months, years and ids in the reports' URLs: a 404 or a Chinese message, never a 500, and
nothing computed or published."""

import pytest

from anping.reports.models import MonthlyReport, ReportExport

pytestmark = pytest.mark.django_db


def _refused(value: str) -> int:
    # A NUL never reaches the view: anping.web.middleware answers a Chinese 400 page first.
    return 400 if "\x00" in value else 404


BAD_MONTHS = ["9999-12", "0001-01", "1999-12", "2101-01", "2026-13", "2026-00", "abc", "2026-3\x00"]


@pytest.mark.parametrize("month", BAD_MONTHS)
def test_the_dashboard_refuses_a_month_out_of_range(client, world, city_staff, month):
    client.force_login(city_staff)
    assert client.get("/reports/", {"month": month}).status_code == _refused(month)


@pytest.mark.parametrize("month", BAD_MONTHS)
@pytest.mark.parametrize("url", ["/reports/compute/", "/reports/publish/"])
def test_compute_and_publish_refuse_a_month_out_of_range(client, world, city_staff, url, month):
    client.force_login(city_staff)
    assert client.post(url, {"month": month, "region": "410500"}).status_code == _refused(month)
    assert not MonthlyReport.objects.exists()


def test_the_last_and_first_months_of_the_range_work(client, world, city_staff):
    client.force_login(city_staff)
    assert client.get("/reports/", {"month": "2100-12"}).status_code == 200
    assert client.get("/reports/", {"month": "2000-01"}).status_code == 200


@pytest.mark.parametrize("report", ["abc", "", "1.5", "-1", "1\x00"])
def test_a_workbook_for_a_report_id_not_a_number_is_404(client, world, city_staff, report):
    client.force_login(city_staff)
    assert client.post("/reports/exports/new/", {"report": report}).status_code == _refused(report)
    assert not ReportExport.objects.exists()


def test_publishing_a_month_not_computed_says_so_in_chinese(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        "/reports/publish/", {"month": "2026-03", "region": "410500"}, follow=True
    )
    assert response.status_code == 200
    assert "2026年3月 尚未统计" in response.content.decode()
