"""The project's stages, each one step with a predicate, in order, by committee staff of the
region only; each recorded as a transition row."""

import datetime as dt

import pytest

from anping.errors import DomainError, NotAllowed
from legislation import services
from legislation.models import Project, ProjectTransition

D = dt.date(2024, 6, 26)


def _walk(project, by):
    services.project_start_drafting(project=project, by=by)
    services.project_hold_reading(
        project=project,
        by=by,
        meeting="市十五届人大常委会第十五次会议",
        held_on=D,
        remarks="组成人员建议明确乡镇职责。",
    )
    services.project_hold_reading(project=project, by=by, meeting="第十六次会议", held_on=D)
    services.project_review(project=project, by=by, held_on=D, report="法制委员会审议结果的报告")
    services.project_vote(project=project, by=by, held_on=dt.date(2024, 8, 30), result="通过")
    services.project_approve(project=project, by=by, held_on=dt.date(2024, 11, 28))
    return services.project_promulgate(project=project, by=by, held_on=dt.date(2024, 12, 5))


def test_the_stages_in_order_each_recorded(project, city_staff):
    project = _walk(project, city_staff)
    assert project.stage == Project.Stage.PROMULGATED and project.readings == 2
    assert project.voted_on == dt.date(2024, 8, 30)
    assert project.approval_due == dt.date(2024, 12, 30)  # four months after the vote
    steps = list(project.transitions.order_by("at", "pk").values_list("from_status", "to_status"))
    assert steps == [
        ("", "planned"),
        ("planned", "drafting"),
        ("drafting", "reading"),
        ("reading", "reading"),
        ("reading", "reviewed"),
        ("reviewed", "voted"),
        ("voted", "approved"),
        ("approved", "promulgated"),
    ]
    reading = ProjectTransition.objects.filter(to_status="reading").order_by("pk").first()
    assert reading.meeting == "市十五届人大常委会第十五次会议"
    assert reading.reason == "组成人员建议明确乡镇职责。"


def test_no_stage_can_be_skipped_or_done_twice(project, city_staff):
    assert not project.may_vote()
    with pytest.raises(DomainError):
        services.project_vote(project=project, by=city_staff, held_on=D)
    with pytest.raises(DomainError):
        services.project_hold_reading(project=project, by=city_staff, meeting="会议", held_on=D)
    services.project_start_drafting(project=project, by=city_staff)
    with pytest.raises(DomainError):
        services.project_start_drafting(project=project, by=city_staff)
    project.refresh_from_db()
    assert project.stage == Project.Stage.DRAFTING
    assert project.transitions.count() == 2


def test_the_review_needs_its_report(project, city_staff):
    services.project_start_drafting(project=project, by=city_staff)
    services.project_hold_reading(project=project, by=city_staff, meeting="会议", held_on=D)
    with pytest.raises(DomainError):
        services.project_review(project=project, by=city_staff, held_on=D, report=" ")
    project.refresh_from_db()
    assert project.stage == Project.Stage.READING


@pytest.mark.parametrize("who", ["other_staff", "deputy_user", "unit_staff", "outsider"])
def test_only_staff_of_the_region_take_a_step(request, project, who):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.project_start_drafting(project=project, by=user)
    project.refresh_from_db()
    assert project.stage == Project.Stage.PLANNED


def test_county_staff_cannot_create_a_project_for_the_city(anyang, committee, other_staff):
    with pytest.raises(NotAllowed):
        services.project_save(
            project=Project(title="x", region=anyang, committee=committee, year=2024),
            by=other_staff,
        )
    assert not Project.objects.exists()


def test_county_staff_cannot_name_the_city_committee(linzhou, committee, other_staff):
    with pytest.raises(NotAllowed):
        services.project_save(
            project=Project(title="x", region=linzhou, committee=committee, year=2024),
            by=other_staff,
        )
    assert not Project.objects.exists()
