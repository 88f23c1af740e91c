"""The admin's lists: scoped to the staff's region, and a fixed number of queries per page."""

import datetime as dt

import pytest

from stations.models import Activity, Opinion

from .factories import make_activity, make_group, make_opinion, make_station

pytestmark = pytest.mark.django_db


def _rows(linzhou, person, n):
    township = linzhou.children.first()
    for i in range(n):
        group = make_group(region=linzhou, name=f"林州电商小组{Activity.objects.count()}")
        station = make_station(region=township)
        activity = make_activity(
            region=township, group=group, persons=[person], date=dt.date(2024, 5, 1 + i)
        )
        make_opinion(taken_by=person, region=township, activity=activity, station=station)


# Each changelist: session, user, permission checks (user and group permissions), the page's
# COUNT and its rows (with their related rows joined and their counts as subqueries), and the
# filters' choices (regions for the region filter; campaigns for the activity list).
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/stations/activity/", 9),
        ("/admin/stations/opinion/", 9),
        ("/admin/stations/group/", 8),
        ("/admin/stations/station/", 8),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(
    client, city_staff, linzhou, linzhou_deputy, url, expected, django_assert_num_queries
):
    client.force_login(city_staff)
    _rows(linzhou, linzhou_deputy, 1)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _rows(linzhou, linzhou_deputy, 12)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_county_staff_lists_hold_only_their_region(
    client, county_staff, linzhou, wenfeng, linzhou_deputy, wenfeng_deputy
):
    make_activity(region=linzhou, title="林州的活动")
    make_activity(region=wenfeng, title="文峰的活动")
    make_opinion(taken_by=linzhou_deputy, region=linzhou, summary="林州的意见")
    make_opinion(taken_by=wenfeng_deputy, region=wenfeng, summary="文峰的意见")
    client.force_login(county_staff)
    activities = client.get("/admin/stations/activity/").content.decode()
    opinions = client.get("/admin/stations/opinion/").content.decode()
    assert "林州的活动" in activities and "文峰的活动" not in activities
    assert "林州的意见" in opinions and "文峰的意见" not in opinions
    other = Opinion.objects.get(summary="文峰的意见")
    assert client.get(f"/admin/stations/opinion/{other.pk}/change/").status_code == 302


def test_the_activity_list_shows_participant_and_opinion_counts(
    client, city_staff, linzhou, linzhou_deputy
):
    _rows(linzhou, linzhou_deputy, 1)
    client.force_login(city_staff)
    response = client.get("/admin/stations/activity/")
    [row] = response.context["cl"].result_list
    assert (row.participants_n, row.opinions_n) == (1, 1)


@pytest.mark.parametrize("role", ["deputy", "unit", "evaluator", "outsider"])
def test_the_admin_lists_are_closed_to_everyone_else(client, roles, role):
    client.force_login(roles[role])
    assert client.get("/admin/stations/activity/").status_code == 302
