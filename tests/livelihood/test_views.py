"""The pages, role by role: who may open a ballot, cast it, see a result or file a report."""

import re

import pytest
from django.urls import reverse

from anping.orgs.models import Organisation
from livelihood import services
from livelihood.models import Ballot, Participation, ProgressReport
from tests.conftest import make_user
from tests.factories import make_deputy

CONFIRM = {"confirm": "1"}  # the voter's tick: a ballot cannot be changed once cast
RECEIPT = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def ballot_url(poll):
    return reverse("livelihood:ballot", args=[poll.pk])


@pytest.fixture
def published(open_poll, deputy_user, city_staff, vote_round):
    c = list(vote_round.candidates.order_by("number"))
    services.ballot_cast(
        poll=open_poll, person=deputy_user.deputy, marks=[(c[0].pk, ""), (c[2].pk, "")]
    )
    services.poll_close(poll=open_poll, by=city_staff)
    services.poll_publish(poll=open_poll, by=city_staff)
    return open_poll


def test_deputy_sees_the_ballot_with_its_rule_and_casts_it(
    client, deputy_user, open_poll, vote_round
):
    client.force_login(deputy_user)
    page = client.get(ballot_url(open_poll)).content.decode()
    assert "应选 3 项，每张选票最多选 3 项" in page
    assert page.count('name="candidate"') == 5
    first = vote_round.candidates.order_by("number").first()
    response = client.post(ballot_url(open_poll), {"candidate": [first.pk], **CONFIRM})
    assert response.status_code == 200
    assert RECEIPT.search(response.content.decode())
    again = client.post(ballot_url(open_poll), {"candidate": [first.pk], **CONFIRM})
    assert again.status_code == 409
    assert "您已在本次表决中投票" in again.content.decode()
    assert Ballot.objects.filter(poll=open_poll).count() == 1
    assert "您已投票" in client.get(ballot_url(open_poll)).content.decode()


def test_ballot_page_query_count(client, deputy_user, open_poll, django_assert_num_queries):
    client.force_login(deputy_user)
    # session, user, poll+round+term+congress+region, person, participation exists,
    # mandate check, candidates with units, the shell's unread-notification badge
    with django_assert_num_queries(8):
        response = client.get(ballot_url(open_poll))
    assert response.status_code == 200


def test_too_many_marks_from_the_form_are_refused(client, deputy_user, open_poll, vote_round):
    client.force_login(deputy_user)
    ids = list(vote_round.candidates.values_list("pk", flat=True))
    response = client.post(ballot_url(open_poll), {"candidate": ids, **CONFIRM})
    assert response.status_code == 409
    assert "所选项目过多：最多可选 3 项" in response.content.decode()
    assert not Participation.objects.exists()


def test_deputy_of_another_congress_is_told_in_words(client, linzhou, open_poll):
    user = make_user("county", "deputy", region=linzhou)
    make_deputy(region=linzhou.children.first(), level="county", term_number=17, user=user)
    client.force_login(user)
    page = client.get(ballot_url(open_poll)).content.decode()
    assert "您不是本级人大的在任代表" in page
    assert 'name="candidate"' not in page


@pytest.mark.parametrize("who", ["unit_staff", "evaluator", "outsider"])
def test_other_roles_get_404_on_a_ballot(client, request, who, open_poll):
    client.force_login(request.getfixturevalue(who))
    assert client.get(ballot_url(open_poll)).status_code == 404


def test_anonymous_is_sent_to_login_for_a_ballot(client, open_poll):
    response = client.get(ballot_url(open_poll))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_one_time_link_opens_that_deputys_ballot_without_login(
    client, open_poll, deputy_user, city_staff, vote_round
):
    [(person, token)] = services.passes_issue(
        poll=open_poll, by=city_staff, persons=[deputy_user.deputy]
    )
    url = reverse("livelihood:pass_ballot", args=[token])
    page = client.get(url)
    assert "张华" in page.content.decode() and page["Referrer-Policy"] == "no-referrer"
    c = vote_round.candidates.first()
    assert client.post(url, {"candidate": [c.pk], **CONFIRM}).status_code == 200
    second = client.post(url, {"candidate": [c.pk], **CONFIRM})
    assert second.status_code == 409
    assert Participation.objects.get(poll=open_poll).person == deputy_user.deputy
    assert client.get(reverse("livelihood:pass_ballot", args=["not-a-token"])).status_code == 404


def test_reissuing_links_replaces_the_old_ones(client, open_poll, deputy_user, city_staff):
    [(_p, old)] = services.passes_issue(poll=open_poll, by=city_staff, persons=[deputy_user.deputy])
    services.passes_issue(poll=open_poll, by=city_staff, persons=[deputy_user.deputy])
    assert client.get(reverse("livelihood:pass_ballot", args=[old])).status_code == 404


def test_result_is_public_only_once_published(client, open_poll, city_staff, deputy_user):
    url = reverse("livelihood:result", args=[open_poll.pk])
    assert client.get(url).status_code == 404
    services.poll_close(poll=open_poll, by=city_staff)
    assert client.get(url).status_code == 404
    services.poll_publish(poll=open_poll, by=city_staff)
    page = client.get(url).content.decode()
    assert "适用规则" in page and "张华" not in page


