"""Every livelihood admin form, inline and action, through the admin's HTTP path, as each role
allowed and as a county's staff reaching outside its region: each foreign key a writer submits
is checked in the service, a refusal says why in Chinese and writes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from anping.orgs.models import Organisation
from deputies.models import Level
from livelihood import services
from livelihood.models import (
    Candidate,
    Milestone,
    Poll,
    Project,
    ProjectChange,
    Round,
    Suggestion,
    SuggestionTransition,
    Supervision,
)
from stations import services as station_services
from tests.factories import make_deputy

from .factories import make_poll, make_round

EMPTY_INLINE = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0"}


def inline(prefix: str, rows=(), initial: int = 0) -> dict:
    data = {f"{prefix}-{k}": v for k, v in EMPTY_INLINE.items()}
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(initial)
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def add_url(model: str) -> str:
    return reverse(f"admin:livelihood_{model}_add")


def change_url(model: str, pk) -> str:
    return reverse(f"admin:livelihood_{model}_change", args=[pk])


def round_data(term, year=2025, candidates=()) -> dict:
    return {
        "term": term.pk,
        "year": year,
        "title": f"{year}年民生实事项目",
        "collection_start": f"{year - 1}-10-01",
        "collection_end": f"{year - 1}-11-30",
        **inline("candidates", candidates),
    }


@pytest.fixture
def county_term(linzhou):
    """林州市's own congress (county level), with one serving deputy."""
    return make_deputy(region=linzhou, level=Level.COUNTY).mandates.get().term


@pytest.fixture
def county_unit(linzhou):
    return Organisation.objects.create(
        name="林州市住房和城乡建设局", kind=Organisation.Kind.HANDLING_UNIT, region=linzhou
    )


@pytest.fixture
def county_round(county_term, county_unit):
    return make_round(term=county_term, unit=county_unit, candidates=3, year=2025)


def candidate_row(unit, number=9) -> dict:
    return {
        "number": number,
        "title": "背街小巷照明",
        "unit": unit.pk,
        "target": "年底前完成",
        "funds": "100",
        "timeline": "全年",
        "description": "说明",
    }


# --- rounds and their candidate inline ------------------------------------------------------


def test_county_staff_cannot_make_a_round_of_the_citys_congress(client, county_staff, term):
    client.force_login(county_staff)
    response = client.post(add_url("round"), round_data(term), follow=True)
    assert "请选择本地区的人民代表大会" in response.content.decode()
    assert not Round.objects.filter(year=2025).exists()


@pytest.mark.parametrize("who", ["county_staff", "city_staff"])
def test_staff_make_a_round_of_a_congress_in_their_region(client, request, who, county_term):
    client.force_login(request.getfixturevalue(who))
    response = client.post(add_url("round"), round_data(county_term))
    assert response.status_code == 302
    assert Round.objects.get(year=2025).term == county_term


def test_a_round_inline_candidate_with_another_regions_unit_writes_nothing(
    client, county_staff, county_term, unit
):
    client.force_login(county_staff)
    data = round_data(county_term, candidates=[candidate_row(unit)])
    response = client.post(add_url("round"), data, follow=True)
    assert "请选择本地区的承办单位" in response.content.decode()
    assert not Round.objects.filter(year=2025).exists()  # the round rolled back with it
    assert not Candidate.objects.filter(title="背街小巷照明").exists()


def test_county_staff_add_a_candidate_of_their_unit_through_the_round(
    client, county_staff, county_round, county_unit
):
    client.force_login(county_staff)
    existing = [
        {"id": c.pk, "round": county_round.pk, **candidate_row(county_unit, c.number)}
        for c in county_round.candidates.order_by("number")
    ]
    new = {"round": county_round.pk, **candidate_row(county_unit)}
    data = {
        **round_data(county_round.term),
        **inline("candidates", [*existing, new], initial=len(existing)),
    }
    response = client.post(change_url("round", county_round.pk), data)
    assert response.status_code == 302
    assert county_round.candidates.count() == 4


# --- the candidate admin ----------------------------------------------------------------------


