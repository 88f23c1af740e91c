"""Constituent opinions: recorded by the deputy who took them (or staff), moved to an outcome
by them or by staff of the region, every move recorded with who, when and why."""

import datetime as dt

import pytest
import time_machine

from anping.errors import DomainError, NotAllowed
from stations import services
from stations.models import Activity, Opinion, OpinionTransition

from .factories import make_activity, make_opinion

pytestmark = pytest.mark.django_db
S = Opinion.Status


@pytest.fixture
def mine(me, wenfeng):
    return make_opinion(taken_by=me, region=wenfeng)


@pytest.fixture
def in_linzhou(linzhou_deputy, linzhou):
    return make_opinion(taken_by=linzhou_deputy, region=linzhou.children.first())


def test_a_deputy_records_an_opinion_they_took(deputy_user, me, wenfeng):
    opinion = services.opinion_record(
        by=deputy_user,
        taken_by=me,
        channel=Opinion.Channel.WECHAT,
        topic=Opinion.Topic.TRANSPORT,
        summary="村里到镇上公交班次太少",
        region=wenfeng,
        received_on=dt.date(2024, 5, 3),
    )
    assert (opinion.status, opinion.created_by) == (S.RECORDED, deputy_user)


def test_a_deputy_cannot_record_in_another_deputys_name(deputy_user, linzhou_deputy, linzhou):
    with pytest.raises(NotAllowed):
        services.opinion_record(
            by=deputy_user,
            taken_by=linzhou_deputy,
            channel=Opinion.Channel.HOTLINE,
            topic=Opinion.Topic.URBAN,
            summary="x",
            region=linzhou,
            received_on=dt.date(2024, 5, 3),
        )


@pytest.mark.parametrize("role", ["unit", "evaluator", "outsider"])
def test_others_cannot_record_opinions(roles, role, me, wenfeng):
    with pytest.raises(NotAllowed):
        services.opinion_record(
            by=roles[role],
            taken_by=me,
            channel=Opinion.Channel.ONLINE,
            topic=Opinion.Topic.URBAN,
            summary="x",
            region=wenfeng,
            received_on=dt.date(2024, 5, 3),
        )


@time_machine.travel(dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_each_move_is_recorded_with_who_when_and_why(deputy_user, city_staff, mine, housing):
    # Deputies do not forward (the closed loop's dispatch is the staff's step).
    with pytest.raises(NotAllowed):
        services.opinion_move(
            opinion=mine, to=S.FORWARDED, unit=housing, reason="涉及路灯维修", by=deputy_user
        )
    services.opinion_move(
        opinion=mine, to=S.FORWARDED, unit=housing, reason="涉及路灯维修", by=city_staff
    )
    services.opinion_move(opinion=mine, to=S.SOLVED, reason="路灯已修复", by=city_staff)
    mine.refresh_from_db()
    assert (mine.status, mine.forwarded_to, mine.closed_on) == (
        S.SOLVED,
        housing,
        dt.date(2024, 6, 1),
    )
    rows = list(
        OpinionTransition.objects.order_by("pk").values_list(
            "from_status", "to_status", "by__username", "reason"
        )
    )
    assert rows == [
        (S.RECORDED, S.FORWARDED, "city", "涉及路灯维修"),
        (S.FORWARDED, S.SOLVED, "city", "路灯已修复"),
    ]
    assert OpinionTransition.objects.first().at == dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC)


def test_a_settled_opinion_cannot_move_again(city_staff, mine):
    services.opinion_move(opinion=mine, to=S.CLOSED, reason="已解释说明", by=city_staff)
    with pytest.raises(DomainError):
        services.opinion_move(opinion=mine, to=S.SOLVED, reason="again", by=city_staff)
    assert OpinionTransition.objects.count() == 1


def test_forwarding_names_a_department(city_staff, mine):
    with pytest.raises(DomainError):
        services.opinion_move(opinion=mine, to=S.FORWARDED, reason="转办", by=city_staff)
    mine.refresh_from_db()
    assert mine.status == S.RECORDED


def test_a_reason_is_required(city_staff, mine):
    with pytest.raises(DomainError):
        services.opinion_move(opinion=mine, to=S.SOLVED, reason="  ", by=city_staff)


