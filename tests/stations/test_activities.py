"""Duty activities: recorded by staff of the region or by a group's leader, participants added
in one step (from the deputy finder too), a station event's department reports."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from anping.errors import DomainError, NotAllowed
from anping.orgs.models import Organisation
from stations import services
from stations.models import Activity, Membership, Participation
from tests.factories import make_deputy

from .factories import committee_of, make_activity, make_group, make_station

pytestmark = pytest.mark.django_db


def _create(by, region, **kw):
    kw.setdefault("committee", committee_of(region))
    return services.activity_create(
        by=by,
        kind=Activity.Kind.INSPECTION,
        title="视察营商环境",
        date=dt.date(2024, 5, 20),
        region=region,
        **kw,
    )


@pytest.mark.parametrize("role", ["city", "county"])
def test_staff_record_an_activity_in_their_region(roles, role, linzhou):
    activity = _create(roles[role], linzhou)
    assert activity.created_by == roles[role]
    assert Activity.objects.visible_to(roles[role]).get() == activity


@pytest.mark.parametrize("role", ["deputy", "unit", "evaluator", "outsider"])
def test_others_cannot_record_an_activity(roles, role, linzhou):
    with pytest.raises(NotAllowed):
        _create(roles[role], linzhou)
    assert not Activity.objects.exists()


def test_county_staff_cannot_record_outside_their_region(county_staff, wenfeng):
    with pytest.raises(NotAllowed):
        _create(county_staff, wenfeng)


def test_an_activity_has_exactly_one_organiser(city_staff, linzhou):
    group = make_group(region=linzhou)
    with pytest.raises(ValidationError):
        _create(city_staff, linzhou, group=group)


def test_a_group_leader_records_the_groups_activity_and_adds_its_members(
    me, deputy_user, anyang, wenfeng
):
    group = make_group(region=anyang, name="航空产业专业小组", field="航空产业", leader=me)
    member = make_deputy(region=wenfeng, name="组员")
    stranger = make_deputy(region=wenfeng, name="非组员")
    Membership.objects.create(group=group, person=me)
    Membership.objects.create(group=group, person=member)
    activity = services.activity_create(
        by=deputy_user,
        kind=Activity.Kind.SURVEY,
        title="调研低空经济",
        date=dt.date(2024, 6, 3),
        region=anyang,
        group=group,
    )
    assert (
        services.activity_add_participants(activity=activity, persons=[me, member], by=deputy_user)
        == 2
    )
    with pytest.raises(NotAllowed):
        services.activity_add_participants(activity=activity, persons=[stranger], by=deputy_user)
    assert set(activity.participations.values_list("person__name", flat=True)) == {"张华", "组员"}


def test_a_deputy_who_does_not_lead_the_group_cannot_record_for_it(deputy_user, anyang):
    group = make_group(region=anyang, name="航空产业专业小组", field="航空产业")
    with pytest.raises(NotAllowed):
        services.activity_create(
            by=deputy_user,
            kind=Activity.Kind.SURVEY,
            title="x",
            date=dt.date(2024, 6, 3),
            region=anyang,
            group=group,
        )


@pytest.mark.parametrize("role", ["city", "county"])
def test_staff_add_participants_once_with_the_activitys_date(roles, role, linzhou, linzhou_deputy):
    activity = make_activity(region=linzhou, date=dt.date(2024, 4, 2))
    assert (
        services.activity_add_participants(
            activity=activity, persons=[linzhou_deputy], by=roles[role]
        )
        == 1
    )
    assert (
        services.activity_add_participants(
            activity=activity, persons=[linzhou_deputy], by=roles[role]
        )
        == 0
    )
    assert Participation.objects.get().date == dt.date(2024, 4, 2)


@pytest.mark.parametrize("role", ["deputy", "unit", "evaluator", "outsider"])
def test_others_cannot_add_participants(roles, role, linzhou, linzhou_deputy):
    activity = make_activity(region=linzhou)
    with pytest.raises(NotAllowed):
        services.activity_add_participants(
            activity=activity, persons=[linzhou_deputy], by=roles[role]
        )
    assert not Participation.objects.exists()


def test_county_staff_cannot_add_deputies_of_another_county(county_staff, linzhou, wenfeng_deputy):
    activity = make_activity(region=linzhou)
    with pytest.raises(NotAllowed):
        services.activity_add_participants(
            activity=activity, persons=[wenfeng_deputy], by=county_staff
        )


def test_moving_an_activity_moves_its_participations(city_staff, linzhou, linzhou_deputy):
    """The participation's copied date (the index the record and coverage read) follows."""
    activity = make_activity(region=linzhou, date=dt.date(2024, 4, 2), persons=[linzhou_deputy])
    activity.date = dt.date(2024, 4, 9)
    services.activity_update(activity=activity, by=city_staff)
    assert Participation.objects.get().date == dt.date(2024, 4, 9)


