"""The poll's life (prepared → open → closed → published), the ballot, paper ballots and the count.

Secrecy rules kept here: a ballot is written with nothing of its voter; the receipt code is
returned to the caller once and kept only as a hash on the ballot; `ballot_cast` never logs or
raises with the marks (`sensitive_variables` keeps them out of error reports too).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from anping.errors import DomainError, NotAllowed
from deputies.models import Mandate, Person

from .. import rules
from ..models import (
    Ballot,
    Candidate,
    Mark,
    PaperTallyLine,
    Participation,
    Poll,
    Project,
    ResultLine,
    Round,
)
from ._common import (
    _clean,
    _lock,
    _new_receipt,
    _receipt_hash,
    _require_staff_of,
    _shuffle,
    _stored,
    _transition,
    is_voter,
    serving_deputies,
)

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
