"""Every write of the livelihood-project cycle: the round, the candidates, the secret ballot,
implementation and the rating. Admin pages, portal views, tasks and the demo call these.

Secrecy rules kept here: a ballot is written with nothing of its voter; the receipt code is
returned to the caller once and kept only as a hash on the ballot; `ballot_cast` never logs or
raises with the marks (`sensitive_variables` keeps them out of error reports too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.orgs.models import Organisation
from deputies.models import Mandate, Person, Term

from . import rules
from .models import (
    Ballot,
    BallotPass,
    Candidate,
    Mark,
    Milestone,
    PaperTallyLine,
    Participation,
    Poll,
    PollTransition,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectChange,
    ResultLine,
    Round,
    Suggestion,
    SuggestionTransition,
    Supervision,
)

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in the hall
_shuffle = random.SystemRandom().shuffle


# --- helpers -----------------------------------------------------------------------------------


def _require_staff_of(user, round_: Round) -> None:
    """Committee staff whose region holds the round's congress."""
    if not Round.objects.visible_to(user).filter(pk=round_.pk).exists():
        raise NotAllowed(_("Only committee staff of this congress may do this."))


def _require_term(user, term_id: int | None) -> None:
    """The congress term a round is for lies in the writer's region (a county's staff cannot
    make a round of the city's congress, which would then hold the city's year)."""
    if not term_id or not (
        Term.objects.filter(access.region_q(user, "congress__region"), pk=term_id).exists()
    ):
        raise NotAllowed(_("Choose a congress of your own region."))


def _require_unit(user, unit_id: int | None) -> None:
    """A responsible unit is a government handling unit of the writer's region."""
    if not unit_id or not (
        Organisation.objects.filter(
            access.region_q(user, "region"), pk=unit_id, kind=Organisation.Kind.HANDLING_UNIT
        ).exists()
    ):
        raise NotAllowed(_("Choose a handling unit of your own region."))


def _stored(model, obj, user):
    """The row as stored, read through the writer's scope: the service checks the original,
    not only what the form now says (a change could move a row out of someone else's scope)."""
    if obj.pk is None:
        return None
    stored = model.objects.visible_to(user).filter(pk=obj.pk).first()
    if stored is None:
        raise NotAllowed(_("This is outside your region."))
    return stored


def _clean(obj) -> None:
    """Model validation as a domain error, so that every caller shows it as a message."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None


def _transition(poll: Poll, to: str, by, reason: str = "") -> None:
    PollTransition.objects.create(
        poll=poll, from_status=poll.status, to_status=to, by=by, reason=reason
    )
    poll.status = to


def _lock(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("round__term").get(pk=poll.pk)


def serving_deputies(term_id: int):
    """Persons with a serving mandate in the term: the electorate of its polls."""
    return Person.objects.filter(mandates__term_id=term_id, mandates__status=Mandate.Status.SERVING)


def is_voter(poll: Poll, person: Person | None) -> bool:
    return person is not None and (
        Mandate.objects.filter(
            person=person, term_id=poll.round.term_id, status=Mandate.Status.SERVING
        ).exists()
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _receipt_hash(poll_id: int, code: str) -> str:
    code = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(f"{poll_id}:{code}".encode()).hexdigest()


def _new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# --- the round and its candidates --------------------------------------------------------------


def round_save(*, round: Round, by) -> Round:
    """Add or change a round: its congress term lies in the writer's region (and, on a change,
    so did the round as stored). The term is frozen once the round's vote has opened."""
    stored = _stored(Round, round, by)
    _require_term(by, round.term_id)
    with transaction.atomic():
        if stored is not None:
            Round.objects.select_for_update().get(pk=stored.pk)
            if stored.term_id != round.term_id and candidates_frozen(stored.pk):
                raise DomainError(
                    _("The vote has opened: the round's congress can no longer change.")
                )
        _clean(round)
        try:
            with transaction.atomic():
                round.save()
        except IntegrityError:
            raise DomainError(_("This congress already has a round for that year.")) from None
    return round


def round_delete(*, round: Round, by) -> None:
    """A round goes only while nothing was voted on in it."""
    _stored(Round, round, by)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        if Poll.objects.filter(round_id=round.pk).exclude(status=Poll.Status.PREPARED).exists():
            raise DomainError(_("A round that has held a vote cannot be deleted."))
        round.delete()


# The public's ideas: a description of a page or two is plenty; and the size is refused before
# anything is stored.
SUGGESTION_MAX_DESCRIPTION = 4000


def suggestion_source_for(user) -> str:
    """Where an idea comes from is who sent it, not what the sender claims: a signed-in
    deputy's idea is a deputy's, a handling unit's is a department's, anyone else's the
    public's."""
    from anping.accounts.models import User

    role = access.role_of(user)
    if role == User.Role.DEPUTY:
        return Suggestion.Source.DEPUTY
    if role == User.Role.UNIT_STAFF:
        return Suggestion.Source.DEPARTMENT
    return Suggestion.Source.PUBLIC


