"""The year-end satisfaction rating: every project rated once per deputy, in secret; the class
by DOMAIN.md's rule; published."""

import pytest

from anping.errors import DomainError
from livelihood import services
from livelihood.models import Participation, Poll, ResultLine

from .factories import make_poll, many_deputies


@pytest.fixture
def projects(open_poll, deputy_user, city_staff, vote_round):
    c = list(vote_round.candidates.order_by("number"))
    services.ballot_cast(
        poll=open_poll, person=deputy_user.deputy, marks=[(c[0].pk, ""), (c[1].pk, "")]
    )
    services.poll_close(poll=open_poll, by=city_staff)
    services.poll_publish(poll=open_poll, by=city_staff)
    return list(vote_round.projects.order_by("candidate__number"))


@pytest.fixture
def rating(vote_round, city_staff, projects):
    poll = make_poll(round_=vote_round, by=city_staff, kind=Poll.Kind.RATING)
    return services.poll_open(poll=poll, by=city_staff)


def test_rating_waits_for_the_published_vote(vote_round, city_staff, poll):
    with pytest.raises(DomainError):
        make_poll(round_=vote_round, by=city_staff, kind=Poll.Kind.RATING)


def test_each_project_must_be_rated_once(rating, deputy_user, projects):
    one = projects[0]
    with pytest.raises(DomainError, match="请对每个项目各评价一次"):
        services.ballot_cast(
            poll=rating, person=deputy_user.deputy, marks=[(one.candidate_id, "satisfied")]
        )
    with pytest.raises(DomainError, match="请选择满意、基本满意或不满意"):
        services.ballot_cast(
            poll=rating,
            person=deputy_user.deputy,
            marks=[(p.candidate_id, "great") for p in projects],
        )
    assert not Participation.objects.filter(poll=rating).exists()


def test_rates_and_classes_follow_the_rule(
    rating, projects, term, wenfeng, deputy_user, city_staff
):
    first, second = projects
    voters = [deputy_user.deputy, *many_deputies(term, wenfeng, 9)]
    grades_first = ["satisfied"] * 6 + ["basic"] * 2 + ["not"] * 2
    grades_second = ["satisfied"] * 3 + ["basic"] * 1 + ["not"] * 6
    for person, g1, g2 in zip(voters, grades_first, grades_second, strict=True):
        services.ballot_cast(
            poll=rating, person=person, marks=[(first.candidate_id, g1), (second.candidate_id, g2)]
        )
    closed = services.poll_close(poll=rating, by=city_staff)
    assert closed.ballots_cast == 10
    lines = {ln.candidate_id: ln for ln in ResultLine.objects.filter(poll=rating)}
    a, b = lines[first.candidate_id], lines[second.candidate_id]
    assert (a.satisfied, a.basic, a.not_satisfied, a.outcome) == (6, 2, 2, "satisfied")
    assert a.satisfied_rate == 60.0
    assert (b.satisfied, b.basic, b.not_satisfied, b.outcome) == (3, 1, 6, "not")
    services.poll_publish(poll=rating, by=city_staff)
    rating.refresh_from_db()
    assert rating.status == Poll.Status.PUBLISHED
