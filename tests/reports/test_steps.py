"""Each step of a month (compute, publish, export) has a predicate next to its service: the
dashboard shows a step's button exactly when the predicate holds, and the service accepts the
step exactly then."""

import datetime as dt

import pytest
import time_machine

from anping.reports import services
from anping.reports.models import MonthlyReport, ReportExport, ReportTransition

from .conftest import SH

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
TODAY = dt.datetime(2026, 12, 2, 9, tzinfo=SH)
PUBLISH_FORM = 'action="/reports/publish/"'
COMPUTE_FORM = 'action="/reports/compute/"'


def _state(state, city_staff):
    """The month the dashboard opens: an ended draft, a published month, or the running month."""
    month = {"draft": MARCH, "published": MARCH, "running": dt.date(2026, 12, 1)}[state]
    services.rollup_month(month=month)
    if state == "published":
        services.publish_month(month=month, by=city_staff)
    return month


@pytest.mark.parametrize("state", ["draft", "published", "running"])
@pytest.mark.parametrize("who", ["city_staff", "county_staff"])
def test_the_buttons_show_exactly_when_the_service_would_accept(
    client, request, world, city_staff, state, who
):
    user = request.getfixturevalue(who)
    with time_machine.travel(TODAY, tick=False):
        month = _state(state, city_staff)
        client.force_login(user)
        body = client.get("/reports/", {"month": f"{month:%Y-%m}"}).content.decode()
        may_publish = services.may_publish(month=month, by=user)
        may_compute = services.may_compute(month=month, by=user)
        assert (PUBLISH_FORM in body) == may_publish
        assert (COMPUTE_FORM in body) == may_compute
        # Expected by hand: only city staff publish, only an ended draft; a published month is
        # never computed again.
        assert may_publish == (who == "city_staff" and state == "draft")
        assert may_compute == (state != "published")
        # And the services agree with the predicates.
        client.post("/reports/compute/", {"month": f"{month:%Y-%m}", "region": user.region.code})
        computed = ReportTransition.objects.filter(
            report__month=month, report__region=user.region, action="compute", by=user
        ).exists()
        assert computed == may_compute
        client.post("/reports/publish/", {"month": f"{month:%Y-%m}", "region": user.region.code})
        published = MonthlyReport.objects.filter(month=month, status="published").exists()
        assert published == (state == "published" or may_publish)


def test_the_export_predicate_follows_the_scope(world, city_staff, county_staff):
    services.rollup_month(month=MARCH)
    city = MonthlyReport.objects.get(month=MARCH, region=world.city)
    linzhou = MonthlyReport.objects.get(month=MARCH, region=world.linzhou)
    assert services.may_export(report=city, by=city_staff)
    assert services.may_export(report=linzhou, by=county_staff)
    assert not services.may_export(report=city, by=county_staff)
    with pytest.raises(services.NotAllowed):
        services.export_request(report=city, by=county_staff)
    assert not ReportExport.objects.exists()