def suggestion_submit(
    *,
    round: Round,
    title: str,
    description: str,
    submitter_name: str,
    submitter_contact: str = "",
    user=None,
    today: dt.date | None = None,
) -> Suggestion:
    """A project idea from the public, a deputy or a department, during the collection period.
    The source is taken from who is signed in (anonymous: the public)."""
    today = today or timezone.localdate()
    if not round.collecting_on(today):
        raise DomainError(_("Project ideas for this round are not being collected now."))
    if not title.strip() or not description.strip() or not submitter_name.strip():
        raise DomainError(_("Give the idea a title, a description and your name."))
    if len(description) > SUGGESTION_MAX_DESCRIPTION:
        raise DomainError(
            _("Keep the description within %(n)s characters.") % {"n": SUGGESTION_MAX_DESCRIPTION}
        )
    return Suggestion.objects.create(
        round=round,
        source=suggestion_source_for(user),
        title=title.strip()[:120],
        description=description.strip(),
        submitter_name=submitter_name.strip()[:60],
        submitter_contact=submitter_contact.strip()[:40],
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
    )


def suggestion_save(*, suggestion: Suggestion, by) -> Suggestion:
    """Staff enter or correct an idea (one sent by letter, say): its round lies in their region,
    and so did the idea as stored. Its decision is `suggestion_decide`'s alone."""
    stored = _stored(Suggestion, suggestion, by)
    round_ = Round.objects.visible_to(by).filter(pk=suggestion.round_id).first()
    if round_ is None:
        raise NotAllowed(_("Choose a round of your own region."))
    if stored is not None:
        suggestion.status = stored.status
        suggestion.submitted_by_id = stored.submitted_by_id
    _clean(suggestion)
    suggestion.save()
    return suggestion


def suggestion_delete(*, suggestion: Suggestion, by) -> None:
    """An idea goes only while it is not on the candidate list."""
    stored = _stored(Suggestion, suggestion, by)
    if stored.status == Suggestion.Status.ADOPTED:
        raise DomainError(_("An idea taken into the candidate list cannot be deleted."))
    suggestion.delete()


def may_decide(suggestion: Suggestion) -> bool:
    """An idea is decided (and its decision changed) until the round's candidate list freezes."""
    return not candidates_frozen(suggestion.round_id)


def suggestion_decide(*, suggestion: Suggestion, adopted: bool, by, reason: str = "") -> Suggestion:
    """Staff record whether an idea was taken into the candidate list (a transition row)."""
    _require_staff_of(by, suggestion.round)
    to = Suggestion.Status.ADOPTED if adopted else Suggestion.Status.NOT_ADOPTED
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if not may_decide(locked):
            raise DomainError(_("The vote has opened: the candidate list can no longer change."))
        if locked.status == to:
            return locked  # already so: nothing to record
        SuggestionTransition.objects.create(
            suggestion=locked, from_status=locked.status, to_status=to, by=by, reason=reason
        )
        locked.status = to
        locked.save(update_fields=["status"])
    return locked


def candidates_frozen(round_id: int) -> bool:
    """The candidate list is frozen once the round's vote has opened."""
    return (
        Poll.objects.filter(round_id=round_id, kind=Poll.Kind.VOTE)
        .exclude(status=Poll.Status.PREPARED)
        .exists()
    )


def candidate_save(*, candidate: Candidate, by) -> Candidate:
    """Add or change a candidate on the government's list; not once the vote has opened. Its
    round, unit and source idea lie in the writer's region (and so did the candidate stored)."""
    stored = _stored(Candidate, candidate, by)
    round_ = Round.objects.visible_to(by).filter(pk=candidate.round_id).first()
    if round_ is None:
        raise NotAllowed(_("Choose a round of your own region."))
    _require_unit(by, candidate.unit_id)
    if candidate.from_suggestion_id and not (
        Suggestion.objects.filter(pk=candidate.from_suggestion_id, round_id=round_.pk).exists()
    ):
        raise DomainError(_("The project idea must be one of this round's."))
    rounds = sorted({round_.pk, stored.round_id if stored else round_.pk})
    with transaction.atomic():
        list(Round.objects.select_for_update().filter(pk__in=rounds).order_by("pk"))
        if any(candidates_frozen(r) for r in rounds):
            raise DomainError(_("The vote has opened: the candidate list can no longer change."))
        _clean(candidate)
        candidate.save()
        if candidate.from_suggestion_id:
            suggestion = Suggestion.objects.get(pk=candidate.from_suggestion_id)
            suggestion_decide(suggestion=suggestion, adopted=True, by=by)
    return candidate


def candidate_delete(*, candidate: Candidate, by) -> None:
    stored = _stored(Candidate, candidate, by)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=stored.round_id)
        if candidates_frozen(stored.round_id):
            raise DomainError(_("The vote has opened: the candidate list can no longer change."))
        candidate.delete()


# --- the poll's life: prepared → open → closed → published ---------------------------------------

SETTINGS_FIELDS = (
    "places",
    "max_marks",
    "base",
    "share_numerator",
    "share_denominator",
    "quorum_numerator",
    "quorum_denominator",
    "tie_rule",
)


