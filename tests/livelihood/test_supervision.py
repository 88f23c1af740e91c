"""Deputies' supervision activities (recorded in stations) link to a project from this side."""

import datetime as dt

import pytest
from django.urls import reverse

from anping.errors import DomainError
from anping.orgs.models import Organisation
from livelihood import services
from stations import services as station_services


@pytest.fixture
def project(open_poll, deputy_user, city_staff, vote_round):
    c = vote_round.candidates.order_by("number").first()
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    services.poll_close(poll=open_poll, by=city_staff)
    services.poll_publish(poll=open_poll, by=city_staff)
    return vote_round.projects.get()


@pytest.fixture
def committee(anyang):
    return Organisation.objects.create(name="安阳市人大常委会", kind="committee", region=anyang)


def activity(city_staff, committee, anyang, kind="livelihood"):
    return station_services.activity_create(
        by=city_staff,
        kind=kind,
        title="视察老旧小区改造项目",
        date=dt.date(2024, 6, 12),
        region=anyang,
        committee=committee,
    )


def test_supervision_shows_on_the_project_and_the_figures(
    client, project, city_staff, committee, anyang, deputy_user, other_deputy_user
):
    act = activity(city_staff, committee, anyang)
    station_services.activity_add_participants(
        activity=act, persons=[deputy_user.deputy, other_deputy_user.deputy], by=city_staff
    )
    services.supervision_link(project=project, activity=act, by=city_staff)
    services.supervision_link(project=project, activity=act, by=city_staff)  # harmless twice
    page = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert "视察老旧小区改造项目" in page and "2 名代表参加" in page and "张华" not in page
    index = client.get(reverse("livelihood:index")).content.decode()
    assert "对项目开展监督活动 1 次，2 名代表参加" in index


def test_only_supervision_activities_link(project, city_staff, committee, anyang):
    with pytest.raises(DomainError):
        services.supervision_link(
            project=project,
            activity=activity(city_staff, committee, anyang, "training"),
            by=city_staff,
        )
