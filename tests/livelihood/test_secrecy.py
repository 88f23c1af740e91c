"""Secret ballot in storage: read every table of the database after a vote and show that no
ballot can be joined to a deputy — by no column, no key, no order and no transaction id."""

import itertools
import random
import re
import struct

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client

from livelihood import services
from livelihood.models import Ballot, Mark, Participation

from .factories import deputy_account, make_poll, make_round, many_deputies

pytestmark = pytest.mark.django_db(transaction=True)
RECEIPT = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def all_rows():
    """Every row of every table of the database, as {table: (columns, rows)}."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            out[table] = ([c.name for c in cursor.description], cursor.fetchall())
    return out


@pytest.fixture
def voted(term, unit, wenfeng, city_staff):
    """24 deputies vote, each a different set of candidates, in an order unlike the roster's;
    half through their session, half through one-time links. Then the poll is closed."""
    if connection.vendor != "postgresql":
        pytest.skip("physical order and transaction ids are PostgreSQL's")
    round_ = make_round(term=term, unit=unit, candidates=5)
    poll = make_poll(round_=round_, by=city_staff)
    people = many_deputies(term, wenfeng, 24)
    poll = services.poll_open(poll=poll, by=city_staff)
    candidates = list(round_.candidates.order_by("number"))
    subsets = [s for k in range(4) for s in itertools.combinations(candidates, k)][:24]
    truth = dict(zip((p.pk for p in people), subsets, strict=True))
    links = dict(
        (p.pk, token)
        for p, token in services.passes_issue(poll=poll, by=city_staff, persons=people[12:])
    )
    order = people[:]
    random.Random(7).shuffle(order)
    codes = []
    for person in order:
        client = Client()
        data = {"candidate": [c.pk for c in truth[person.pk]]}
        if person.pk in links:
            url = f"/livelihood/b/{links[person.pk]}/"
        else:
            client.force_login(deputy_account(person, f"acct{person.pk}"))
            url = f"/livelihood/polls/{poll.pk}/ballot/"
        response = client.post(url, {**data, "confirm": "1"})
        assert response.status_code == 200, response.content.decode()[:500]
        codes.append(RECEIPT.search(response.content.decode()).group(0))
    with connection.cursor() as cursor:
        # The voting transactions: one per ballot, shared by the ballot and its participation.
        cursor.execute(
            "SELECT DISTINCT xmin::text::bigint FROM livelihood_participation WHERE poll_id = %s",
            [poll.pk],
        )
        xids = {row[0] for row in cursor.fetchall()}
    assert len(xids) == 24
    poll = services.poll_close(poll=poll, by=city_staff)
    poll.voting_xids = xids
    return poll, truth, codes


def test_ballot_and_participation_tables_share_nothing_but_the_poll(voted):
    poll, truth, codes = voted
    ballot_cols = {f.column for f in Ballot._meta.concrete_fields}
    mark_cols = {f.column for f in Mark._meta.concrete_fields}
    participation_cols = {f.column for f in Participation._meta.concrete_fields}
    assert ballot_cols == {"id", "poll_id", "receipt_hash"}
    assert mark_cols == {"id", "ballot_id", "candidate_id", "grade"}
    assert participation_cols == {"id", "poll_id", "person_id", "channel"}
    # No timestamp and no sequence: every key is a random UUID.
    for model in (Ballot, Mark, Participation):
        assert model._meta.pk.get_internal_type() == "UUIDField"
    # Keys: ballots and marks point only at the poll, each other and the candidates.
    with connection.cursor() as cursor:
        for model, allowed in (
            (Ballot, {"livelihood_poll"}),
            (Mark, {"livelihood_ballot", "livelihood_candidate"}),
        ):
            fks = {
                c["foreign_key"][0]
                for c in connection.introspection.get_constraints(
                    cursor, model._meta.db_table
                ).values()
                if c["foreign_key"]
            }
            assert fks == allowed
        # And no table but the marks refers to a ballot.
        for table in connection.introspection.table_names(cursor):
            for c in connection.introspection.get_constraints(cursor, table).values():
                if c["foreign_key"] and c["foreign_key"][0] == "livelihood_ballot":
                    assert table == "livelihood_mark"


def test_no_table_holds_a_ballot_id_or_receipt_anywhere_near_a_deputy(voted):
    poll, truth, codes = voted
    ballot_ids = {str(i) for i in Ballot.objects.filter(poll=poll).values_list("id", flat=True)}
    hashes = set(Ballot.objects.filter(poll=poll).values_list("receipt_hash", flat=True))
    found_ids, found_hashes, found_codes = set(), set(), []
    for table, (columns, rows) in all_rows().items():
        for row in rows:
            for column, value in zip(columns, row, strict=True):
                text = str(value)
                if table == "django_session" and column == "session_data":
                    text = str(SessionStore().decode(value))
                if text in ballot_ids:
                    found_ids.add((table, column))
                if text in hashes:
                    found_hashes.add((table, column))
                found_codes += [
                    (table, column)
                    for code in codes
                    if code in text or code.replace("-", "") in text
                ]
    assert found_ids == {("livelihood_ballot", "id"), ("livelihood_mark", "ballot_id")}
    assert found_hashes == {("livelihood_ballot", "receipt_hash")}
    assert found_codes == []  # the receipt codes themselves are stored nowhere


def test_neither_physical_order_nor_transaction_ids_pair_ballots_with_voters(voted):
    poll, truth, codes = voted
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id, xmin::text FROM livelihood_participation WHERE poll_id = %s ORDER BY ctid",
            [poll.pk],
        )
        voters = cursor.fetchall()
        cursor.execute(
            "SELECT b.id, b.xmin::text, array_agg(m.candidate_id ORDER BY m.candidate_id) "
            "FROM livelihood_ballot b LEFT JOIN livelihood_mark m ON m.ballot_id = b.id "
            "WHERE b.poll_id = %s GROUP BY b.id, b.ctid, b.xmin ORDER BY b.ctid",
            [poll.pk],
        )
        ballots = cursor.fetchall()
    assert len(voters) == len(ballots) == 24
    # Every row was rewritten by the closing transaction: one xmin for all, nothing to pair.
    assert len({x for _p, x in voters} | {x for _b, x, _m in ballots}) == 1

    # Pairing by physical position recovers about one ballot in 24, as chance would.
    def content(marks):
        return tuple(sorted(m for m in marks if m is not None))

    hits = sum(
        content(marks) == tuple(sorted(c.pk for c in truth[person_id]))
        for (person_id, _x), (_b, _x2, marks) in zip(voters, ballots, strict=True)
    )
    assert hits <= 6
    # Participations sit in the roster's order, not the voting order.
    assert [p for p, _x in voters] == sorted(truth)


def raw_pages(cursor, relation: str):
    """Every page of a relation's main fork, as bytes, through pageinspect."""
    cursor.execute(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [relation]
    )
    for n in range(cursor.fetchone()[0]):
        cursor.execute("SELECT get_raw_page(%s, %s)", [relation, n])
        yield n, bytes(cursor.fetchone()[0])


