"""The counting rules, as pure functions of the counts: the same counts give the same result
every time, whichever order the ballots were read in."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Poll, ResultLine


@dataclass(frozen=True)
class Line:
    candidate_id: int
    number: int
    votes: int = 0
    satisfied: int = 0
    basic: int = 0
    not_satisfied: int = 0
    rank: int = 0
    outcome: str = ""


def fraction(numerator: int, denominator: int) -> str:
    if numerator * 2 == denominator:
        return _("half")
    return f"{numerator}/{denominator}"


def rule_text(poll: Poll) -> str:
    """The poll's rule in words, printed on the ballot and with the result."""
    if poll.kind == Poll.Kind.RATING:
        return _(
            "Rate each project. More than half satisfied: satisfied; otherwise satisfied and "
            "basically satisfied together more than half: basically satisfied; otherwise not "
            "satisfied. Valid only if at least %(quorum)s of the deputies take part."
        ) % {"quorum": fraction(poll.quorum_numerator, poll.quorum_denominator)}
    base = (
        _("all %(n)s serving deputies of the congress") % {"n": poll.electorate}
        if poll.base == Poll.Base.ALL_DEPUTIES and poll.electorate
        else Poll.Base(poll.base).label
    )
    return _(
        "%(places)s places; mark at most %(marks)s. A project needs votes from more than "
        "%(share)s of %(base)s; the chosen are those with the most votes, up to the number of "
        "places. Valid only if at least %(quorum)s of the deputies vote. A tie at the last "
        "place: %(tie)s."
    ) % {
        "places": poll.places,
        "marks": poll.max_marks,
        "share": fraction(poll.share_numerator, poll.share_denominator),
        "base": base,
        "quorum": fraction(poll.quorum_numerator, poll.quorum_denominator),
        "tie": Poll.TieRule(poll.tie_rule).label,
    }


def quorum_met(poll: Poll, cast: int) -> bool:
    return cast * poll.quorum_denominator >= poll.quorum_numerator * poll.electorate


def _ranked(lines: list[Line], key) -> list[Line]:
    """Order by the key (most first), then ballot number; rank 1 + how many did strictly better."""
    ordered = sorted(lines, key=lambda ln: (-key(ln), ln.number))
    out = []
    for ln in ordered:
        better = sum(1 for other in ordered if key(other) > key(ln))
        out.append(Line(**{**ln.__dict__, "rank": better + 1}))
    return out


def count_vote(poll: Poll, lines: list[Line], cast: int) -> tuple[list[Line], str]:
    """Apply the vote's rule: quorum, the share of the base, the places, the tie rule."""
    ranked = _ranked(lines, key=lambda ln: ln.votes)
    if not quorum_met(poll, cast):
        note = _("Quorum not met: %(cast)s ballots of %(n)s deputies; no project is chosen.") % {
            "cast": cast,
            "n": poll.electorate,
        }
        return [
            Line(**{**ln.__dict__, "outcome": ResultLine.Outcome.NOT_CHOSEN}) for ln in ranked
        ], note
    base = poll.electorate if poll.base == Poll.Base.ALL_DEPUTIES else cast
    passing = [
        ln for ln in ranked if ln.votes * poll.share_denominator > poll.share_numerator * base
    ]
    chosen: set[int] = set()
    runoff: set[int] = set()
    note = ""
    if len(passing) <= poll.places:
        chosen = {ln.candidate_id for ln in passing}
    else:
        cutoff = passing[poll.places - 1].votes
        above = [ln for ln in passing if ln.votes > cutoff]
        tied = [ln for ln in passing if ln.votes == cutoff]
        if len(above) + len(tied) == poll.places:
            chosen = {ln.candidate_id for ln in above + tied}
        else:
            names = "、".join(str(ln.number) for ln in tied)
            note = _(
                "Projects %(numbers)s are tied at the last place with %(votes)s votes each."
            ) % {"numbers": names, "votes": cutoff}
            chosen = {ln.candidate_id for ln in above}
            if poll.tie_rule == Poll.TieRule.ALL_CHOSEN:
                chosen |= {ln.candidate_id for ln in tied}
            elif poll.tie_rule == Poll.TieRule.RUNOFF:
                runoff = {ln.candidate_id for ln in tied}
            note = f"{note} {Poll.TieRule(poll.tie_rule).label}"
    out = []
    for ln in ranked:
        if ln.candidate_id in chosen:
            outcome = ResultLine.Outcome.CHOSEN
        elif ln.candidate_id in runoff:
            outcome = ResultLine.Outcome.RUNOFF
        else:
            outcome = ResultLine.Outcome.NOT_CHOSEN
        out.append(Line(**{**ln.__dict__, "outcome": outcome}))
    return out, note.strip()


def rating_class(satisfied: int, basic: int, not_satisfied: int) -> str:
    """DOMAIN.md's reading: more than half satisfied → satisfied; else satisfied and basically
    satisfied together more than half → basically satisfied; else not satisfied."""
    rated = satisfied + basic + not_satisfied
    if rated and satisfied * 2 > rated:
        return ResultLine.Outcome.SATISFIED
    if rated and (satisfied + basic) * 2 > rated:
        return ResultLine.Outcome.BASIC
    return ResultLine.Outcome.NOT_SATISFIED


def count_rating(poll: Poll, lines: list[Line], cast: int) -> tuple[list[Line], str]:
    ranked = _ranked(lines, key=lambda ln: (ln.satisfied + ln.basic) * 1_000_000 + ln.satisfied)
    note = ""
    if not quorum_met(poll, cast):
        note = _("Quorum not met: %(cast)s ballots of %(n)s deputies.") % {
            "cast": cast,
            "n": poll.electorate,
        }
    return [
        Line(
            **{
                **ln.__dict__,
                "outcome": rating_class(ln.satisfied, ln.basic, ln.not_satisfied),
            }
        )
        for ln in ranked
    ], note