def poll_save_settings(*, poll: Poll, by) -> Poll:
    """Create a poll or change its settings: only while it is prepared (frozen once open). Its
    round lies in the writer's region (and, on a change, so did the poll as stored)."""
    stored = _stored(Poll, poll, by)
    if not Round.objects.visible_to(by).filter(pk=poll.round_id).exists():
        raise NotAllowed(_("Choose a round of your own region."))
    with transaction.atomic():
        if stored is not None:
            current = _lock(stored)
            if not current.settings_editable:
                raise DomainError(_("The poll has opened: its settings are frozen."))
            # The round and kind are the poll's identity: they do not change.
            poll.round_id, poll.kind, poll.status = current.round_id, current.kind, current.status
        else:
            poll.status = Poll.Status.PREPARED
        if poll.kind == Poll.Kind.RATING:
            n = Project.objects.filter(round_id=poll.round_id).count()
            if not n:
                raise DomainError(_("The round has no chosen projects to rate yet."))
            poll.places = poll.max_marks = n
        _clean(poll)
        poll.save()
    return poll


def poll_delete(*, poll: Poll, by) -> None:
    """A poll goes only while it is prepared (nothing was voted in it)."""
    stored = _stored(Poll, poll, by)
    with transaction.atomic():
        if not _lock(stored).settings_editable:
            raise DomainError(_("The poll has opened: it can no longer be deleted."))
        poll.delete()


def poll_open(*, poll: Poll, by) -> Poll:
    """Open voting. The electorate (serving deputies of the term) is fixed now, and from now
    on the settings and the candidate list cannot change."""
    _require_staff_of(by, poll.round)
    with transaction.atomic():
        locked = _lock(poll)
        if not locked.can_open:
            raise DomainError(_("Only a prepared poll can be opened."))
        if locked.kind == Poll.Kind.VOTE:
            n = Candidate.objects.filter(round_id=locked.round_id).count()
            if n <= locked.places:
                raise DomainError(
                    _(
                        "A competitive vote needs more candidates than places: %(n)s candidates "
                        "for %(places)s places."
                    )
                    % {"n": n, "places": locked.places}
                )
        else:
            if not Poll.objects.filter(
                round_id=locked.round_id, kind=Poll.Kind.VOTE, status=Poll.Status.PUBLISHED
            ).exists():
                raise DomainError(_("The rating opens only after the vote's result is published."))
            locked.places = locked.max_marks = max(
                Project.objects.filter(round_id=locked.round_id).count(), 1
            )
        locked.electorate = serving_deputies(locked.round.term_id).distinct().count()
        if not locked.electorate:
            raise DomainError(_("This congress has no serving deputies to vote."))
        locked.opened_at = timezone.now()
        _transition(locked, Poll.Status.OPEN, by)
        locked.save()
    return locked


# The advisory-lock key space of livelihood polls (ASCII "LH"), with the poll's id as the second key.
POLL_LOCK_SPACE = 0x4C48


def _lock_open_for_ballot(poll_id: int, person_id: int | None = None) -> tuple[str, bool]:
    """Take the poll's ballot lock in shared mode; return the poll's status and whether the
    person holds a serving mandate in the poll's term (one round trip for all three).

    Ballots hold the lock shared, so they never wait for each other; `poll_close` takes it
    exclusively, which waits for every ballot already in flight and makes every later one read
    the poll closed: closing loses none and accepts none after. It is an advisory lock, held in
    memory until the transaction ends: a row lock shared by hundreds at once would rewrite the
    poll row's header at every ballot. (SQLite serialises writers by itself.)
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its own statement: the status must be read with a snapshot taken *after* the lock
            # is granted (READ COMMITTED gives each statement a new one), so that a ballot that
            # waited for a close sees the poll closed.
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s::int)", [POLL_LOCK_SPACE, poll_id]
            )
        cursor.execute(
            f"SELECT p.status, EXISTS (SELECT 1 FROM {Mandate._meta.db_table} m "
            f"WHERE m.person_id = %s AND m.term_id = r.term_id AND m.status = %s) "
            f"FROM {Poll._meta.db_table} p JOIN {Round._meta.db_table} r ON r.id = p.round_id "
            f"WHERE p.id = %s",
            [person_id or 0, Mandate.Status.SERVING, poll_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise DomainError(_("This poll does not exist."))
    return row[0], bool(row[1])


def _lock_exclusive_for_close(poll_id: int) -> None:
    """The other side of `_lock_open_for_ballot`: wait until no ballot is in flight, and keep
    new ones waiting until this transaction has ended."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s::int)", [POLL_LOCK_SPACE, poll_id])


# What a ballot offers, per poll: frozen once the poll opens, so the hall's ballots read it
# from the shared cache (Django's, Redis in production) for a short while instead of asking the
# database at every ballot. The key carries the opening time: a poll never reopens, but a test
# database's reused ids must not meet an older poll's list.
ITEMS_TTL = 30


def _items_key(poll: Poll) -> str:
    opened = poll.opened_at.timestamp() if poll.opened_at else 0
    return f"livelihood:ballot-items:{poll.pk}:{poll.round_id}:{opened}"


