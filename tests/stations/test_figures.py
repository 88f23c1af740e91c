"""The figures of the city's 2024 report come out of the records: a small scenario for each
figure, and the demo data (Anyang 2024) giving the report's own numbers."""

import datetime as dt
import io
import random

import pytest
from django.utils import timezone

from anping.orgs.models import Organisation
from stations import selectors, services
from stations.models import Activity, DepartmentReport, Group, Membership, Opinion

from .factories import make_activity, make_group, make_opinion, make_station

pytestmark = pytest.mark.django_db
S = Opinion.Status


def test_budget_review_adoption_rate(city_staff, anyang, me):
    review = make_activity(region=anyang, kind=Activity.Kind.BUDGET_REVIEW, persons=[me])
    for status in (S.ADOPTED, S.ADOPTED, S.ADOPTED, S.NOT_ADOPTED, S.RECORDED):
        make_opinion(taken_by=me, region=anyang, activity=review, status=status)
    budget = selectors.year_figures(user=city_staff, year=2024)["budget"]
    assert budget == {"activities": 1, "deputies": 1, "opinions": 5, "adopted": 3, "rate": 0.75}


def test_station_events_count_deputies_stations_and_departments(
    city_staff, anyang, linzhou, me, linzhou_deputy, housing
):
    station = make_station(region=linzhou)
    for unit_name in ("安阳市交通运输局", "安阳市教育局"):
        unit = Organisation.objects.create(
            name=unit_name, kind=Organisation.Kind.HANDLING_UNIT, region=anyang
        )
        event = make_activity(
            region=linzhou,
            kind=Activity.Kind.STATION_EVENT,
            station=station,
            persons=[me, linzhou_deputy],
        )
        DepartmentReport.objects.create(
            activity=event, unit=unit, head_name="王建国", topic="工作报告"
        )
    events = selectors.year_figures(user=city_staff, year=2024)["station_events"]
    assert events == {"deputies": 2, "stations": 1, "heads": 2}


def test_groups_count_distinct_deputies_by_level(city_staff, anyang, linzhou, me, linzhou_deputy):
    for i in range(2):
        group = make_group(region=anyang, name=f"市级小组{i}", field="航空")
        Membership.objects.create(group=group, person=me)  # one deputy in two groups
    lower = make_group(region=linzhou, name="林州电商小组", category=Group.Category.ECOMMERCE)
    Membership.objects.create(group=lower, person=linzhou_deputy)
    figures = selectors.year_figures(user=city_staff, year=2024)
    assert figures["city_groups"] == {"n": 2, "members": 1}
    assert figures["lower_groups"] == {"n": 1, "categories": 1, "members": 1}


def test_opinions_collected_and_solved(
    city_staff, county_staff, anyang, linzhou, me, linzhou_deputy
):
    make_opinion(taken_by=me, region=anyang, status=S.SOLVED)
    make_opinion(taken_by=linzhou_deputy, region=linzhou, channel=Opinion.Channel.WECHAT)
    opinion = make_opinion(taken_by=linzhou_deputy, region=linzhou)
    services.opinion_move(opinion=opinion, to=S.SOLVED, reason="已解决", by=county_staff)
    city = selectors.year_figures(user=city_staff, year=2024)["opinions"]
    county = selectors.year_figures(user=county_staff, year=2024)["opinions"]
    assert (city["n"], city["solved"], city["wechat"]) == (3, 2, 1)
    assert (county["n"], county["solved"]) == (2, 1)


def test_the_figures_page_is_for_staff(client, city_staff, outsider):
    client.force_login(city_staff)
    assert (
        "2024年履职工作数据"
        in client.get("/admin/stations/activity/figures/?year=2024").content.decode()
    )
    client.force_login(outsider)
    assert client.get("/admin/stations/activity/figures/").status_code == 302


def test_the_demo_data_gives_the_reports_figures():
    """Anyang 2024 as `make run` builds it: the figures of the report of 23 September 2024."""
    from anping.accounts.models import User
    from anping.web import demo as web_demo
    from deputies import demo as deputies_demo
    from stations import demo as stations_demo

    ctx = web_demo.DemoContext(rng=random.Random(20240923), stdout=io.StringIO(), deputies=9700)
    for module in (web_demo, deputies_demo, stations_demo):
        module.seed(ctx)
    city = User.objects.get(username="city")
    f = selectors.year_figures(user=city, year=2024)
    assert f["inspections_surveys"] >= 300
    assert f["opinions"]["n"] >= 2000 and f["opinions"]["solved"] >= 1600
    assert (f["professional_stations"], f["professional_co_built"]) == (5, 5)
    assert f["visiting"] == [{"station__name": "豫北航空经济协作区人大代表联络站", "n": 4}]
    assert f["city_groups"] == {"n": 15, "members": 135}
    assert f["lower_groups"] == {"n": 89, "categories": 6, "members": 1085}
    assert (f["legislation"]["deputies"], f["legislation"]["opinions"]) == (65, 54)
    budget = f["budget"]
    assert (budget["activities"], budget["deputies"]) == (9, 107)
    assert budget["opinions"] >= 60 and round(budget["rate"], 2) == 0.85
    assert f["publicity"]["activities"] >= 160 and f["publicity"]["opinions"] == 265
    assert f["station_events"] == {"deputies": 94, "stations": 11, "heads": 12}
    [campaign] = f["campaigns"]
    assert (campaign.measures_done, campaign.measures_n) == (12, 12)
    coverage = selectors.coverage(base=city.region, year=2024)
    assert 0.9 < coverage["rate"] < 1
    last_2024 = Activity.objects.filter(date__year=2024).order_by("-date").first().date
    assert last_2024 <= dt.date(2024, 9, 20)  # the report's "截至9月份"
    # And the current year to date, month by month, so a first look finds a full month.
    today = timezone.localdate()
    months = set(
        Activity.objects.filter(date__year=today.year).values_list("date__month", flat=True)
    )
    assert months == set(range(1, today.month + 1))
    assert not Activity.objects.filter(date__gt=today).exists()
    assert selectors.default_year() == today.year
