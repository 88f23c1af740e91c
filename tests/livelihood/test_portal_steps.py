"""The portal's less-travelled paths: the public's ideas (size, rate, who sent them), a closed
poll's ballot link, milestones marked done, another unit reading a published project, the
receipt's way back, the duty record's count, and parameters that are not ids."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from anping.accounts.models import User
from anping.orgs.models import Organisation
from livelihood import services
from livelihood.models import Milestone, ProjectChange, Suggestion
from tests.conftest import make_user

CONFIRM = {"confirm": "1"}
COLLECTING = dt.datetime(2023, 10, 15, 10)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def idea(**changes) -> dict:
    data = {
        "title": "小区加装电梯",
        "description": "老人上下楼难",
        "submitter_name": "王先生",
        "submitter_contact": "13900001111",
    }
    data.update(changes)
    return data


# --- the public's ideas -------------------------------------------------------------------------


def test_a_huge_description_is_refused_and_nothing_stored(client, vote_round):
    url = reverse("livelihood:suggest", args=[vote_round.pk])
    with time_machine.travel(COLLECTING, tick=False):
        response = client.post(url, idea(description="长" * 5000))
    assert response.status_code == 200
    assert "4000" in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "who, source",
    [(None, "public"), ("deputy_user", "deputy"), ("unit_staff", "department")],
)
def test_the_source_is_who_is_signed_in_not_what_the_sender_claims(
    client, request, vote_round, who, source
):
    if who:
        client.force_login(request.getfixturevalue(who))
    url = reverse("livelihood:suggest", args=[vote_round.pk])
    with time_machine.travel(COLLECTING, tick=False):
        page = client.get(url).content.decode()
        assert 'name="source"' not in page
        assert client.post(url, idea(source="department")).status_code == 302
    assert Suggestion.objects.get().source == source


def test_ideas_are_limited_per_address_and_hour(client, vote_round, settings):
    settings.LIVELIHOOD_IDEAS_PER_HOUR = 3
    url = reverse("livelihood:suggest", args=[vote_round.pk])
    with time_machine.travel(COLLECTING, tick=False):
        for _ in range(3):
            assert client.post(url, idea()).status_code == 302
        refused = client.post(url, idea())
        assert refused.status_code == 429
        assert "本小时内提交的建议过多" in refused.content.decode()
        other = client.post(url, idea(), REMOTE_ADDR="10.0.0.9")  # another address
        assert other.status_code == 302
    with time_machine.travel(COLLECTING + dt.timedelta(hours=1), tick=False):
        assert client.post(url, idea()).status_code == 302  # the next hour
    assert Suggestion.objects.count() == 5


# --- the ballot link after close, and the receipt's way back ------------------------------------


def test_a_closed_polls_link_shows_that_it_expired(client, city_staff, open_poll, deputy_user):
    [(_p, token)] = services.passes_issue(
        poll=open_poll, by=city_staff, persons=[deputy_user.deputy]
    )
    url = reverse("livelihood:pass_ballot", args=[token])
    assert client.get(url).status_code == 200
    services.poll_close(poll=open_poll, by=city_staff)
    for response in (client.get(url), client.post(url, {"candidate": ["1"], **CONFIRM})):
        assert response.status_code == 410
        page = response.content.decode()
        assert "此投票链接已失效" in page and 'name="candidate"' not in page
    assert not open_poll.ballots.exists()


def test_a_ballot_without_the_confirming_tick_is_not_cast(client, deputy_user, open_poll):
    client.force_login(deputy_user)
    c = open_poll.round.candidates.first()
    url = reverse("livelihood:ballot", args=[open_poll.pk])
    response = client.post(url, {"candidate": [c.pk]})
    assert response.status_code == 409 and "请先勾选确认框" in response.content.decode()
    assert not open_poll.participations.exists()
    done = client.post(url, {"candidate": [c.pk], **CONFIRM})
    assert done.status_code == 200
    assert reverse("livelihood:index") in done.content.decode()  # the receipt's way back


def test_the_ballot_page_asks_for_the_tick(client, deputy_user, open_poll):
    client.force_login(deputy_user)
    page = client.get(reverse("livelihood:ballot", args=[open_poll.pk])).content.decode()
    assert 'name="confirm"' in page and "required" in page


# --- projects: another unit, milestones ----------------------------------------------------------


@pytest.fixture
def project(open_poll, deputy_user, city_staff, vote_round):
    c = vote_round.candidates.order_by("number").first()
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    services.poll_close(poll=open_poll, by=city_staff)
    services.poll_publish(poll=open_poll, by=city_staff, today=dt.date(2024, 3, 1))
    project = vote_round.projects.get()
    Milestone.objects.create(project=project, title="主体完工", due_date=dt.date(2024, 9, 30))
    return project


@pytest.fixture
def other_unit_staff(anyang):
    other = Organisation.objects.create(
        name="安阳市教育局", kind=Organisation.Kind.HANDLING_UNIT, region=anyang
    )
    return make_user("unit2", User.Role.UNIT_STAFF, organisation=other)


def test_another_units_staff_read_a_published_project_but_cannot_report(
    client, project, other_unit_staff
):
    client.force_login(other_unit_staff)
    page = client.get(reverse("livelihood:project", args=[project.pk]))
    assert page.status_code == 200
    assert reverse("livelihood:report", args=[project.pk]) not in page.content.decode()
    assert "标记完成" not in page.content.decode()
    assert client.get(reverse("livelihood:report", args=[project.pk])).status_code == 404


@pytest.mark.parametrize("who", ["unit_staff", "city_staff"])
def test_the_unit_or_staff_mark_a_milestone_done_once_and_it_is_recorded(
    client, request, project, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    milestone = project.milestones.get()
    page = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    url = reverse("livelihood:milestone_done", args=[milestone.pk])
    assert url in page
    assert "不能撤销" in client.get(url).content.decode()  # asked first
    milestone.refresh_from_db()
    assert milestone.done_on is None
    client.post(url)
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    [row] = ProjectChange.objects.filter(project=project)
    assert (row.action, row.by, row.reason) == ("milestone", user, "主体完工")
    again = client.post(url, follow=True)
    assert "该节点已标记为完成" in again.content.decode()
    assert ProjectChange.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("who", ["other_unit_staff", "deputy_user", "county_staff"])
def test_others_cannot_mark_a_milestone(client, request, project, who):
    client.force_login(request.getfixturevalue(who))
    milestone = project.milestones.get()
    url = reverse("livelihood:milestone_done", args=[milestone.pk])
    assert client.get(url).status_code == 404
    client.post(url)
    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert not ProjectChange.objects.exists()


def test_the_report_that_completes_a_project_is_recorded(client, project, unit_staff):
    services.progress_report_file(project=project, by=unit_staff, percent=100, text="完工")
    project.refresh_from_db()
    assert project.completed_on is not None
    [row] = ProjectChange.objects.filter(project=project)
    assert (row.action, row.from_status, row.to_status) == ("completed", "in_progress", "completed")


# --- the duty record ---------------------------------------------------------------------------


def test_the_duty_record_counts_the_votes_it_lists(client, open_poll, deputy_user, vote_round):
    c = vote_round.candidates.first()
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    client.force_login(deputy_user)
    page = client.get(reverse("stations:my_record"), {"year": 2024}).content.decode()
    section = page[page.index('id="livelihood"') :]
    assert '<span class="badge">1</span>' in section[:400]
    assert 'href="#livelihood"><div class="n">1</div>' in page


# --- parameters that are not ids ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "", "1.5", "\x00", "9" * 40])
def test_a_receipt_check_for_a_poll_that_is_not_an_id_is_a_404(client, open_poll, value):
    response = client.post(reverse("livelihood:receipt_check"), {"poll": value, "code": "X"})
    # A NUL is refused before any view reads it (anping.web.middleware).
    assert response.status_code == (400 if "\x00" in value else 404)


def test_the_project_page_asks_who_may_mark_once_whatever_the_milestones(
    client, project, city_staff, django_assert_num_queries
):
    for n in range(4):
        Milestone.objects.create(
            project=project, title=f"节点{n}", due_date=dt.date(2024, 7, n + 1)
        )
    client.force_login(city_staff)
    # session, user, the project with its progress, milestones, reports (with their photos),
    # may staff mark (the project in their scope), supervisions, the shell's notification badge
    with django_assert_num_queries(9):
        page = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert page.count("标记完成") == 5