def test_county_staff_cannot_add_a_candidate_to_the_citys_round(
    client, county_staff, vote_round, county_unit
):
    client.force_login(county_staff)
    data = {**candidate_row(county_unit), "round": vote_round.pk, "description": "说明"}
    response = client.post(add_url("candidate"), data, follow=True)
    assert response.status_code == 200
    assert "请选择本地区的征集轮次" in response.content.decode()
    assert not Candidate.objects.filter(number=9).exists()


@pytest.mark.parametrize("who", ["county_staff", "city_staff"])
def test_a_candidate_needs_a_unit_of_the_writers_region(
    client, request, who, county_round, county_unit, unit
):
    staff = request.getfixturevalue(who)
    client.force_login(staff)
    data = {**candidate_row(unit), "round": county_round.pk, "description": "说明"}
    response = client.post(add_url("candidate"), data, follow=True)
    if who == "county_staff":  # the city's unit lies outside 林州市
        assert "请选择本地区的承办单位" in response.content.decode()
        assert not Candidate.objects.filter(number=9).exists()
    else:
        assert Candidate.objects.get(number=9).unit == unit
    data["unit"], data["number"] = county_unit.pk, 10
    client.post(add_url("candidate"), data)
    assert Candidate.objects.get(number=10).unit == county_unit


def test_a_candidates_idea_must_be_of_its_round(client, city_staff, vote_round, county_round):
    idea = Suggestion.objects.create(
        round=county_round,
        source="public",
        title="口袋公园",
        description="说明",
        submitter_name="王",
    )
    client.force_login(city_staff)
    data = {
        **candidate_row(vote_round.candidates.first().unit),
        "round": vote_round.pk,
        "description": "说明",
        "from_suggestion": idea.pk,
    }
    response = client.post(add_url("candidate"), data, follow=True)
    assert "所选项目建议必须属于本轮" in response.content.decode()
    assert not Candidate.objects.filter(number=9).exists()
    idea.refresh_from_db()
    assert idea.status == Suggestion.Status.RECEIVED


# --- polls ------------------------------------------------------------------------------------


def poll_data(round_, kind="vote") -> dict:
    return {
        "round": round_.pk,
        "kind": kind,
        "places": 2,
        "max_marks": 2,
        "base": "all",
        "share_numerator": 1,
        "share_denominator": 2,
        "quorum_numerator": 2,
        "quorum_denominator": 3,
        "tie_rule": "runoff",
    }


def test_county_staff_cannot_add_a_poll_to_the_citys_round(client, county_staff, vote_round):
    client.force_login(county_staff)
    response = client.post(add_url("poll"), poll_data(vote_round), follow=True)
    assert response.status_code == 200
    assert "请选择本地区的征集轮次" in response.content.decode()
    assert not Poll.objects.exists()


@pytest.mark.parametrize("who", ["county_staff", "city_staff"])
def test_staff_add_a_poll_to_a_round_of_their_region(client, request, who, county_round):
    client.force_login(request.getfixturevalue(who))
    assert client.post(add_url("poll"), poll_data(county_round)).status_code == 302
    assert Poll.objects.get(round=county_round).is_prepared


def test_a_rating_for_a_round_with_no_projects_is_refused_in_words(client, city_staff, vote_round):
    client.force_login(city_staff)
    response = client.post(add_url("poll"), poll_data(vote_round, "rating"), follow=True)
    assert response.status_code == 200
    assert "本年度尚无票决产生的项目可供测评" in response.content.decode()
    assert not Poll.objects.exists()


def test_a_prepared_poll_is_deleted_through_its_service_an_open_one_is_not(
    client, city_staff, poll
):
    client.force_login(city_staff)
    url = reverse("admin:livelihood_poll_delete", args=[poll.pk])
    services.poll_open(poll=poll, by=city_staff)
    assert client.post(url, {"post": "yes"}).status_code == 403  # no delete once open
    assert Poll.objects.filter(pk=poll.pk).exists()


# --- ideas and their decision -----------------------------------------------------------------