def test_budget_review_opinions_are_adopted_or_not(city_staff, me, anyang):
    review = make_activity(region=anyang, kind=Activity.Kind.BUDGET_REVIEW)
    opinion = make_opinion(taken_by=me, region=anyang, activity=review, topic=Opinion.Topic.FISCAL)
    assert services.opinion_allowed_moves(opinion) == [S.ADOPTED, S.NOT_ADOPTED]
    with pytest.raises(DomainError):
        services.opinion_move(opinion=opinion, to=S.SOLVED, reason="x", by=city_staff)
    services.opinion_move(opinion=opinion, to=S.ADOPTED, reason="已采纳", by=city_staff)
    opinion.refresh_from_db()
    assert opinion.status == S.ADOPTED


def test_constituent_opinions_cannot_be_adopted(city_staff, mine):
    with pytest.raises(DomainError):
        services.opinion_move(opinion=mine, to=S.ADOPTED, reason="x", by=city_staff)


@pytest.mark.parametrize("role", ["unit", "evaluator", "outsider"])
def test_others_cannot_move_an_opinion(roles, role, mine):
    with pytest.raises(NotAllowed):
        services.opinion_move(opinion=mine, to=S.SOLVED, reason="x", by=roles[role])


def test_another_deputy_cannot_move_my_opinion(other_deputy_user, mine):
    with pytest.raises(NotAllowed):
        services.opinion_move(opinion=mine, to=S.SOLVED, reason="x", by=other_deputy_user)


def test_county_staff_move_only_their_regions_opinions(county_staff, mine, in_linzhou):
    services.opinion_move(opinion=in_linzhou, to=S.SOLVED, reason="已解决", by=county_staff)
    with pytest.raises(NotAllowed):
        services.opinion_move(opinion=mine, to=S.SOLVED, reason="x", by=county_staff)


def test_the_suggestions_capability_turns_an_opinion_into_a_suggestion(deputy_user, mine):
    services.opinion_turn_into_suggestion(
        opinion=mine, by=deputy_user, reference="市十五届人大三次会议第42号"
    )
    mine.refresh_from_db()
    assert mine.status == S.SUGGESTION
    assert "第42号" in mine.transitions.get().reason


def test_visibility_by_role(roles, mine, in_linzhou):
    assert set(Opinion.objects.visible_to(roles["city"])) == {mine, in_linzhou}
    assert list(Opinion.objects.visible_to(roles["county"])) == [in_linzhou]
    assert list(Opinion.objects.visible_to(roles["deputy"])) == [mine]
    for role in ("unit", "evaluator", "outsider"):
        assert not Opinion.objects.visible_to(roles[role]).exists()


def test_a_deputy_records_and_settles_an_opinion_on_the_portal(client, deputy_user, me, wenfeng):
    client.force_login(deputy_user)
    response = client.post(
        "/stations/opinions/new/",
        {
            "received_on": "2024-05-03",
            "channel": Opinion.Channel.WECHAT,
            "topic": Opinion.Topic.TRANSPORT,
            "summary": "村里到镇上公交班次太少",
            "region": wenfeng.pk,
        },
    )
    opinion = Opinion.objects.get()
    assert response.url == f"/stations/opinions/{opinion.pk}/"
    client.post(response.url, {"to": S.SOLVED, "reason": "已协调加密班次"})
    page = client.get(response.url).content.decode()
    opinion.refresh_from_db()
    assert opinion.status == S.SOLVED
    assert "已协调加密班次" in page


def test_an_opinion_page_is_404_to_other_deputies_and_outsiders(
    client, other_deputy_user, outsider, mine
):
    for user in (other_deputy_user, outsider):
        client.force_login(user)
        assert client.get(f"/stations/opinions/{mine.pk}/").status_code == 404


def test_staff_move_an_opinion_from_the_admin(client, county_staff, in_linzhou, housing):
    client.force_login(county_staff)
    url = f"/admin/stations/opinion/{in_linzhou.pk}/outcome/"
    response = client.post(url, {"to": S.FORWARDED, "unit": housing.pk, "reason": "转住建局办理"})
    assert response.status_code == 302
    in_linzhou.refresh_from_db()
    assert (in_linzhou.status, in_linzhou.forwarded_to) == (S.FORWARDED, housing)