def ballot_items(poll: Poll) -> list:
    """The candidates of a vote (or the projects of a rating), in ballot order."""
    from django.core.cache import cache

    frozen = not poll.settings_editable
    if frozen:
        cached = cache.get(_items_key(poll))
        if cached is not None:
            return cached
    if poll.kind == Poll.Kind.VOTE:
        items = list(Candidate.objects.filter(round_id=poll.round_id).select_related("unit"))
    else:
        items = list(
            Project.objects.filter(round_id=poll.round_id)
            .select_related("unit", "candidate")
            .order_by("candidate__number")
        )
    if frozen:
        cache.set(_items_key(poll), items, ITEMS_TTL)
    return items


def _allowed_ids(poll: Poll) -> set[int]:
    items = ballot_items(poll)
    return {item.pk if poll.kind == Poll.Kind.VOTE else item.candidate_id for item in items}


@sensitive_variables("marks", "ids", "grades", "code", "mark_rows")
def ballot_cast(*, poll: Poll, person: Person | None, marks: Sequence[tuple[int, str]]) -> str:
    """Cast one deputy's electronic ballot. `marks` are (candidate id, grade) pairs; the grade
    is "" in a vote. Returns the receipt code, which is shown to the voter once and never stored
    in the clear. Writes a participation (that the deputy voted) and, apart from it, a ballot
    with its marks (what was voted), linked by nothing."""
    if person is None:
        raise NotAllowed(_("You are not a serving deputy of this congress and cannot vote here."))
    ids = [int(c) for c, _g in marks]
    grades = [g for _c, g in marks]
    if len(set(ids)) != len(ids):
        raise DomainError(_("A project is marked more than once."))
    allowed = _allowed_ids(poll)
    if poll.kind == Poll.Kind.VOTE:
        if any(g for g in grades):
            raise DomainError(_("A vote takes marks only, not grades."))
        if len(ids) > poll.max_marks:
            raise DomainError(
                _("Too many marks: at most %(n)s projects may be marked.") % {"n": poll.max_marks}
            )
    else:
        if set(ids) != allowed:
            raise DomainError(_("Rate every project, once each."))
        if any(g not in Mark.Grade.values for g in grades):
            raise DomainError(_("Choose satisfied, basically satisfied or not satisfied."))
    if not set(ids) <= allowed:
        raise DomainError(_("A marked project is not on this ballot."))
    code = _new_receipt()
    try:
        with transaction.atomic():
            status, serving = _lock_open_for_ballot(poll.pk, person.pk)
            if not serving:
                raise NotAllowed(
                    _("You are not a serving deputy of this congress and cannot vote here.")
                )
            if status != Poll.Status.OPEN:
                raise DomainError(_("Voting is not open: the ballot was not accepted."))
            # The participation first: a second ballot of the same deputy stops here, on the
            # unique constraint, before anything of its ballot is written.
            Participation.objects.create(
                poll_id=poll.pk, person=person, channel=Participation.Channel.ONLINE
            )
            ballot = Ballot.objects.create(
                poll_id=poll.pk, receipt_hash=_receipt_hash(poll.pk, code)
            )
            mark_rows = [
                Mark(ballot=ballot, candidate_id=c, grade=g)
                for c, g in zip(ids, grades, strict=True)
            ]
            _shuffle(mark_rows)
            Mark.objects.bulk_create(mark_rows)
    except IntegrityError:
        raise DomainError(already_voted_message()) from None
    return code


def already_voted_message() -> str:
    return _("You have already voted in this poll. Each deputy casts one ballot.")


def receipt_check(*, poll: Poll, code: str) -> bool:
    """Whether a receipt code belongs to a ballot of this poll (it says nothing of its marks)."""
    if not code.strip():
        return False
    return Ballot.objects.filter(poll=poll, receipt_hash=_receipt_hash(poll.pk, code)).exists()


def paper_voter_mark(*, poll: Poll, person: Person, by) -> Participation:
    """Staff record that a deputy voted on paper (their paper ballot goes into the box)."""
    _require_staff_of(by, poll.round)
    if poll.kind != Poll.Kind.VOTE:
        raise DomainError(_("Paper ballots are taken for the vote only."))
    if not is_voter(poll, person):
        raise DomainError(
            _("%(name)s is not a serving deputy of this congress.") % {"name": person}
        )
    try:
        with transaction.atomic():
            status, _serving = _lock_open_for_ballot(poll.pk)
            if status != Poll.Status.OPEN:  # read under the ballot lock: `takes_ballots`
                raise DomainError(_("Voting is not open."))
            return Participation.objects.create(
                poll_id=poll.pk, person=person, channel=Participation.Channel.PAPER
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s has already voted in this poll.") % {"name": person}
        ) from None


