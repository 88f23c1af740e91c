"""The vote: one ballot per deputy, refused ballots change nothing, the count follows the rule."""

import pytest

from anping.errors import DomainError, NotAllowed
from livelihood import services
from livelihood.models import Ballot, Mark, Participation, Poll, PollTransition, ResultLine

from .factories import make_poll, make_round, many_deputies


def marks(*candidates):
    return [(c.pk, "") for c in candidates]


def nothing_written(poll):
    return (
        Participation.objects.filter(poll=poll).count(),
        Ballot.objects.filter(poll=poll).count(),
        Mark.objects.filter(ballot__poll=poll).count(),
    )


@pytest.fixture
def candidates(vote_round):
    return list(vote_round.candidates.order_by("number"))


def test_a_deputy_votes_once_and_gets_a_receipt_that_checks(open_poll, deputy_user, candidates):
    code = services.ballot_cast(
        poll=open_poll, person=deputy_user.deputy, marks=marks(*candidates[:3])
    )
    assert len(code) == 14 and code[4] == "-"
    assert nothing_written(open_poll) == (1, 1, 3)
    assert services.receipt_check(poll=open_poll, code=code)
    assert services.receipt_check(poll=open_poll, code=code.lower().replace("-", ""))
    assert not services.receipt_check(poll=open_poll, code="AAAA-BBBB-CCCC")
    # The code is stored nowhere in the clear.
    assert not Ballot.objects.filter(receipt_hash__contains=code).exists()


def test_second_submission_is_refused_in_chinese_and_changes_nothing(
    open_poll, deputy_user, candidates
):
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=marks(candidates[0]))
    before = nothing_written(open_poll)
    with pytest.raises(DomainError, match="您已在本次表决中投票"):
        services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=marks(candidates[1]))
    assert nothing_written(open_poll) == before


def test_too_many_marks_are_refused(open_poll, deputy_user, candidates):
    with pytest.raises(DomainError, match="最多可选 3 项"):
        services.ballot_cast(
            poll=open_poll, person=deputy_user.deputy, marks=marks(*candidates[:4])
        )
    assert nothing_written(open_poll) == (0, 0, 0)


def test_a_mark_on_a_candidate_of_another_vote_is_refused(
    open_poll, deputy_user, term, unit, city_staff
):
    other = make_round(term=term, unit=unit, candidates=4, year=2025)
    stranger = other.candidates.first()
    with pytest.raises(DomainError, match="不在本选票上"):
        services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=marks(stranger))
    assert nothing_written(open_poll) == (0, 0, 0)


def test_marking_one_candidate_twice_is_refused(open_poll, deputy_user, candidates):
    with pytest.raises(DomainError):
        services.ballot_cast(
            poll=open_poll, person=deputy_user.deputy, marks=marks(candidates[0], candidates[0])
        )
    assert nothing_written(open_poll) == (0, 0, 0)


def test_a_deputy_of_another_congress_cannot_vote(open_poll, linzhou, candidates):
    from tests.factories import make_deputy

    county_deputy = make_deputy(region=linzhou.children.first(), level="county", term_number=17)
    with pytest.raises(NotAllowed, match="不是本级人大的在任代表"):
        services.ballot_cast(poll=open_poll, person=county_deputy, marks=marks(candidates[0]))
    assert nothing_written(open_poll) == (0, 0, 0)


def test_a_deputy_whose_mandate_ended_cannot_vote(open_poll, deputy_user, candidates):
    import datetime as dt

    from deputies.services import mandate_end

    mandate_end(
        mandate=deputy_user.deputy.mandates.get(),
        status="resigned",
        date=dt.date(2024, 1, 5),
        reason="辞职",
        by=None,
    )
    with pytest.raises(NotAllowed):
        services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=marks(candidates[0]))


def test_no_ballot_before_opening_or_after_closing(poll, deputy_user, candidates, city_staff):
    with pytest.raises(DomainError, match="投票未开放"):
        services.ballot_cast(poll=poll, person=deputy_user.deputy, marks=marks(candidates[0]))
    services.poll_open(poll=poll, by=city_staff)
    services.poll_close(poll=poll, by=city_staff)
    with pytest.raises(DomainError, match="投票未开放"):
        services.ballot_cast(poll=poll, person=deputy_user.deputy, marks=marks(candidates[0]))
    assert nothing_written(poll) == (0, 0, 0)


