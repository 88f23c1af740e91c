"""Who may see the figures: committee staff in their scope. Everyone else gets 404."""

import datetime as dt

import openpyxl
import pytest

from anping.notifications.models import Notification
from anping.reports import services
from anping.reports.models import MonthlyReport, ReportExport

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
DENIED = ["deputy_user", "unit_staff", "evaluator", "outsider"]


@pytest.fixture
def march(world, activities, django_capture_on_commit_callbacks):
    services.rollup_month(month=MARCH)
    return {
        r.region.code: r for r in MonthlyReport.objects.filter(month=MARCH).select_related("region")
    }


@pytest.fixture
def city_export(march, city_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(report=march["410500"], by=city_staff)
    export.refresh_from_db()
    return export


def test_city_staff_build_and_download_the_city_workbook(client, city_export, city_staff, tmp_path):
    assert (city_export.status, city_export.progress) == ("done", 100)
    client.force_login(city_staff)
    status = client.get(f"/reports/exports/{city_export.pk}/status/").json()
    assert status["progress"] == 100 and status["download"].endswith("/download/")
    response = client.get(f"/reports/exports/{city_export.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    assert "代表履职明细" in openpyxl.load_workbook(path).sheetnames
    # The requester is told when it is ready, with the link to the export's page.
    note = Notification.objects.get(recipient=city_staff, kind="report_export_ready")
    assert note.url == f"/reports/exports/{city_export.pk}/"


@pytest.mark.parametrize("who", ["county_staff", *DENIED])
def test_others_may_not_download_the_city_workbook(client, request, city_export, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/reports/exports/{city_export.pk}/download/").status_code == 404
    assert client.get(f"/reports/exports/{city_export.pk}/").status_code == 404
    assert client.get(f"/reports/exports/{city_export.pk}/status/").status_code == 404


def test_county_staff_export_their_county_only(client, march, county_staff, city_staff):
    client.force_login(county_staff)
    linzhou = march["410581"]
    response = client.post("/reports/exports/new/", {"report": linzhou.pk})
    export = ReportExport.objects.get(report=linzhou)
    assert response.url == f"/reports/exports/{export.pk}/"
    assert client.post("/reports/exports/new/", {"report": march["410500"].pk}).status_code == 404
    assert client.post("/reports/exports/new/", {"report": march["410502"].pk}).status_code == 404
    # The city may open the county's export too (it is in the city's scope).
    client.force_login(city_staff)
    assert client.get(f"/reports/exports/{export.pk}/").status_code == 200


def test_anonymous_is_sent_to_login(client, city_export):
    response = client.get(f"/reports/exports/{city_export.pk}/download/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("who", DENIED)
def test_dashboard_and_year_page_are_for_staff_only(client, request, march, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/reports/").status_code == 404
    assert client.get("/reports/year/2026/").status_code == 404
    assert client.post("/reports/compute/", {"month": "2026-03"}).status_code == 404


def test_county_staff_see_their_county_not_the_city(client, march, county_staff):
    client.force_login(county_staff)
    body = client.get("/reports/?month=2026-03").content.decode()
    assert "林州市" in body and "文峰区" not in body
    assert client.get("/reports/?month=2026-03&region=410500").status_code == 404
    assert client.get("/reports/?month=2026-03&region=410502").status_code == 404
    assert client.get("/reports/year/2026/?region=410500").status_code == 404


def test_staff_may_not_publish_from_the_county(client, march, county_staff):
    client.force_login(county_staff)
    client.post("/reports/publish/", {"month": "2026-03"})
    assert not MonthlyReport.objects.filter(status="published").exists()


@pytest.mark.parametrize("who", DENIED)
def test_figures_and_steps_are_seen_with_their_month_only(request, march, county_staff, who):
    from anping.reports.models import Figure, ReportTransition

    linzhou = march["410581"]
    mine = Figure.objects.visible_to(county_staff)
    assert set(mine.values_list("report_id", flat=True)) == {linzhou.pk}
    steps = ReportTransition.objects.visible_to(county_staff)
    assert set(steps.values_list("report_id", flat=True)) == {linzhou.pk}
    other = request.getfixturevalue(who)
    assert not Figure.objects.visible_to(other).exists()
    assert not ReportTransition.objects.visible_to(other).exists()
    assert not ReportExport.objects.visible_to(other).exists()
