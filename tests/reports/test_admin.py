"""The months in the admin: the same services as the dashboard, as admin actions."""

import datetime as dt

import pytest

from anping.reports import services
from anping.reports.models import MonthlyReport, ReportExport

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def march(world, activities):
    services.rollup_month(month=MARCH)
    return MonthlyReport.objects.get(month=MARCH, region=world.city)


def test_city_staff_list_months_and_build_the_workbook_from_an_action(
    client, march, city_staff, django_capture_on_commit_callbacks
):
    client.force_login(city_staff)
    body = client.get("/admin/reports/monthlyreport/").content.decode()
    assert "安阳市" in body and "林州市" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/reports/monthlyreport/",
            {"action": "build_workbook", "_selected_action": [march.pk]},
            follow=True,
        )
    export = ReportExport.objects.get(report=march)
    assert export.status == "done"
    assert f"/reports/exports/{export.pk}/" in response.content.decode()


def test_county_staff_see_their_county_and_cannot_publish(client, march, county_staff):
    client.force_login(county_staff)
    body = client.get("/admin/reports/monthlyreport/").content.decode()
    assert "林州市" in body and "文峰区" not in body
    linzhou = MonthlyReport.objects.get(month=MARCH, region__code="410581")
    client.post(
        "/admin/reports/monthlyreport/",
        {"action": "publish", "_selected_action": [linzhou.pk]},
        follow=True,
    )
    assert not MonthlyReport.objects.filter(status="published").exists()


def test_city_staff_publish_from_the_admin(client, march, city_staff):
    client.force_login(city_staff)
    client.post(
        "/admin/reports/monthlyreport/",
        {"action": "publish", "_selected_action": [march.pk]},
        follow=True,
    )
    assert MonthlyReport.objects.filter(month=MARCH, status="published").count() == 10


def test_the_admin_is_closed_to_deputies(client, march, deputy_user):
    client.force_login(deputy_user)
    response = client.get("/admin/reports/monthlyreport/")
    assert response.status_code == 302