def paper_tally_enter(*, poll: Poll, invalid: int, counts: dict[int, int], by) -> Poll:
    """Enter the count of the paper ballots, per candidate. The ballots cast on paper are the
    deputies staff marked as paper voters; valid + invalid must equal them. Once the poll is
    closed the result is counted again with the paper ballots."""
    _require_staff_of(by, poll.round)
    with transaction.atomic():
        locked = _lock(poll)
        if not locked.is_vote:
            raise DomainError(_("Paper ballots are taken for the vote only."))
        if not locked.takes_paper_tally:
            raise DomainError(_("The paper tally is entered while the poll is open or closed."))
        cast = Participation.objects.filter(
            poll=locked, channel=Participation.Channel.PAPER
        ).count()
        valid = cast - invalid
        if invalid < 0 or valid < 0:
            raise DomainError(
                _("Valid plus invalid must equal the %(cast)s paper ballots cast.") % {"cast": cast}
            )
        candidates = set(
            Candidate.objects.filter(round_id=locked.round_id).values_list("pk", flat=True)
        )
        if set(counts) - candidates:
            raise DomainError(_("A counted project is not on this ballot."))
        for n in counts.values():
            if n < 0 or n > valid:
                raise DomainError(
                    _("A project cannot have more paper votes than the %(valid)s valid ballots.")
                    % {"valid": valid}
                )
        if sum(counts.values()) > valid * locked.max_marks:
            raise DomainError(
                _("The paper votes exceed %(marks)s marks on each of the %(valid)s valid ballots.")
                % {"marks": locked.max_marks, "valid": valid}
            )
        PaperTallyLine.objects.filter(poll=locked).delete()
        PaperTallyLine.objects.bulk_create(
            PaperTallyLine(poll=locked, candidate_id=c, count=n) for c, n in counts.items() if n
        )
        locked.paper_cast = cast
        locked.paper_invalid = invalid
        locked.save(update_fields=["paper_cast", "paper_invalid"])
        if locked.status == Poll.Status.CLOSED:
            _count(locked)
            locked.save()
    return locked


