"""The admin's add and change forms go through the services and keep staff to their region."""

import pytest

from stations.models import Activity, Opinion, Participation

from .factories import committee_of, make_activity

pytestmark = pytest.mark.django_db


def _activity_form(region, committee, **extra):
    return {
        "kind": Activity.Kind.SURVEY,
        "title": "调研红旗渠精神传承",
        "date": "2024-05-20",
        "region": region.pk,
        "committee": committee.pk,
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "department_reports-TOTAL_FORMS": "0",
        "department_reports-INITIAL_FORMS": "0",
        **extra,
    }


def test_county_staff_record_an_activity_in_their_county(client, county_staff, linzhou):
    client.force_login(county_staff)
    response = client.post(
        "/admin/stations/activity/add/", _activity_form(linzhou, committee_of(linzhou))
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.region, activity.created_by) == (linzhou, county_staff)


def test_county_staff_cannot_record_one_in_another_county(client, county_staff, linzhou, wenfeng):
    client.force_login(county_staff)
    response = client.post(
        "/admin/stations/activity/add/", _activity_form(wenfeng, committee_of(linzhou))
    )
    assert response.status_code == 200
    assert "该地区不在您的管辖范围内" in response.content.decode()
    assert not Activity.objects.exists()


def test_moving_an_activity_in_the_admin_moves_its_participations(
    client, city_staff, linzhou, linzhou_deputy
):
    activity = make_activity(region=linzhou, persons=[linzhou_deputy])
    client.force_login(city_staff)
    data = _activity_form(linzhou, activity.committee, date="2024-06-30")
    data.update({"participations-TOTAL_FORMS": "1", "participations-INITIAL_FORMS": "1"})
    participation = Participation.objects.get()
    data.update(
        {
            "participations-0-id": participation.pk,
            "participations-0-activity": activity.pk,
            "participations-0-person": linzhou_deputy.pk,
        }
    )
    response = client.post(f"/admin/stations/activity/{activity.pk}/change/", data)
    assert response.status_code == 302
    participation.refresh_from_db()
    assert str(participation.date) == "2024-06-30"


def test_staff_record_an_opinion_in_the_admin_through_the_service(
    client, county_staff, linzhou, linzhou_deputy
):
    client.force_login(county_staff)
    response = client.post(
        "/admin/stations/opinion/add/",
        {
            "channel": Opinion.Channel.HOTLINE,
            "topic": Opinion.Topic.TRANSPORT,
            "summary": "村里到镇上公交班次太少",
            "region": linzhou.pk,
            "taken_by": linzhou_deputy.pk,
            "received_on": "2024-05-03",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.status, opinion.created_by) == (Opinion.Status.RECORDED, county_staff)
