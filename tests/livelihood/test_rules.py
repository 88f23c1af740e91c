"""The counting rule: the share of the base, the places, the tie at the last place, the quorum."""

import pytest

from livelihood.models import Poll, ResultLine
from livelihood.rules import Line, count_vote, rating_class


def poll(**kw):
    fields = dict(
        places=2,
        max_marks=2,
        base=Poll.Base.ALL_DEPUTIES,
        share_numerator=1,
        share_denominator=2,
        quorum_numerator=2,
        quorum_denominator=3,
        tie_rule=Poll.TieRule.RUNOFF,
        electorate=10,
    )
    fields.update(kw)
    return Poll(**fields)


def lines(*votes):
    return [Line(candidate_id=i + 1, number=i + 1, votes=v) for i, v in enumerate(votes)]


def outcome(result):
    return [ln.outcome for ln in sorted(result, key=lambda ln: ln.number)]


C, N, R = ResultLine.Outcome.CHOSEN, ResultLine.Outcome.NOT_CHOSEN, ResultLine.Outcome.RUNOFF


def test_most_votes_above_half_of_all_deputies_up_to_the_places():
    result, note = count_vote(poll(), lines(9, 8, 7, 3), cast=10)
    assert outcome(result) == [C, C, N, N]
    assert [ln.rank for ln in sorted(result, key=lambda ln: ln.number)] == [1, 2, 3, 4]


def test_exactly_half_is_not_more_than_half():
    result, _ = count_vote(poll(), lines(9, 5, 4), cast=10)
    assert outcome(result) == [C, N, N]


def test_base_of_ballots_cast_lowers_the_bar():
    result, _ = count_vote(poll(base=Poll.Base.BALLOTS_CAST), lines(7, 4, 1), cast=7)
    assert outcome(result) == [C, C, N]  # 4 of 7 cast is more than half


@pytest.mark.parametrize(
    "rule,expected",
    [
        (Poll.TieRule.NONE_CHOSEN, [C, N, N, N]),
        (Poll.TieRule.ALL_CHOSEN, [C, C, C, N]),
        (Poll.TieRule.RUNOFF, [C, R, R, N]),
    ],
)
def test_a_tie_at_the_last_place_follows_the_poll_setting(rule, expected):
    result, note = count_vote(poll(tie_rule=rule), lines(9, 7, 7, 2), cast=10)
    assert outcome(result) == expected
    assert "2、3" in note


def test_a_tie_that_fits_the_places_is_no_tie():
    result, note = count_vote(poll(places=3, max_marks=3), lines(9, 7, 7, 2), cast=10)
    assert outcome(result) == [C, C, C, N]
    assert note == ""


def test_no_quorum_no_project():
    result, note = count_vote(poll(), lines(6, 6, 1), cast=6)  # 6 < 2/3 of 10
    assert outcome(result) == [N, N, N]
    assert "未达到法定人数" in note


@pytest.mark.parametrize(
    "s,b,n,expected",
    [
        (6, 2, 2, ResultLine.Outcome.SATISFIED),
        (5, 5, 0, ResultLine.Outcome.BASIC),  # 5 of 10 satisfied is not more than half
        (3, 3, 4, ResultLine.Outcome.BASIC),
        (3, 2, 5, ResultLine.Outcome.NOT_SATISFIED),
        (0, 0, 0, ResultLine.Outcome.NOT_SATISFIED),
    ],
)
def test_rating_class_by_the_domain_rule(s, b, n, expected):
    assert rating_class(s, b, n) == expected
