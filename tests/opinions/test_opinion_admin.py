"""The opinion admin writes only through the services (ScopedAdmin's save_service), checking the
region and every record an opinion links to; its actions and outcome button through HTTP, as
staff of the region and as county staff outside it, with the database afterwards."""

import datetime as dt

import pytest

from stations.models import Opinion
from tests.stations.factories import make_opinion, make_station

pytestmark = pytest.mark.django_db
S = Opinion.Status


@pytest.fixture
def in_wenfeng(me, township):
    return make_opinion(taken_by=me, region=township, summary="路面坑洼")


def _form(opinion, **changes):
    data = {
        "channel": opinion.channel,
        "topic": opinion.topic,
        "summary": opinion.summary,
        "details": "",
        "constituent": "",
        "region": opinion.region_id,
        "taken_by": opinion.taken_by_id,
        "received_on": opinion.received_on.isoformat(),
        "station": "",
        "activity": "",
        "campaign": "",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_staff_of_the_region_edit_an_opinion_through_the_service(client, wenfeng_staff, in_wenfeng):
    client.force_login(wenfeng_staff)
    url = f"/admin/stations/opinion/{in_wenfeng.pk}/change/"
    response = client.post(url, _form(in_wenfeng, summary="路面坑洼，雨天积水"))
    assert response.status_code == 302
    in_wenfeng.refresh_from_db()
    assert in_wenfeng.summary == "路面坑洼，雨天积水"


def test_county_staff_outside_the_region_cannot_reach_it(client, county_staff, in_wenfeng):
    client.force_login(county_staff)
    url = f"/admin/stations/opinion/{in_wenfeng.pk}/change/"
    response = client.post(url, _form(in_wenfeng, summary="改"))
    assert response.status_code in (302, 404)
    in_wenfeng.refresh_from_db()
    assert in_wenfeng.summary == "路面坑洼"
    response = client.post(
        f"/admin/stations/opinion/{in_wenfeng.pk}/outcome/", {"to": S.SOLVED, "reason": "x"}
    )
    assert response.status_code == 404
    assert Opinion.objects.get(pk=in_wenfeng.pk).status == S.RECORDED


def test_a_station_outside_the_staffs_region_is_refused(client, wenfeng_staff, in_wenfeng, linzhou):
    elsewhere = make_station(region=linzhou.children.first())
    client.force_login(wenfeng_staff)
    url = f"/admin/stations/opinion/{in_wenfeng.pk}/change/"
    response = client.post(url, _form(in_wenfeng, station=elsewhere.pk, summary="改"), follow=True)
    in_wenfeng.refresh_from_db()
    assert in_wenfeng.station_id is None and in_wenfeng.summary == "路面坑洼"
    assert "区域" in response.content.decode()


def test_the_bulk_actions_move_only_what_the_staff_see(
    client, wenfeng_staff, county_staff, in_wenfeng, me, linzhou
):
    from stations.models import OpinionTransition

    elsewhere = make_opinion(taken_by=me, region=linzhou, summary="林州的意见")
    action = {"action": "mark_solved", "_selected_action": [in_wenfeng.pk, elsewhere.pk]}
    client.force_login(wenfeng_staff)
    client.post("/admin/stations/opinion/", action)
    assert Opinion.objects.get(pk=in_wenfeng.pk).status == S.SOLVED
    assert Opinion.objects.get(pk=elsewhere.pk).status == S.RECORDED
    client.force_login(county_staff)
    client.post("/admin/stations/opinion/", action)
    assert Opinion.objects.get(pk=elsewhere.pk).status == S.SOLVED
    assert list(
        OpinionTransition.objects.filter(by=county_staff).values_list("opinion_id", flat=True)
    ) == [elsewhere.pk]


def test_the_outcome_button_as_staff_of_the_region(client, wenfeng_staff, in_wenfeng):
    client.force_login(wenfeng_staff)
    url = f"/admin/stations/opinion/{in_wenfeng.pk}/outcome/"
    assert client.post(url, {"to": S.CLOSED, "reason": "已解释说明"}).status_code == 302
    in_wenfeng.refresh_from_db()
    assert (in_wenfeng.status, in_wenfeng.closed_on) == (S.CLOSED, dt.date.today())
    # A second move is refused with the service's message; nothing changes.
    response = client.post(url, {"to": S.SOLVED, "reason": "again"}, follow=True)
    assert Opinion.objects.get(pk=in_wenfeng.pk).status == S.CLOSED
    assert response.status_code == 200
