"""Campaigns and their measures: status moves forward, recorded; activities link to measures."""

import datetime as dt

import pytest
import time_machine

from anping.errors import DomainError, NotAllowed
from anping.orgs.models import Organisation
from stations import selectors, services
from stations.models import Campaign, Measure, MeasureChange

from .factories import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(anyang):
    return Campaign.objects.create(
        name="为人民履职、为中原添彩·人大代表在行动", year=2024, region=anyang
    )


@pytest.fixture
def measure(campaign, anyang):
    owner = Organisation.objects.create(
        name="安阳市人大代表工作委员会", kind=Organisation.Kind.SPECIAL_COMMITTEE, region=anyang
    )
    return Measure.objects.create(
        campaign=campaign,
        number=1,
        title="新设5个专业代表联络站",
        owner=owner,
        deadline=dt.date(2024, 9, 30),
    )


@time_machine.travel(dt.datetime(2024, 9, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_city_staff_carry_a_measure_out(city_staff, measure):
    services.measure_set_status(measure=measure, to=Measure.Status.IN_PROGRESS, by=city_staff)
    services.measure_set_status(
        measure=measure, to=Measure.Status.DONE, by=city_staff, reason="5个站已挂牌"
    )
    measure.refresh_from_db()
    assert (measure.status, measure.done_on) == (Measure.Status.DONE, dt.date(2024, 9, 2))
    assert list(MeasureChange.objects.order_by("pk").values_list("to_status", flat=True)) == [
        "in_progress",
        "done",
    ]
    with pytest.raises(DomainError):
        services.measure_set_status(measure=measure, to=Measure.Status.IN_PROGRESS, by=city_staff)


@pytest.mark.parametrize("role", ["county", "deputy", "unit", "evaluator", "outsider"])
def test_only_staff_over_the_campaign_move_its_measures(roles, role, measure):
    with pytest.raises(NotAllowed):
        services.measure_set_status(measure=measure, to=Measure.Status.DONE, by=roles[role])
    measure.refresh_from_db()
    assert measure.status == Measure.Status.PLANNED


def test_county_staff_see_the_citys_campaign_but_cannot_change_it(client, county_staff, campaign):
    client.force_login(county_staff)
    assert "人大代表在行动" in client.get("/admin/stations/campaign/").content.decode()
    page = client.get(f"/admin/stations/campaign/{campaign.pk}/change/").content.decode()
    assert 'name="_save"' not in page


def test_measures_carried_out_count_in_the_years_figures(city_staff, measure, anyang):
    make_activity(region=anyang, measure=measure)
    services.measure_set_status(measure=measure, to=Measure.Status.DONE, by=city_staff)
    [campaign] = selectors.year_figures(user=city_staff, year=2024)["campaigns"]
    assert (campaign.measures_done, campaign.measures_n) == (1, 1)
    assert measure.activities.count() == 1


def test_the_measure_page_shows_its_history_on_the_shared_timeline(client, city_staff, measure):
    services.measure_set_status(
        measure=measure, to=Measure.Status.DONE, by=city_staff, reason="5个站已挂牌"
    )
    client.force_login(city_staff)
    page = client.get(f"/admin/stations/measure/{measure.pk}/change/").content.decode()
    assert '<ol class="timeline">' in page and "5个站已挂牌" in page


def _measures(campaign, owner, n):
    start = Measure.objects.filter(campaign=campaign).count()
    for i in range(start + 1, start + n + 1):
        Measure.objects.create(
            campaign=campaign,
            number=i,
            title=f"举措{i}",
            owner=owner,
            deadline=dt.date(2024, 9, 30),
        )


# Each list, 8 queries: session, user, the user's region (the scope), the page's COUNT, the
# user's and their groups' permissions (the admin's action checks), the rows (counts as
# aggregates, related rows joined), and the filter's choices: the campaigns' years for the
# campaign list, the visible campaigns for the measure list (read before the COUNT).
@pytest.mark.parametrize("url", ["/admin/stations/campaign/", "/admin/stations/measure/"])
def test_campaign_and_measure_lists_do_not_grow_with_rows(
    client, city_staff, campaign, measure, url, django_assert_num_queries
):
    client.force_login(city_staff)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    _measures(campaign, measure.owner, 12)
    Campaign.objects.create(name="第二个主题活动", year=2024, region=campaign.region)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