def turnout(poll: Poll) -> dict:
    """Who has voted so far, in numbers only: what staff watch while the poll is open."""
    rows = dict(
        Participation.objects.filter(poll=poll)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    online = rows.get(Participation.Channel.ONLINE, 0)
    paper = rows.get(Participation.Channel.PAPER, 0)
    electorate = poll.electorate or serving_deputies(poll.round.term_id).distinct().count()
    total = online + paper
    return {
        "online": online,
        "paper": paper,
        "total": total,
        "electorate": electorate,
        "percent": round(100 * total / electorate, 1) if electorate else 0,
        "quorum_met": rules.quorum_met(poll, total) if poll.electorate else False,
    }


def _count(poll: Poll) -> None:
    """Count the poll from its ballots and paper tally and write the result lines. The same
    ballots give the same result every time; the ballots must match the participations."""
    online_ballots = Ballot.objects.filter(poll=poll).count()
    online_voters = Participation.objects.filter(
        poll=poll, channel=Participation.Channel.ONLINE
    ).count()
    if online_ballots != online_voters:
        # Cannot happen (both are written in one transaction); if it ever does, nobody publishes.
        raise DomainError(
            _("The count does not match: %(b)s ballots for %(p)s electronic voters.")
            % {"b": online_ballots, "p": online_voters}
        )
    paper_voters = Participation.objects.filter(
        poll=poll, channel=Participation.Channel.PAPER
    ).count()
    cast = online_ballots + paper_voters
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for cid, grade, n in (
        Mark.objects.filter(ballot__poll=poll)
        .values_list("candidate_id", "grade")
        .annotate(n=Count("pk"))
        .values_list("candidate_id", "grade", "n")
    ):
        counts[(cid, grade)] += n
    for cid, grade, n in PaperTallyLine.objects.filter(poll=poll).values_list(
        "candidate_id", "grade", "count"
    ):
        counts[(cid, grade)] += n
    if poll.kind == Poll.Kind.VOTE:
        items = Candidate.objects.filter(round_id=poll.round_id).values_list("pk", "number")
    else:
        items = Project.objects.filter(round_id=poll.round_id).values_list(
            "candidate_id", "candidate__number"
        )
    lines = [
        rules.Line(
            candidate_id=cid,
            number=number,
            votes=counts[(cid, "")],
            satisfied=counts[(cid, Mark.Grade.SATISFIED)],
            basic=counts[(cid, Mark.Grade.BASIC)],
            not_satisfied=counts[(cid, Mark.Grade.NOT_SATISFIED)],
        )
        for cid, number in items
    ]
    if poll.kind == Poll.Kind.VOTE:
        result, note = rules.count_vote(poll, lines, cast)
    else:
        result, note = rules.count_rating(poll, lines, cast)
    if paper_voters and poll.paper_cast != paper_voters:
        note = " ".join(
            [
                note,
                _("The paper tally of %(n)s paper ballots is not entered yet.")
                % {"n": paper_voters},
            ]
        ).strip()
    ResultLine.objects.filter(poll=poll).delete()
    ResultLine.objects.bulk_create(
        ResultLine(
            poll=poll,
            candidate_id=ln.candidate_id,
            rank=ln.rank,
            votes=ln.votes,
            satisfied=ln.satisfied,
            basic=ln.basic,
            not_satisfied=ln.not_satisfied,
            outcome=ln.outcome,
        )
        for ln in result
    )
    poll.ballots_cast = cast
    poll.quorum_met = rules.quorum_met(poll, cast)
    poll.result_note = note


BALLOT_TABLES = (Mark._meta.db_table, Ballot._meta.db_table, Participation._meta.db_table)


def _rewrite_ballot_tables() -> None:
    """PostgreSQL: write the three tables afresh, in this one transaction. Their rows are copied
    to temporary tables, the tables TRUNCATEd (each gets a new, empty data file and new index
    files; the old files, with every row version written during the vote and its transaction
    id, are unlinked when this commits, whatever other transactions' snapshots) and filled
    again: ballots and marks in a random order (`gen_random_uuid()`, from a strong source), the
    participations in roster order. Afterwards every row of the three tables has this
    transaction's id and a position that says nothing; no dead tuple is left in any page for
    pageinspect to read (a VACUUM, even FULL, keeps row versions that an old snapshot anywhere
    in the cluster might still see). Every poll's rows are rewritten, not only this one's: a
    TRUNCATE is of the whole table; the ballots of other open polls wait for it (it takes the
    tables' exclusive lock), measured in docs/architecture.md."""
    mark, ballot, participation = BALLOT_TABLES
    with connection.cursor() as cursor:
        # The tables in the order a ballot writes them (participation, ballot, mark), so that a
        # ballot of another open poll half-way through its inserts finishes first instead of
        # deadlocking with the close.
        cursor.execute(f"LOCK TABLE {participation}, {ballot}, {mark} IN ACCESS EXCLUSIVE MODE")
        for table in BALLOT_TABLES:
            cursor.execute(f"CREATE TEMP TABLE keep_{table} ON COMMIT DROP AS TABLE {table}")
        # Django's foreign keys are checked at commit; a TRUNCATE refuses while such checks are
        # pending (rows written earlier in this transaction): run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {mark}, {ballot}, {participation}")
        cursor.execute(
            f"INSERT INTO {ballot} SELECT * FROM keep_{ballot} ORDER BY gen_random_uuid()"
        )
        cursor.execute(f"INSERT INTO {mark} SELECT * FROM keep_{mark} ORDER BY gen_random_uuid()")
        cursor.execute(
            f"INSERT INTO {participation} SELECT * FROM keep_{participation} "
            f"ORDER BY poll_id, person_id"
        )
        for table in BALLOT_TABLES:
            cursor.execute(f"DROP TABLE keep_{table}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again


def _reshuffle(poll: Poll) -> None:
    """Rewrite the poll's ballots, marks and participations in a random order, in this one
    transaction: afterwards their physical order (ctid) and transaction ids (xmin) tell nothing
    of the order in which they were written during the vote. PostgreSQL: the whole tables, in
    fresh files (`_rewrite_ballot_tables`); elsewhere (SQLite, development) row by row."""
    if connection.vendor == "postgresql":
        _rewrite_ballot_tables()
        return
    ballots = list(Ballot.objects.filter(poll=poll).values_list("id", "receipt_hash"))
    marks = list(
        Mark.objects.filter(ballot__poll=poll).values_list(
            "id", "ballot_id", "candidate_id", "grade"
        )
    )
    people = list(Participation.objects.filter(poll=poll).values_list("id", "person_id", "channel"))
    Mark.objects.filter(ballot__poll=poll).delete()
    Ballot.objects.filter(poll=poll).delete()
    Participation.objects.filter(poll=poll).delete()
    _shuffle(ballots)
    _shuffle(marks)
    people.sort(key=lambda p: p[1])  # by person: the order of the roster, not of the voting
    Ballot.objects.bulk_create(
        (Ballot(id=i, poll=poll, receipt_hash=h) for i, h in ballots), batch_size=2000
    )
    Mark.objects.bulk_create(
        (Mark(id=i, ballot_id=b, candidate_id=c, grade=g) for i, b, c, g in marks),
        batch_size=5000,
    )
    Participation.objects.bulk_create(
        (Participation(id=i, poll=poll, person_id=p, channel=ch) for i, p, ch in people),
        batch_size=2000,
    )


def poll_close(*, poll: Poll, by) -> Poll:
    """Close voting and count. Waits for ballots in flight (they hold a share lock on the poll);
    any ballot after this sees the poll closed and is refused."""
    _require_staff_of(by, poll.round)
    with transaction.atomic():
        # The ballot lock first: ballots in flight finish (their inserts check the poll row's
        # key, which a row lock taken first would block: a deadlock), later ones wait.
        _lock_exclusive_for_close(poll.pk)
        locked = _lock(poll)
        if not locked.can_close:
            raise DomainError(_("Only an open poll can be closed."))
        locked.closed_at = timezone.now()
        _reshuffle(locked)
        _count(locked)
        _transition(locked, Poll.Status.CLOSED, by)
        locked.save()
    return locked


def poll_publish(*, poll: Poll, by, today: dt.date | None = None) -> Poll:
    """Publish the counted result. For the vote, each chosen project gets its implementation
    record (unit, target, funds from the candidate; a plan staff complete)."""
    _require_staff_of(by, poll.round)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(poll)
        if not locked.can_publish:
            raise DomainError(_("Only a closed and counted poll can be published."))
        paper = Participation.objects.filter(
            poll=locked, channel=Participation.Channel.PAPER
        ).count()
        if paper and locked.paper_cast != paper:
            raise DomainError(_("Enter the paper tally before publishing."))
        if locked.kind == Poll.Kind.VOTE:
            year_end = dt.date(locked.round.year, 12, 31)
            chosen = Candidate.objects.filter(
                pk__in=ResultLine.objects.filter(
                    poll=locked, outcome=ResultLine.Outcome.CHOSEN
                ).values("candidate_id")
            ).exclude(project__isnull=False)
            Project.objects.bulk_create(
                Project(
                    round_id=locked.round_id,
                    candidate=c,
                    title=c.title,
                    unit_id=c.unit_id,
                    target=c.target,
                    funds=c.funds,
                    plan=c.timeline,
                    start_date=today,
                    end_date=max(year_end, today),
                )
                for c in chosen
            )
        locked.published_at = timezone.now()
        _transition(locked, Poll.Status.PUBLISHED, by)
        locked.save()
    return locked


# --- one-time ballot links ---------------------------------------------------------------------


def passes_issue(
    *, poll: Poll, by, persons: Iterable[Person] | None = None
) -> list[tuple[Person, str]]:
    """Make a one-time ballot link for each serving deputy (or the ones given), replacing any
    earlier link of theirs. The tokens are returned once, to be printed; only hashes are kept."""
    _require_staff_of(by, poll.round)
    if not poll.issues_links:
        raise DomainError(_("Ballot links are made before or during the vote only."))
    voters = serving_deputies(poll.round.term_id).distinct().order_by("name", "pk")
    if persons is not None:
        voters = voters.filter(pk__in=[p.pk for p in persons])
    issued = [(p, secrets.token_urlsafe(18)) for p in voters]
    with transaction.atomic():
        BallotPass.objects.filter(poll=poll, person__in=[p for p, _t in issued]).delete()
        BallotPass.objects.bulk_create(
            (BallotPass(poll=poll, person=p, token_hash=hash_token(t)) for p, t in issued),
            batch_size=2000,
        )
    return issued


def pass_resolve(token: str) -> BallotPass:
    """The ballot link behind a token, or a DomainError. It also says whether its deputy has
    voted (`voted`) and still serves in the poll's term (`serving`).

    The hall opens a thousand of these in a minute: one hand-written query for the link, the
    deputy's name and both facts (the ORM spent more time composing it than the database did
    answering it), then the poll with its round."""
    found = next(
        iter(
            BallotPass.objects.raw(
                f"SELECT bp.id, bp.poll_id, bp.person_id, bp.token_hash, pe.name AS person_name, "
                f"EXISTS (SELECT 1 FROM {Participation._meta.db_table} pa "
                f"WHERE pa.poll_id = bp.poll_id AND pa.person_id = bp.person_id) AS voted, "
                f"EXISTS (SELECT 1 FROM {Mandate._meta.db_table} m "
                f"JOIN {Round._meta.db_table} r ON r.term_id = m.term_id "
                f"JOIN {Poll._meta.db_table} po ON po.round_id = r.id "
                f"WHERE po.id = bp.poll_id AND m.person_id = bp.person_id AND m.status = %s) "
                f"AS serving "
                f"FROM {BallotPass._meta.db_table} bp "
                f"JOIN {Person._meta.db_table} pe ON pe.id = bp.person_id "
                f"WHERE bp.token_hash = %s",
                [Mandate.Status.SERVING, hash_token(token)],
            )
        ),
        None,
    )
    if found is None:
        raise DomainError(_("This ballot link is not valid. Ask the staff for a new one."))
    found.voted, found.serving = bool(found.voted), bool(found.serving)
    # The ballot needs the deputy's id and name only.
    found.person = Person(pk=found.person_id, name=found.person_name)
    found.poll = Poll.objects.select_related("round").get(pk=found.poll_id)
    return found


# --- implementation ----------------------------------------------------------------------------


def _project_change(project: Project, action: str, by, reason: str = "", *, to: str = "") -> None:
    ProjectChange.objects.create(
        project=project,
        action=action,
        from_status=project.state,
        to_status=to or project.state,
        by=by,
        reason=reason,
    )


def supervision_link(*, project: Project, activity, by) -> Supervision:
    """Record that a deputies' supervision activity was held on a project. The project and the
    activity both lie in the writer's region."""
    from stations.models import Activity

    _require_staff_of(by, project.round)
    access.require_in_scope(by, activity)
    if activity.kind != Activity.Kind.LIVELIHOOD:
        raise DomainError(_("Link an activity of the type livelihood-project supervision."))
    supervision, _created = Supervision.objects.get_or_create(project=project, activity=activity)
    return supervision


def supervision_unlink(*, supervision: Supervision, by) -> None:
    """Take a supervision activity off a project (linked by mistake): staff of its region."""
    stored = _stored(Supervision, supervision, by)
    _require_staff_of(by, stored.project.round)
    stored.delete()


def project_save_plan(*, project: Project, by, reason: str = "") -> Project:
    """Staff complete or change a chosen project's plan, dates, unit and schedule, while it is
    under way; the change is recorded. The unit lies in the writer's region."""
    stored = _stored(Project, project, by)
    if stored is None:
        raise DomainError(_("Projects come from a published vote."))
    _require_staff_of(by, stored.round)
    _require_unit(by, project.unit_id)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=stored.pk)
        if not locked.plan_editable:
            raise DomainError(_("The project is complete: its plan no longer changes."))
        # What the vote decided and what the unit reported stay as they are.
        project.round_id, project.candidate_id = locked.round_id, locked.candidate_id
        project.completed_on = locked.completed_on
        _clean(project)
        project.save()
        _project_change(project, ProjectChange.Action.PLAN, by, reason)
    return project


def milestone_save(*, milestone: Milestone, by) -> Milestone:
    """Staff add or change a milestone of a project under way (its date and title; marking it
    done is `milestone_done`)."""
    project = Project.objects.visible_to(by).filter(pk=milestone.project_id).first()
    if project is None or not access.is_committee_staff(by):
        raise NotAllowed(_("This is outside your region."))
    if milestone.pk:
        stored = Milestone.objects.filter(pk=milestone.pk, project=project).first()
        if stored is None:
            raise NotAllowed(_("This is outside your region."))
        milestone.done_on = stored.done_on
    if not project.plan_editable:
        raise DomainError(_("The project is complete: its plan no longer changes."))
    _clean(milestone)
    milestone.save()
    return milestone


def milestone_delete(*, milestone: Milestone, by) -> None:
    project = Project.objects.visible_to(by).filter(pk=milestone.project_id).first()
    if project is None or not access.is_committee_staff(by):
        raise NotAllowed(_("This is outside your region."))
    if not project.plan_editable or milestone.done_on:
        raise DomainError(_("A milestone done, or of a completed project, stays."))
    milestone.delete()


def may_mark_on(user, project: Project) -> bool:
    """Who marks a project's milestones done: its unit's staff, or committee staff of its
    region (the actor half of `may_mark_milestone`, asked once per page)."""
    from anping.accounts.models import User

    if access.is_committee_staff(user):
        return Project.objects.visible_to(user).filter(pk=project.pk).exists()
    return access.role_of(user) == User.Role.UNIT_STAFF and user.organisation_id == project.unit_id


def may_mark_milestone(user, milestone: Milestone) -> bool:
    """The project's unit or committee staff of its region, while the milestone is open."""
    return milestone.can_mark_done and may_mark_on(user, milestone.project)


def milestone_done(*, milestone: Milestone, by, day: dt.date | None = None) -> Milestone:
    """The unit (or staff) mark a milestone done, once; the step is recorded on the project."""
    day = day or timezone.localdate()
    with transaction.atomic():
        locked = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("project")
            .get(pk=milestone.pk)
        )
        if not may_mark_milestone(by, locked):
            if not locked.can_mark_done:
                raise DomainError(_("This milestone is already done."))
            raise NotAllowed(_("Only the project's unit or committee staff may do this."))
        locked.done_on = day
        locked.save(update_fields=["done_on"])
        _project_change(locked.project, ProjectChange.Action.MILESTONE, by, locked.title)
    return locked