def test_public_sees_projects_and_progress_but_nothing_personal(
    client, published, unit_staff, django_assert_num_queries
):
    project = published.round.projects.order_by("candidate__number").first()
    services.progress_report_file(project=project, by=unit_staff, percent=40, text="已完成招标")
    # one query: projects with their latest progress and overdue milestones
    with django_assert_num_queries(1):
        page = client.get(reverse("livelihood:projects")).content.decode()
    assert project.title in page and "已完成 40%" in page
    detail = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert "已完成招标" in detail and "赵强" not in detail


def test_unit_files_progress_only_on_its_own_projects(client, published, unit_staff, anyang):
    project = published.round.projects.first()
    client.force_login(unit_staff)
    url = reverse("livelihood:report", args=[project.pk])
    response = client.post(url, {"percent": 55, "text": "主体工程完工"})
    assert response.status_code == 302
    assert ProgressReport.objects.get(project=project).percent == 55
    other_unit = Organisation.objects.create(name="安阳市教育局", kind="unit", region=anyang)
    stranger = make_user("edu", "unit_staff", organisation=other_unit)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, {"percent": 99, "text": "x"}).status_code == 404
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize("who", ["deputy_user", "city_staff", "outsider"])
def test_only_unit_staff_file_reports(client, request, who, published):
    project = published.round.projects.first()
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("livelihood:report", args=[project.pk])).status_code == 404


def test_a_photo_must_really_be_an_image(client, published, unit_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = published.round.projects.first()
    client.force_login(unit_staff)
    fake = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00 this is a program", content_type="image/jpeg"
    )
    response = client.post(
        reverse("livelihood:report", args=[project.pk]),
        {"percent": 10, "text": "开工", "photos": [fake]},
    )
    assert response.status_code == 200
    assert not ProgressReport.objects.exists()


def test_portal_panel_shows_the_deputy_an_open_ballot_until_cast(client, open_poll, deputy_user):
    client.force_login(deputy_user)
    page = client.get("/portal/").content.decode()
    assert 'id="livelihood-panel"' in page and ballot_url(open_poll) in page
    c = open_poll.round.candidates.first()
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    page = client.get("/portal/").content.decode()
    assert "已投票" in page and ballot_url(open_poll) not in page


def test_portal_panel_shows_the_unit_its_projects(client, published, unit_staff):
    client.force_login(unit_staff)
    page = client.get("/portal/").content.decode()
    assert "本单位承办的民生实事项目" in page and "报送进展" in page


def test_receipt_check_confirms_without_revealing(client, open_poll, deputy_user, vote_round):
    c = vote_round.candidates.first()
    code = services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    url = reverse("livelihood:receipt_check")
    ok = client.post(url, {"poll": open_poll.pk, "code": code}).content.decode()
    assert "已计入票数" in ok and c.title not in ok
    bad = client.post(url, {"poll": open_poll.pk, "code": "ZZZZ-ZZZZ-ZZZZ"}).content.decode()
    assert "没有与该回执码对应的选票" in bad


def test_duty_record_shows_that_the_deputy_voted_never_how(open_poll, deputy_user, vote_round):
    from stations import record

    c = vote_round.candidates.first()
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    [section] = [
        s for s in record.build(person=deputy_user.deputy, year=2024) if s.key == "livelihood"
    ]
    [item] = section.data["items"]
    assert item.poll == open_poll and item.channel == "online"
    assert not hasattr(item, "marks") and not hasattr(item, "ballot")


def test_deputy_rates_every_project_through_the_form(client, published, deputy_user, city_staff):
    from livelihood.models import Poll, ResultLine

    from .factories import make_poll

    rating = services.poll_open(
        poll=make_poll(round_=published.round, by=city_staff, kind=Poll.Kind.RATING), by=city_staff
    )
    client.force_login(deputy_user)
    page = client.get(ballot_url(rating)).content.decode()
    projects = list(published.round.projects.all())
    assert page.count('value="satisfied"') == len(projects) == 2
    partial = client.post(
        ballot_url(rating), {f"grade-{projects[0].candidate_id}": "satisfied", **CONFIRM}
    )
    assert partial.status_code == 409 and "请对每个项目各评价一次" in partial.content.decode()
    data = {f"grade-{p.candidate_id}": "basic" for p in projects}
    assert client.post(ballot_url(rating), {**data, **CONFIRM}).status_code == 200
    services.poll_close(poll=rating, by=city_staff)
    assert set(ResultLine.objects.filter(poll=rating).values_list("basic", flat=True)) == {1}


def test_the_public_sends_an_idea_only_while_the_round_collects(client, vote_round):
    import datetime as dt

    import time_machine

    from livelihood.models import Suggestion

    url = reverse("livelihood:suggest", args=[vote_round.pk])
    data = {
        "source": "department",  # a claim the form no longer takes: the sender is the public
        "title": "小区加装电梯",
        "description": "老人上下楼难",
        "submitter_name": "王先生",
        "submitter_contact": "13900001111",
    }
    with time_machine.travel(dt.datetime(2023, 10, 15, 10), tick=False):
        assert client.post(url, data).status_code == 302
    with time_machine.travel(dt.datetime(2024, 1, 15, 10), tick=False):
        response = client.post(url, data)
        assert "当前不在征集期内" in response.content.decode()
    assert Suggestion.objects.filter(round=vote_round).count() == 1