def test_no_page_holds_the_voting_transactions_after_close(voted):
    """What a superuser with pageinspect reads after close: no tuple, live, dead or freed, and
    no leftover byte in any page of the three tables or their indexes carries the transaction id
    of a ballot; the live rows all carry the close's one transaction id."""
    from livelihood.services import BALLOT_TABLES

    poll, _truth, _codes = voted
    xids = poll.voting_xids
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(
            "SELECT GREATEST((SELECT max(id) FROM deputies_person), "
            "(SELECT max(id) FROM livelihood_candidate), (SELECT max(id) FROM livelihood_poll))"
        )
        # The pages hold small integer keys too: a transaction id above them all cannot be
        # mistaken for one (the low four bytes of a bigint key are its value).
        assert min(xids) > cursor.fetchone()[0]
        relations = list(BALLOT_TABLES)
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = ANY(%s::regclass[])",
            [list(BALLOT_TABLES)],
        )
        relations += [row[0] for row in cursor.fetchall()]
        needles = {struct.pack("<I", x & 0xFFFFFFFF): x for x in xids}
        found = []
        for relation in relations:
            for n, page in raw_pages(cursor, relation):
                for offset in range(0, len(page) - 3, 4):
                    if page[offset : offset + 4] in needles:
                        found.append((relation, n, offset))
        assert found == []
        live = set()
        for table in BALLOT_TABLES:
            for n, _page in raw_pages(cursor, table):
                cursor.execute(
                    "SELECT lp_flags, t_xmin::text::bigint FROM heap_page_items(get_raw_page(%s, %s))",
                    [table, n],
                )
                for flags, xmin in cursor.fetchall():
                    assert flags == 1, "only live tuples: no dead, redirected or freed slot"
                    live.add(xmin)
        assert len(live) == 1 and not live & xids