@pytest.fixture
def idea(vote_round):
    return Suggestion.objects.create(
        round=vote_round,
        source="public",
        title="小区加装电梯",
        description="说明",
        submitter_name="王",
    )


def decide(client, idea, action="adopt"):
    return client.post(
        reverse("admin:livelihood_suggestion_changelist"),
        {"action": action, "_selected_action": [idea.pk]},
        follow=True,
    )


def test_city_staff_decide_an_idea_and_the_decision_is_recorded(client, city_staff, idea):
    client.force_login(city_staff)
    assert "已更新 1 条项目建议" in decide(client, idea).content.decode()
    idea.refresh_from_db()
    assert idea.status == Suggestion.Status.ADOPTED
    [row] = SuggestionTransition.objects.filter(suggestion=idea)
    assert (row.from_status, row.to_status, row.by) == ("received", "adopted", city_staff)


def test_county_staff_cannot_decide_the_citys_idea(client, county_staff, idea):
    client.force_login(county_staff)
    decide(client, idea)
    idea.refresh_from_db()
    assert idea.status == Suggestion.Status.RECEIVED
    assert not SuggestionTransition.objects.exists()


def test_an_idea_is_not_decided_once_the_vote_opened(client, city_staff, idea, open_poll):
    client.force_login(city_staff)
    assert "候选项目清单不能再更改" in decide(client, idea, "not_adopt").content.decode()
    idea.refresh_from_db()
    assert idea.status == Suggestion.Status.RECEIVED


def test_county_staff_cannot_file_an_idea_in_the_citys_round(client, county_staff, vote_round):
    client.force_login(county_staff)
    data = {
        "round": vote_round.pk,
        "source": "department",
        "title": "来信建议",
        "description": "说明",
        "submitter_name": "某局",
        "submitter_contact": "",
    }
    response = client.post(add_url("suggestion"), data, follow=True)
    assert "请选择本地区的征集轮次" in response.content.decode()
    assert not Suggestion.objects.exists()


# --- projects: plan, milestones, supervision --------------------------------------------------


@pytest.fixture
def county_project(county_round, county_staff, county_term):
    poll = make_poll(round_=county_round, by=county_staff, places=1, max_marks=1)
    services.poll_open(poll=poll, by=county_staff)
    voter = county_term.mandates.get().person
    services.ballot_cast(poll=poll, person=voter, marks=[(county_round.candidates.first().pk, "")])
    services.poll_close(poll=poll, by=county_staff)
    services.poll_publish(poll=poll, by=county_staff, today=dt.date(2025, 3, 1))
    return county_round.projects.get()


def project_data(project, **changes) -> dict:
    data = {
        "title": project.title,
        "unit": project.unit_id,
        "target": project.target,
        "funds": str(project.funds),
        "plan": "三月开工",
        "start_date": "2025-03-01",
        "end_date": "2025-12-31",
        "report_every_days": 30,
        **inline("milestones"),
        **inline("reports"),
        **inline("supervisions"),
    }
    data.update(changes)
    return data


def test_county_staff_change_their_projects_plan_and_it_is_recorded(
    client, county_staff, county_project
):
    client.force_login(county_staff)
    data = project_data(
        county_project,
        **inline("milestones", [{"title": "主体完工", "due_date": "2025-09-30"}]),
    )
    response = client.post(change_url("project", county_project.pk), data)
    assert response.status_code == 302
    county_project.refresh_from_db()
    assert county_project.plan == "三月开工"
    assert Milestone.objects.get(project=county_project).title == "主体完工"
    assert ProjectChange.objects.get(project=county_project).action == "plan"


def test_a_projects_unit_must_lie_in_the_writers_region(client, county_staff, county_project, unit):
    client.force_login(county_staff)
    data = project_data(county_project, unit=unit.pk)
    response = client.post(change_url("project", county_project.pk), data, follow=True)
    assert "请选择本地区的承办单位" in response.content.decode()
    county_project.refresh_from_db()
    assert county_project.unit_id != unit.pk and county_project.plan != "三月开工"
    assert not ProjectChange.objects.exists()


