"""No input gives a 500 on the stations pages: ids and parameters that are not numbers (letters,
other scripts' digits, NUL bytes, years no record holds) end in a 404, the page's default, or a
form error."""

import pytest

from stations.models import Membership, Participation

from .factories import make_activity, make_group, make_station

pytestmark = pytest.mark.django_db

BAD = ["abc", "²", "١٢", "9" * 30, "0", "-1", "１２", " 12"]
# A NUL never reaches these views: anping.web.middleware answers a Chinese 400 page first.
NUL = ["2024\x00", "\x00"]


@pytest.fixture
def objects(linzhou, linzhou_deputy, me):
    group = make_group(region=linzhou, name="林州市电商代表专业小组", leader=me)
    Membership.objects.create(group=group, person=me)
    station = make_station(region=linzhou)
    activity = make_activity(region=linzhou, group=group, persons=[me])
    return {"group": group, "station": station, "activity": activity}


@pytest.mark.parametrize("bad", BAD)
def test_staff_pages_take_any_parameter(client, city_staff, objects, me, bad):
    client.force_login(city_staff)
    a, g, s = objects["activity"].pk, objects["group"].pk, objects["station"].pk
    for url, params in [
        ("/admin/stations/activity/", {"year": bad}),
        ("/admin/stations/activity/", {"kind": bad, "q": bad, "p": bad, "o": bad}),
        ("/admin/stations/activity/", {"measure__campaign__id__exact": bad}),
        ("/admin/stations/activity/coverage/", {"region": bad, "year": bad, "page": bad}),
        ("/admin/stations/activity/figures/", {"year": bad}),
        (f"/admin/stations/activity/{a}/find/", {"group": bad, "region": bad, "level": bad}),
        (f"/admin/stations/activity/{a}/find/", {"expertise": bad, "name": bad}),
        (f"/admin/stations/station/{s}/deputies/", {"name": bad, "include_provincial": bad}),
        (f"/admin/stations/group/{g}/matches/", {}),
        ("/admin/stations/group/", {"level": bad, "is_active__exact": bad, "q": bad}),
        ("/admin/stations/station/", {"kind": bad, "q": bad}),
        ("/admin/stations/measure/", {"status": bad, "campaign__id__exact": bad}),
        ("/admin/stations/campaign/", {"year": bad}),
        (f"/stations/record/{me.pk}/", {"year": bad}),
        ("/stations/directory/", {"kind": bad, "page": bad}),
    ]:
        response = client.get(url, params)
        # The page (or the admin's "bad filter" redirect); an unknown region is not found.
        assert response.status_code in (200, 302, 404), (url, params, response.status_code)


@pytest.mark.parametrize("bad", ["abc", "²", "9" * 30])
@pytest.mark.parametrize("model", ["activity", "group", "station", "campaign", "measure"])
def test_non_numeric_admin_ids_are_not_found(client, city_staff, bad, model):
    client.force_login(city_staff)
    for suffix in ("change/", "delete/", "history/"):
        response = client.get(f"/admin/stations/{model}/{bad}/{suffix}")
        assert response.status_code == 404, (model, suffix, response.status_code)


@pytest.mark.parametrize("path", ["matches", "deputies", "find"])
def test_custom_admin_views_404_on_non_numeric_ids(client, city_staff, path):
    client.force_login(city_staff)
    model = {"matches": "group", "deputies": "station", "find": "activity"}[path]
    response = client.get(f"/admin/stations/{model}/abc/{path}/", follow=True)
    assert response.status_code == 404


def test_posted_ids_that_are_not_numbers_are_dropped(client, city_staff, objects):
    client.force_login(city_staff)
    activity = objects["activity"]
    url = f"/admin/stations/activity/{activity.pk}/find/?name=x"
    response = client.post(url, {"person": ["abc", "²", "9" * 30]})
    assert response.status_code == 200
    assert Participation.objects.filter(activity=activity).count() == 1


def test_portal_pages_take_any_parameter(client, deputy_user, objects):
    client.force_login(deputy_user)
    activity = objects["activity"]
    for bad in BAD:
        assert client.get("/stations/record/", {"year": bad}).status_code == 200
        response = client.post(f"/stations/activities/{activity.pk}/", {"person": [bad]})
        assert response.status_code == 302
    assert client.get("/stations/activities/abc/").status_code == 404
    assert client.get("/stations/record/abc/").status_code == 404
    assert Participation.objects.filter(activity=activity).count() == 1


@pytest.mark.parametrize("bad", NUL)
def test_a_nul_anywhere_is_a_chinese_400_and_writes_nothing(client, city_staff, objects, bad):
    client.force_login(city_staff)
    activity = objects["activity"]
    assert client.get("/admin/stations/activity/", {"q": bad}).status_code == 400
    assert client.get(f"/admin/stations/activity/{bad}/change/").status_code == 400
    response = client.post(
        f"/admin/stations/activity/{activity.pk}/find/?name=x", {"person": [bad]}
    )
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
    assert Participation.objects.filter(activity=activity).count() == 1
