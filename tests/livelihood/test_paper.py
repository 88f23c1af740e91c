"""Paper ballots: staff mark paper voters; the paper tally must add up; it joins the count."""

import pytest

from anping.errors import DomainError
from livelihood import services
from livelihood.models import Participation, ResultLine

from .factories import many_deputies


@pytest.fixture
def paper_voters(open_poll, term, wenfeng, city_staff):
    people = many_deputies(term, wenfeng, 3)
    for p in people:
        services.paper_voter_mark(poll=open_poll, person=p, by=city_staff)
    return people


def test_a_paper_voter_cannot_also_vote_online(open_poll, paper_voters, vote_round):
    c = vote_round.candidates.first()
    with pytest.raises(DomainError, match="您已在本次表决中投票"):
        services.ballot_cast(poll=open_poll, person=paper_voters[0], marks=[(c.pk, "")])
    with pytest.raises(DomainError, match="已在本次投票中投票"):
        services.paper_voter_mark(
            poll=open_poll, person=paper_voters[0], by=open_poll.transitions.first().by
        )


def test_valid_plus_invalid_must_equal_cast(open_poll, paper_voters, city_staff, vote_round):
    c = list(vote_round.candidates.order_by("number"))
    with pytest.raises(DomainError, match="有效票与无效票之和必须等于收回的 3 张纸质选票"):
        services.paper_tally_enter(poll=open_poll, invalid=4, counts={c[0].pk: 0}, by=city_staff)
    with pytest.raises(DomainError, match="不能超过 2 张有效票"):
        services.paper_tally_enter(poll=open_poll, invalid=1, counts={c[0].pk: 3}, by=city_staff)
    open_poll.refresh_from_db()
    assert open_poll.paper_cast == 0


def test_publishing_waits_for_the_paper_tally_and_counts_it(
    open_poll, paper_voters, city_staff, vote_round, deputy_user
):
    c = list(vote_round.candidates.order_by("number"))
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c[0].pk, "")])
    services.poll_close(poll=open_poll, by=city_staff)
    with pytest.raises(DomainError, match="请先录入纸质选票计票结果"):
        services.poll_publish(poll=open_poll, by=city_staff)
    services.paper_tally_enter(
        poll=open_poll, invalid=1, counts={c[0].pk: 2, c[1].pk: 1}, by=city_staff
    )
    open_poll.refresh_from_db()
    assert open_poll.ballots_cast == 4 == Participation.objects.filter(poll=open_poll).count()
    votes = dict(ResultLine.objects.filter(poll=open_poll).values_list("candidate_id", "votes"))
    assert votes[c[0].pk] == 3 and votes[c[1].pk] == 1
    services.poll_publish(poll=open_poll, by=city_staff)