def may_report(user, project: Project) -> bool:
    """The responsible unit's staff report on a project while it is under way."""
    from anping.accounts.models import User

    return (
        access.role_of(user) == User.Role.UNIT_STAFF
        and user.organisation_id == project.unit_id
        and project.plan_editable
    )


def progress_report_file(
    *,
    project: Project,
    by,
    percent: int,
    text: str,
    reported_on: dt.date | None = None,
    photos: Sequence = (),
) -> ProgressReport:
    """The unit carrying out the project reports how far it has come; 100% completes it."""
    from anping.accounts.models import User

    if access.role_of(by) != User.Role.UNIT_STAFF or by.organisation_id != project.unit_id:
        raise NotAllowed(_("Only the responsible unit's staff may report on this project."))
    if not Poll.objects.filter(
        round_id=project.round_id, kind=Poll.Kind.VOTE, status=Poll.Status.PUBLISHED
    ).exists():
        raise DomainError(_("The project is not chosen yet."))
    if not 0 <= percent <= 100:
        raise DomainError(_("The percentage must be between 0 and 100."))
    if not text.strip():
        raise DomainError(_("Describe the progress."))
    checked = []
    for photo in photos:
        checked.append((photo, _validate_photo(photo)))
    reported_on = reported_on or timezone.localdate()
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if not locked.plan_editable:
            raise DomainError(_("The project is complete; no more reports are due."))
        report = ProgressReport.objects.create(
            project=locked, percent=percent, text=text.strip(), reported_on=reported_on, filed_by=by
        )
        for photo, content_type in checked:
            ProgressPhoto.objects.create(report=report, image=photo, content_type=content_type)
        if percent == 100:
            _project_change(locked, ProjectChange.Action.COMPLETED, by, to=Project.State.COMPLETED)
            locked.completed_on = reported_on
            locked.save(update_fields=["completed_on"])
    return report


def _validate_photo(photo) -> str:
    """A photo's real type, read from its content by the shared upload check (a program renamed
    .jpg is refused); returns the content type to serve it with."""
    from anping.uploads import IMAGE_KINDS, validate_upload

    try:
        return validate_upload(photo, allowed=IMAGE_KINDS).content_type
    except ValidationError as exc:
        raise DomainError(exc.messages[0]) from None
