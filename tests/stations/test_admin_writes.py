"""Every write of the stations admin goes through the admin's HTTP path to a service, which
checks the object's region AND every foreign key it carries against the writer's scope: county
staff of 林州市 write in 林州市 (and may name the city's bodies), never in 文峰区; what is refused
shows a Chinese message and writes nothing."""

import datetime as dt

import pytest

from anping.orgs.models import Organisation
from stations.models import (
    Activity,
    Campaign,
    DepartmentReport,
    Group,
    Measure,
    MeasureChange,
    Membership,
    Participation,
    Station,
    Stationing,
    StationLead,
)

from .factories import committee_of, make_activity, make_group, make_station

pytestmark = pytest.mark.django_db

OUTSIDE = "不在您的管辖范围内"  # the services' and forms' "outside your region"


def _inline(prefix, rows=(), initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# --- groups --------------------------------------------------------------------------------


def _group_form(region, **extra):
    return {
        "name": "林州市电商代表专业小组",
        "level": Group.Level.COUNTY,
        "region": region.pk,
        "field": "电子商务",
        "category": Group.Category.ECOMMERCE,
        "is_active": "on",
        **_inline("memberships"),
        **extra,
    }


@pytest.mark.parametrize("role", ["city", "county"])
def test_staff_add_a_group_with_a_leader_of_their_region(
    roles, role, client, linzhou, linzhou_deputy
):
    client.force_login(roles[role])
    response = client.post(
        "/admin/stations/group/add/", _group_form(linzhou, leader=linzhou_deputy.pk)
    )
    assert response.status_code == 302
    assert Group.objects.get().leader == linzhou_deputy


def test_county_staff_cannot_make_another_countys_deputy_a_leader(
    client, county_staff, linzhou, wenfeng_deputy
):
    client.force_login(county_staff)
    response = client.post(
        "/admin/stations/group/add/", _group_form(linzhou, leader=wenfeng_deputy.pk)
    )
    assert response.status_code == 200
    assert "部分代表不在您所管理的地区" in response.content.decode()
    assert not Group.objects.exists()


def test_county_staff_cannot_add_a_group_in_another_county(client, county_staff, wenfeng):
    client.force_login(county_staff)
    response = client.post("/admin/stations/group/add/", _group_form(wenfeng))
    assert response.status_code == 200
    assert OUTSIDE in response.content.decode()
    assert not Group.objects.exists()


def _members(group, rows, initial=0):
    return _group_form(group.region, name=group.name, **_inline("memberships", rows, initial))


def test_members_join_change_date_and_leave_through_the_inline(
    client, county_staff, linzhou, linzhou_deputy
):
    group = make_group(region=linzhou, name="林州市电商代表专业小组")
    client.force_login(county_staff)
    url = f"/admin/stations/group/{group.pk}/change/"
    row = {"person": linzhou_deputy.pk, "joined_on": "2024-04-10", "group": group.pk}
    assert client.post(url, _members(group, [row])).status_code == 302
    membership = Membership.objects.get()
    assert membership.joined_on == dt.date(2024, 4, 10)
    row.update(id=membership.pk, joined_on="2024-05-01")
    assert client.post(url, _members(group, [row], initial=1)).status_code == 302
    membership.refresh_from_db()
    assert membership.joined_on == dt.date(2024, 5, 1)
    row.update(DELETE="on")
    assert client.post(url, _members(group, [row], initial=1)).status_code == 302
    assert not Membership.objects.exists()


def test_county_staff_cannot_put_another_countys_deputy_in_their_group(
    client, county_staff, linzhou, wenfeng_deputy
):
    group = make_group(region=linzhou, name="林州市电商代表专业小组")
    client.force_login(county_staff)
    row = {"person": wenfeng_deputy.pk, "joined_on": "2024-04-10", "group": group.pk}
    response = client.post(f"/admin/stations/group/{group.pk}/change/", _members(group, [row]))
    assert response.status_code == 302
    assert "部分代表不在您所管理的地区" in _messages(response)
    assert not Membership.objects.exists()


def test_deleting_a_group_goes_through_the_service(client, county_staff, linzhou, wenfeng):
    mine = make_group(region=linzhou, name="林州市电商代表专业小组")
    theirs = make_group(region=wenfeng, name="文峰区电商代表专业小组")
    client.force_login(county_staff)
    response = client.post(f"/admin/stations/group/{mine.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client.post(f"/admin/stations/group/{theirs.pk}/delete/", {"post": "yes"})
    assert list(Group.objects.all()) == [theirs]


# --- stations ------------------------------------------------------------------------------


def _station_form(region, **extra):
    return {
        "name": "黄华镇人大代表联络站",
        "kind": Station.Kind.REGIONAL,
        "region": region.pk,
        "address": "黄华镇便民服务中心",
        "is_active": "on",
        **_inline("leads"),
        **_inline("stationings"),
        **extra,
    }


def test_county_staff_co_build_a_station_with_their_committee_and_the_citys(
    client, county_staff, anyang, linzhou
):
    client.force_login(county_staff)
    builders = [committee_of(linzhou).pk, committee_of(anyang).pk]
    lead = {"name": "李站长", "post": "站长", "training_days": "3"}
    response = client.post(
        "/admin/stations/station/add/",
        _station_form(linzhou, co_builders=builders, **_inline("leads", [lead])),
    )
    assert response.status_code == 302
    station = Station.objects.get()
    assert set(station.co_builders.values_list("pk", flat=True)) == set(builders)
    assert StationLead.objects.get().station == station


def test_county_staff_cannot_name_another_countys_committee_a_co_builder(
    client, county_staff, linzhou, wenfeng
):
    client.force_login(county_staff)
    response = client.post(
        "/admin/stations/station/add/",
        _station_form(linzhou, co_builders=[committee_of(wenfeng).pk]),
    )
    assert response.status_code == 200
    assert not Station.objects.exists()


def test_a_stationing_is_ended_and_removed_through_the_inline(
    client, county_staff, linzhou, linzhou_deputy
):
    station = make_station(region=linzhou)
    stationing = Stationing.objects.create(
        station=station, person=linzhou_deputy, start_date=dt.date(2024, 5, 1)
    )
    client.force_login(county_staff)
    url = f"/admin/stations/station/{station.pk}/change/"
    row = {"id": stationing.pk, "station": station.pk, "end_date": "2024-12-31", "note": "期满"}
    data = _station_form(linzhou, name=station.name, address=station.address)
    data.update(_inline("stationings", [row], initial=1))
    assert client.post(url, data).status_code == 302
    stationing.refresh_from_db()
    assert (stationing.end_date, stationing.note) == (dt.date(2024, 12, 31), "期满")
    row.update(end_date="2024-01-01")  # before it began: refused, nothing changes
    data.update(_inline("stationings", [row], initial=1))
    assert client.post(url, data).context["errors"]
    stationing.refresh_from_db()
    assert stationing.end_date == dt.date(2024, 12, 31)
    row.update(end_date="2024-12-31", DELETE="on")
    data.update(_inline("stationings", [row], initial=1))
    assert client.post(url, data).status_code == 302
    assert not Stationing.objects.exists()


def test_county_staff_cannot_station_another_countys_county_deputy(
    client, county_staff, linzhou, wenfeng_deputy
):
    station = make_station(region=linzhou)
    client.force_login(county_staff)
    url = f"/admin/stations/station/{station.pk}/deputies/?name={wenfeng_deputy.name}"
    response = client.post(url, {"person": [wenfeng_deputy.pk], "start_date": "2024-05-08"})
    assert response.status_code == 200
    assert not Stationing.objects.exists()


# --- activities ----------------------------------------------------------------------------


def _activity_form(region, **extra):
    return {
        "kind": Activity.Kind.STATION_EVENT,
        "title": "住建局负责人向代表报告工作",
        "date": "2024-05-20",
        "region": region.pk,
        **_inline("participations"),
        **_inline("department_reports"),
        **extra,
    }


@pytest.mark.parametrize(
    "organiser",
    ["committee", "group", "station"],
)
def test_county_staff_cannot_name_another_countys_organiser(
    client, county_staff, linzhou, wenfeng, organiser
):
    other = {
        "committee": lambda: committee_of(wenfeng),
        "group": lambda: make_group(region=wenfeng, name="文峰区电商代表专业小组"),
        "station": lambda: make_station(region=wenfeng),
    }[organiser]()
    client.force_login(county_staff)
    response = client.post(
        "/admin/stations/activity/add/", _activity_form(linzhou, **{organiser: other.pk})
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_county_staff_cannot_link_another_countys_campaign_measure(
    client, county_staff, linzhou, wenfeng
):
    campaign = Campaign.objects.create(name="文峰区主题活动", year=2024, region=wenfeng)
    measure = Measure.objects.create(
        campaign=campaign,
        number=1,
        title="文峰区举措",
        owner=committee_of(wenfeng),
        deadline=dt.date(2024, 9, 30),
    )
    client.force_login(county_staff)
    data = _activity_form(linzhou, committee=committee_of(linzhou).pk, measure=measure.pk)
    response = client.post("/admin/stations/activity/add/", data)
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_participants_added_in_the_inline_must_be_in_scope(
    client, county_staff, linzhou, linzhou_deputy, wenfeng_deputy
):
    activity = make_activity(region=linzhou)
    client.force_login(county_staff)
    url = f"/admin/stations/activity/{activity.pk}/change/"
    base = _activity_form(linzhou, committee=activity.committee.pk, kind=activity.kind)
    rows = [{"person": wenfeng_deputy.pk, "activity": activity.pk}]
    response = client.post(url, {**base, **_inline("participations", rows)})
    assert "部分代表不在您所管理的地区" in _messages(response)
    assert not Participation.objects.exists()
    rows = [{"person": linzhou_deputy.pk, "activity": activity.pk}]
    assert client.post(url, {**base, **_inline("participations", rows)}).status_code == 302
    assert Participation.objects.get().person == linzhou_deputy


def test_department_reports_are_added_corrected_and_deleted_through_the_services(
    client, county_staff, anyang, linzhou, wenfeng
):
    station = make_station(region=linzhou)
    event = make_activity(region=linzhou, kind=Activity.Kind.STATION_EVENT, station=station)
    city_unit = Organisation.objects.create(
        name="安阳市教育局", kind=Organisation.Kind.HANDLING_UNIT, region=anyang
    )
    wenfeng_unit = Organisation.objects.create(
        name="文峰区教育局", kind=Organisation.Kind.HANDLING_UNIT, region=wenfeng
    )
    client.force_login(county_staff)
    url = f"/admin/stations/activity/{event.pk}/change/"
    base = _activity_form(linzhou, station=station.pk)

    def post(rows, initial=0):
        return client.post(url, {**base, **_inline("department_reports", rows, initial)})

    row = {"activity": event.pk, "unit": wenfeng_unit.pk, "head_name": "王建国", "topic": "工作"}
    post([row])
    assert not DepartmentReport.objects.exists()  # another county's department
    row.update(unit=city_unit.pk)
    assert post([row]).status_code == 302
    report = DepartmentReport.objects.get()
    row.update(id=report.pk, head_post="局长")
    assert post([row], initial=1).status_code == 302
    report.refresh_from_db()
    assert report.head_post == "局长"
    row.update(unit=wenfeng_unit.pk)
    post([row], initial=1)
    report.refresh_from_db()
    assert report.unit == city_unit
    row.update(unit=city_unit.pk, DELETE="on")
    assert post([row], initial=1).status_code == 302
    assert not DepartmentReport.objects.exists()


def test_county_staff_delete_their_activity_not_anothers(client, county_staff, linzhou, wenfeng):
    mine, theirs = make_activity(region=linzhou), make_activity(region=wenfeng)
    client.force_login(county_staff)
    client.post(f"/admin/stations/activity/{mine.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/stations/activity/{theirs.pk}/delete/", {"post": "yes"})
    assert list(Activity.objects.all()) == [theirs]


# --- campaigns -----------------------------------------------------------------------------


def _campaign_form(region, measures=(), initial=0, **extra):
    return {
        "name": "林州市人大代表在行动",
        "year": "2024",
        "region": region.pk,
        **_inline("measures", measures, initial),
        **extra,
    }


def test_county_staff_run_their_own_campaign_with_measures_owned_in_reach(
    client, county_staff, anyang, linzhou
):
    client.force_login(county_staff)
    row = {
        "number": "1",
        "title": "组织代表进站",
        "owner": committee_of(linzhou).pk,
        "deadline": "2024-09-30",
    }
    response = client.post("/admin/stations/campaign/add/", _campaign_form(linzhou, [row]))
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.campaign.region, measure.status) == (linzhou, Measure.Status.PLANNED)


def test_a_measure_owned_by_another_county_is_refused(client, county_staff, linzhou, wenfeng):
    client.force_login(county_staff)
    row = {
        "number": "1",
        "title": "组织代表进站",
        "owner": committee_of(wenfeng).pk,
        "deadline": "2024-09-30",
    }
    client.post("/admin/stations/campaign/add/", _campaign_form(linzhou, [row]))
    assert not Campaign.objects.exists() and not Measure.objects.exists()


def test_county_staff_cannot_add_a_campaign_for_the_city(client, county_staff, anyang):
    client.force_login(county_staff)
    response = client.post("/admin/stations/campaign/add/", _campaign_form(anyang))
    assert response.status_code == 200
    assert not Campaign.objects.exists()


@pytest.fixture
def city_measure(anyang):
    campaign = Campaign.objects.create(name="人大代表在行动", year=2024, region=anyang)
    return Measure.objects.create(
        campaign=campaign,
        number=1,
        title="新设5个专业代表联络站",
        owner=committee_of(anyang),
        deadline=dt.date(2024, 9, 30),
    )


@pytest.mark.parametrize(("role", "moved"), [("city", True), ("county", False)])
def test_measure_actions_through_the_admin(client, roles, role, moved, city_measure):
    client.force_login(roles[role])
    response = client.post(
        "/admin/stations/measure/",
        {"action": "start", "_selected_action": [city_measure.pk], "index": "0"},
    )
    assert response.status_code == 302
    city_measure.refresh_from_db()
    expected = Measure.Status.IN_PROGRESS if moved else Measure.Status.PLANNED
    assert city_measure.status == expected
    assert MeasureChange.objects.count() == int(moved)


def test_a_measure_edited_in_the_admin_keeps_its_status(client, city_staff, city_measure):
    city_measure.status, city_measure.done_on = Measure.Status.DONE, dt.date(2024, 9, 1)
    city_measure.save()
    client.force_login(city_staff)
    response = client.post(
        f"/admin/stations/measure/{city_measure.pk}/change/",
        {
            "campaign": city_measure.campaign.pk,
            "number": "1",
            "title": "新设5个专业代表联络站（已挂牌）",
            "owner": city_measure.owner.pk,
            "deadline": "2024-09-30",
        },
    )
    assert response.status_code == 302
    city_measure.refresh_from_db()
    assert (city_measure.title, city_measure.status) == (
        "新设5个专业代表联络站（已挂牌）",
        Measure.Status.DONE,
    )


def test_county_staff_cannot_move_a_measure_into_another_countys_campaign(
    client, county_staff, linzhou, wenfeng
):
    mine = Campaign.objects.create(name="林州市主题活动", year=2024, region=linzhou)
    theirs = Campaign.objects.create(name="文峰区主题活动", year=2024, region=wenfeng)
    measure = Measure.objects.create(
        campaign=mine,
        number=1,
        title="林州举措",
        owner=committee_of(linzhou),
        deadline=dt.date(2024, 9, 30),
    )
    client.force_login(county_staff)
    client.post(
        f"/admin/stations/measure/{measure.pk}/change/",
        {
            "campaign": theirs.pk,
            "number": "1",
            "title": "林州举措",
            "owner": committee_of(linzhou).pk,
            "deadline": "2024-09-30",
        },
    )
    measure.refresh_from_db()
    assert measure.campaign == mine


def test_every_writing_stations_admin_names_its_services():
    """`ScopedAdmin` refuses a save or delete without a service: each page staff may write on
    names one, and a page whose inlines write names its formset service too."""
    from django.contrib import admin as django_admin

    from stations.models import Opinion, OpinionTransition

    pages = {
        model: page
        for model, page in django_admin.site._registry.items()
        if model._meta.app_label == "stations" and model not in (Opinion, OpinionTransition)
    }
    assert set(pages) == {Group, Station, Activity, Campaign, Measure}
    for model, page in pages.items():
        assert page.save_service is not None and page.delete_service is not None, model
        if page.inlines:
            assert page.formset_service is not None, model