def supervision_activity(by, region, committee_region, kind="livelihood"):
    committee = Organisation.objects.create(
        name=f"{committee_region.name}人大常委会", kind="committee", region=committee_region
    )
    return station_services.activity_create(
        by=by,
        kind=kind,
        title="视察项目",
        date=dt.date(2025, 6, 12),
        region=region,
        committee=committee,
    )


def test_a_supervision_link_needs_an_activity_of_the_writers_region(
    client, county_staff, city_staff, county_project, wenfeng, linzhou
):
    elsewhere = supervision_activity(city_staff, wenfeng, wenfeng)
    client.force_login(county_staff)
    data = project_data(county_project, **inline("supervisions", [{"activity": elsewhere.pk}]))
    response = client.post(change_url("project", county_project.pk), data, follow=True)
    assert "这不在您的管辖区域内" in response.content.decode()
    assert not Supervision.objects.exists()
    own = supervision_activity(county_staff, linzhou, linzhou)
    data = project_data(county_project, **inline("supervisions", [{"activity": own.pk}]))
    assert client.post(change_url("project", county_project.pk), data).status_code == 302
    link = Supervision.objects.get(project=county_project)
    # Deleting the link goes through its service too.
    data = project_data(
        county_project,
        **inline(
            "supervisions",
            [{"id": link.pk, "project": county_project.pk, "activity": own.pk, "DELETE": "on"}],
            initial=1,
        ),
    )
    assert client.post(change_url("project", county_project.pk), data).status_code == 302
    assert not Supervision.objects.exists()


def test_county_staff_cannot_open_the_citys_project(client, county_staff, county_project, poll):
    client.force_login(county_staff)
    city = Project.objects.exclude(pk=county_project.pk).first()
    assert city is None or client.get(change_url("project", city.pk)).status_code != 200


# --- parameters that are not ids ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/livelihood/poll/{poll}/step/nonsense/",
        "/admin/livelihood/poll/abc/step/open/",
        "/admin/livelihood/poll/abc/turnout/",
        "/admin/livelihood/poll/abc/change/",
        "/admin/livelihood/participation/abc/change/",
    ],
)
def test_bad_ids_in_admin_paths_give_no_server_error(client, city_staff, poll, path):
    client.force_login(city_staff)
    response = client.get(path.format(poll=poll.pk))
    assert response.status_code in (302, 404)


@pytest.mark.parametrize("value", ["abc", "1e3", "-1", "1" * 30, "\x00"])
def test_a_paper_voter_that_is_not_an_id_is_refused_in_words(client, city_staff, open_poll, value):
    client.force_login(city_staff)
    url = reverse("admin:livelihood_poll_paper", args=[open_poll.pk])
    response = client.post(url, {"person": value}, follow=True)
    if "\x00" in value:  # refused before any view reads it (anping.web.middleware): 400
        assert response.status_code == 400
    else:
        assert "请选择代表" in response.content.decode()
    assert not open_poll.participations.exists()


def test_a_paper_voter_outside_the_writers_region_is_refused(
    client, county_staff, county_round, deputy_user
):
    poll = make_poll(round_=county_round, by=county_staff, places=1, max_marks=1)
    services.poll_open(poll=poll, by=county_staff)
    client.force_login(county_staff)
    url = reverse("admin:livelihood_poll_paper", args=[poll.pk])
    response = client.post(url, {"person": deputy_user.deputy.pk}, follow=True)
    assert "请选择代表" in response.content.decode()  # a 文峰区 deputy: not in 林州市's sight
    assert not poll.participations.exists()


@pytest.mark.parametrize("q", ["\x00", "张\x00", "%", "_" * 200])
def test_the_paper_search_takes_any_text(client, city_staff, open_poll, deputy_user, q):
    client.force_login(city_staff)
    url = reverse("admin:livelihood_poll_paper", args=[open_poll.pk])
    response = client.get(url, {"q": q})
    if "\x00" in q:  # refused before any view reads it (anping.web.middleware)
        assert response.status_code == 400
        return
    assert response.status_code == 200
    assert ("张华" in response.content.decode()) == q.startswith("张")
