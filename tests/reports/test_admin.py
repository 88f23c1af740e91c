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


CHANGELIST = "/admin/reports/monthlyreport/"


@pytest.fixture
def wenfeng_staff(wenfeng):
    from anping.accounts.models import User
    from tests.conftest import make_user

    return make_user("wenfeng", User.Role.COUNTY_STAFF, region=wenfeng)


@pytest.mark.parametrize("who", ["city_staff", "county_staff"])
def test_staff_compute_the_month_again_from_the_admin(client, request, march, who):
    from anping.reports.models import ReportTransition

    user = request.getfixturevalue(who)
    client.force_login(user)
    mine = MonthlyReport.objects.visible_to(user).get(month=MARCH, region=user.region)
    before = mine.computed_at
    response = client.post(
        CHANGELIST, {"action": "compute_again", "_selected_action": [mine.pk]}, follow=True
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.computed_at > before
    step = ReportTransition.objects.filter(report=mine, by=user).get()
    assert (step.action, step.from_status, step.to_status) == ("compute", "draft", "draft")


def test_computing_a_published_month_again_is_refused_with_a_message(client, march, city_staff):
    services.publish_month(month=MARCH, by=city_staff)
    client.force_login(city_staff)
    before = march.computed_at
    response = client.post(
        CHANGELIST, {"action": "compute_again", "_selected_action": [march.pk]}, follow=True
    )
    assert "已发布" in response.content.decode()
    march.refresh_from_db()
    assert march.computed_at == before


def test_county_staff_outside_the_region_act_on_nothing(client, march, wenfeng_staff):
    client.force_login(wenfeng_staff)
    linzhou = MonthlyReport.objects.get(month=MARCH, region__code="410581")
    before = linzhou.computed_at
    for action in ("compute_again", "build_workbook", "publish"):
        client.post(CHANGELIST, {"action": action, "_selected_action": [linzhou.pk]}, follow=True)
    linzhou.refresh_from_db()
    assert linzhou.computed_at == before
    assert not ReportExport.objects.exists()
    assert not MonthlyReport.objects.filter(status="published").exists()
    assert client.get(f"{CHANGELIST}{linzhou.pk}/change/").status_code == 302  # not theirs


def test_county_staff_build_their_county_workbook_only(
    client, march, county_staff, django_capture_on_commit_callbacks
):
    client.force_login(county_staff)
    linzhou = MonthlyReport.objects.get(month=MARCH, region__code="410581")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST,
            {"action": "build_workbook", "_selected_action": [linzhou.pk, march.pk]},
            follow=True,
        )
    assert list(ReportExport.objects.values_list("report_id", flat=True)) == [linzhou.pk]


def test_the_change_page_shows_the_month_history(client, march, city_staff):
    services.publish_month(month=MARCH, by=city_staff, reason="核对无误")
    client.force_login(city_staff)
    body = client.get(f"{CHANGELIST}{march.pk}/change/").content.decode()
    assert 'class="timeline"' in body
    assert "核对无误" in body and "王静" in body


def test_a_non_numeric_id_in_the_admin_is_not_a_500(client, march, city_staff):
    client.force_login(city_staff)
    assert client.get(f"{CHANGELIST}abc/change/").status_code in (302, 404)