def test_settings_freeze_when_voting_opens(poll, city_staff):
    services.poll_open(poll=poll, by=city_staff)
    poll.refresh_from_db()
    poll.places = 4
    with pytest.raises(DomainError, match="设置已冻结"):
        services.poll_save_settings(poll=poll, by=city_staff)
    poll.refresh_from_db()
    assert poll.places == 3


def test_candidates_freeze_when_voting_opens(poll, city_staff, vote_round):
    services.poll_open(poll=poll, by=city_staff)
    candidate = vote_round.candidates.first()
    candidate.title = "改名"
    with pytest.raises(DomainError, match="候选项目清单不能再更改"):
        services.candidate_save(candidate=candidate, by=city_staff)
    with pytest.raises(DomainError):
        services.candidate_delete(candidate=candidate, by=city_staff)


def test_a_vote_needs_more_candidates_than_places(term, unit, city_staff):
    round_ = make_round(term=term, unit=unit, candidates=3)
    poll = make_poll(round_=round_, by=city_staff, places=3, max_marks=3)
    with pytest.raises(DomainError, match="差额"):
        services.poll_open(poll=poll, by=city_staff)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.PREPARED


def test_state_only_moves_forward_one_step_each_and_is_recorded(poll, city_staff):
    with pytest.raises(DomainError):
        services.poll_close(poll=poll, by=city_staff)
    with pytest.raises(DomainError):
        services.poll_publish(poll=poll, by=city_staff)
    services.poll_open(poll=poll, by=city_staff)
    with pytest.raises(DomainError):
        services.poll_open(poll=poll, by=city_staff)
    services.poll_close(poll=poll, by=city_staff)
    services.poll_publish(poll=poll, by=city_staff)
    with pytest.raises(DomainError):
        services.poll_close(poll=poll, by=city_staff)
    steps = list(
        PollTransition.objects.filter(poll=poll)
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "by")
    )
    assert steps == [
        ("prepared", "open", city_staff.pk),
        ("open", "closed", city_staff.pk),
        ("closed", "published", city_staff.pk),
    ]


def test_count_applies_the_rule_and_equals_participations(
    poll, term, wenfeng, candidates, city_staff
):
    # 10 deputies in all (张华 + 9): more than half of all = at least 6 votes.
    voters = [poll.round.term.mandates.get().person, *many_deputies(term, wenfeng, 9)]
    services.poll_open(poll=poll, by=city_staff)
    a, b, c, d, e = candidates
    plan = [[a, b, c]] * 6 + [[a, b, d]] + [[a, d]] + [[e]] + [[]]
    for person, chosen in zip(voters, plan, strict=True):
        services.ballot_cast(poll=poll, person=person, marks=marks(*chosen))
    closed = services.poll_close(poll=poll, by=city_staff)
    assert closed.status == Poll.Status.CLOSED
    assert closed.electorate == 10
    assert closed.ballots_cast == 10 == Participation.objects.filter(poll=poll).count()
    assert closed.quorum_met
    got = {ln.candidate_id: (ln.votes, ln.outcome) for ln in ResultLine.objects.filter(poll=poll)}
    assert got == {
        a.pk: (8, "chosen"),
        b.pk: (7, "chosen"),
        c.pk: (6, "chosen"),  # 6 of 10 deputies: more than half
        d.pk: (2, "not_chosen"),
        e.pk: (1, "not_chosen"),
    }
    # Counting again gives the same.
    from livelihood.services.polls import _count

    _count(closed)
    again = {ln.candidate_id: (ln.votes, ln.outcome) for ln in ResultLine.objects.filter(poll=poll)}
    assert again == got


def test_staff_of_another_region_cannot_run_the_poll(poll, county_staff):
    with pytest.raises(NotAllowed):
        services.poll_open(poll=poll, by=county_staff)


def test_publishing_creates_the_chosen_projects(open_poll, deputy_user, candidates, city_staff):
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=marks(*candidates[:2]))
    services.poll_close(poll=open_poll, by=city_staff)
    services.poll_publish(poll=open_poll, by=city_staff)
    projects = set(open_poll.round.projects.values_list("candidate_id", flat=True))
    assert projects == {candidates[0].pk, candidates[1].pk}