def test_a_department_head_reports_at_a_station_event_only(city_staff, linzhou, housing):
    station = make_station(region=linzhou)
    event = make_activity(region=linzhou, kind=Activity.Kind.STATION_EVENT, station=station)
    report = services.activity_add_department_report(
        activity=event,
        unit=housing,
        head_name="王建国",
        head_post="局长",
        topic="城市更新",
        by=city_staff,
    )
    assert report.activity == event
    with pytest.raises(DomainError):
        services.activity_add_department_report(
            activity=event, unit=housing, head_name="王建国", topic="again", by=city_staff
        )
    inspection = make_activity(region=linzhou)
    with pytest.raises(DomainError):
        services.activity_add_department_report(
            activity=inspection, unit=housing, head_name="王建国", topic="x", by=city_staff
        )
    committee = Organisation.objects.get(name="林州市人大常委会")
    with pytest.raises(DomainError):
        services.activity_add_department_report(
            activity=event, unit=committee, head_name="x", topic="x", by=city_staff
        )


def test_staff_find_law_and_fire_deputies_and_add_them_in_one_step(
    client, city_staff, anyang, wenfeng, linzhou
):
    consultation = make_activity(
        region=anyang, kind=Activity.Kind.LEGISLATION, title="消防条例立法征询"
    )
    lawyer = make_deputy(region=wenfeng, name="律师代表", expertise=("法律",))
    firefighter = make_deputy(region=linzhou, name="消防代表", expertise=("消防",))
    make_deputy(region=linzhou, name="农业代表", expertise=("农业",))
    from deputies.models import Expertise

    ids = [Expertise.objects.get(name=n).pk for n in ("法律", "消防")]
    client.force_login(city_staff)
    url = f"/admin/stations/activity/{consultation.pk}/find/?" + "&".join(
        f"expertise={i}" for i in ids
    )
    page = client.get(url).content.decode()
    assert "律师代表" in page and "消防代表" in page and "农业代表" not in page
    response = client.post(url, {"person": [lawyer.pk, firefighter.pk]})
    assert response.status_code == 302
    assert set(consultation.participations.values_list("person__name", flat=True)) == {
        "律师代表",
        "消防代表",
    }


def test_the_finder_adds_only_what_the_search_shows(client, city_staff, anyang, wenfeng):
    activity = make_activity(region=anyang)
    lawyer = make_deputy(region=wenfeng, name="律师代表", expertise=("法律",))
    farmer = make_deputy(region=wenfeng, name="农业代表", expertise=("农业",))
    from deputies.models import Expertise

    client.force_login(city_staff)
    url = f"/admin/stations/activity/{activity.pk}/find/?expertise={Expertise.objects.get(name='法律').pk}"
    client.post(url, {"person": [lawyer.pk, farmer.pk]})
    assert list(activity.participations.values_list("person", flat=True)) == [lawyer.pk]


def test_the_finder_is_404_for_county_staff_on_a_city_activity(client, county_staff, anyang):
    activity = make_activity(region=anyang)
    client.force_login(county_staff)
    assert client.get(f"/admin/stations/activity/{activity.pk}/find/?name=x").status_code == 404


def test_a_group_leader_adds_members_on_the_portal(client, me, deputy_user, anyang, wenfeng):
    group = make_group(region=anyang, name="航空产业专业小组", field="航空产业", leader=me)
    member = make_deputy(region=wenfeng, name="组员")
    Membership.objects.create(group=group, person=member)
    client.force_login(deputy_user)
    response = client.post(
        "/stations/activities/new/",
        {
            "group": group.pk,
            "kind": Activity.Kind.SURVEY,
            "title": "调研低空经济",
            "date": "2024-06-03",
        },
    )
    activity = Activity.objects.get()
    assert response.url == f"/stations/activities/{activity.pk}/"
    assert "组员" in client.get(response.url).content.decode()
    client.post(response.url, {"person": [member.pk]})
    assert list(activity.participations.values_list("person__name", flat=True)) == ["组员"]


def test_a_deputy_without_a_group_cannot_open_the_activity_form(client, deputy_user, me):
    client.force_login(deputy_user)
    assert client.get("/stations/activities/new/").status_code == 404


def test_an_activity_is_404_to_a_deputy_who_was_not_there(client, other_deputy_user, anyang):
    activity = make_activity(region=anyang)
    client.force_login(other_deputy_user)
    assert client.get(f"/stations/activities/{activity.pk}/").status_code == 404


@time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_activity_forms_date_shows_on_a_phones_date_input(client, me, deputy_user, anyang):
    """<input type="date"> takes ISO dates only: "2026/12/02" came up empty on phones."""
    make_group(region=anyang, name="航空产业专业小组", field="航空产业", leader=me)
    client.force_login(deputy_user)
    page = client.get("/stations/activities/new/").content.decode()
    assert 'type="date" name="date" value="2026-12-02"' in page
    again = client.post("/stations/activities/new/", {"date": "2026-11-30"}).content.decode()
    assert 'value="2026-11-30"' in again  # a refused form shows what was entered


def test_every_date_widget_renders_iso_dates_in_chinese():
    """The root: the zh-hans input formats put ISO first (anping/formats), so any date widget,
    the admin's and other apps' included, renders a value a date input takes."""
    from django import forms
    from django.utils import translation

    with translation.override("zh-hans"):
        html = forms.DateInput(attrs={"type": "date"}).render("d", dt.date(2026, 12, 2))
        assert forms.DateField().clean("2026/12/02") == dt.date(2026, 12, 2)
    assert 'value="2026-12-02"' in html
