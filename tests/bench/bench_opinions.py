"""A handling unit's inbox of residents' opinions at 100,000 cases, against a hand-written SQL
query of the same page in the same run (target: within 1.5×).

The data is made in the database (INSERT … SELECT generate_series): 100,000 opinions in Anyang's
townships, each with its case, spread over 40 units (half of all cases waiting for an answer,
half answered); the measured unit has 2,500 cases, all of them waiting. The inbox is what `/opinions/?show=with_unit` runs: the page's
COUNT and its first 30 rows (soonest due first) with the opinion, its region and county, the
deputy and the unit joined.
"""

from __future__ import annotations

import datetime as dt
import statistics

from django.db import connection

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.anyang import load_anyang
from anping.regions.models import Region
from deputies.models import Person
from opinions.models import Case

from .run import count_queries, once

CASES = 100_000
UNITS = 40


def _build() -> User:
    city = load_anyang()
    units = Organisation.objects.bulk_create(
        [
            Organisation(name=f"单位{i}", kind=Organisation.Kind.HANDLING_UNIT, region=city)
            for i in range(UNITS)
        ]
    )
    person = Person.objects.create(name="代表", gender="M", birth_date=dt.date(1970, 1, 1))
    townships = list(Region.objects.filter(kind=Region.Kind.TOWNSHIP).values_list("pk", flat=True))
    first_unit = units[0].pk
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO stations_opinion (channel, topic, summary, details, constituent,
                region_id, taken_by_id, received_on, status, forwarded_to_id, outcome_note,
                created_at)
            SELECT 'online', 'urban', '意见' || g, '', '',
                (%(townships)s::int[])[1 + g %% %(nt)s], %(person)s,
                date '2024-01-01' + (g %% 600), 'forwarded', %(unit0)s + g %% %(units)s, '',
                now()
            FROM generate_series(1, %(n)s) g
            """,
            {
                "townships": townships,
                "nt": len(townships),
                "person": person.pk,
                "unit0": first_unit,
                "units": UNITS,
                "n": CASES,
            },
        )
        cur.execute(
            """
            INSERT INTO opinions_case (opinion_id, code, phone, status, unit_id, dispatched_at,
                due, due_explained, answer, outcome, reopened, satisfaction, by_call, created_at)
            SELECT o.id, 'B' || lpad(o.id::text, 9, '0'), '',
                CASE WHEN o.id %% 2 = 0 THEN 'dispatched' ELSE 'answered' END,
                o.forwarded_to_id, now(), o.received_on + 21, '', '', '', false, '', false, now()
            FROM stations_opinion o
            """,
            {},
        )
        cur.execute("ANALYZE stations_opinion; ANALYZE opinions_case")
    return User.objects.create(
        username="bench-unit", role=User.Role.UNIT_STAFF, organisation_id=first_unit
    )


def _inbox(user):
    qs = (
        Case.objects.visible_to(user)
        .filter(status=Case.Status.DISPATCHED)
        .with_lists()
        .order_by("due", "pk")
    )
    return qs.count(), list(qs[:30])


INBOX_SQL = [
    "SELECT count(*) FROM opinions_case WHERE unit_id = %(unit)s AND status = 'dispatched'",
    """
    SELECT c.*, o.*, r.*, p.*, rp.*, u.*
    FROM opinions_case c
    JOIN stations_opinion o ON o.id = c.opinion_id
    JOIN regions_region r ON r.id = o.region_id
    LEFT JOIN regions_region rp ON rp.id = r.parent_id
    JOIN deputies_person p ON p.id = o.taken_by_id
    LEFT JOIN orgs_organisation u ON u.id = c.unit_id
    WHERE c.unit_id = %(unit)s AND c.status = 'dispatched'
    ORDER BY c.due, c.id
    LIMIT 30
    """,
]


def _sql(unit: int):
    out = []
    with connection.cursor() as cur:
        for sql in INBOX_SQL:
            cur.execute(sql, {"unit": unit})
            out.append(cur.fetchall())
    return out


def run(table) -> None:
    print(f"  building {CASES:,} opinions with their cases over {UNITS} units ...")
    user = _build()
    count, rows = _inbox(user)
    hand = _sql(user.organisation_id)
    assert count == hand[0][0][0] and len(rows) == len(hand[1]) == 30
    print(f"  the unit's inbox: {count:,} waiting")
    for _ in range(5):
        _inbox(user)
        _sql(user.organisation_id)
    a, b = [], []
    for _ in range(9):
        a.append(once(lambda: _inbox(user)))
        b.append(once(lambda: _sql(user.organisation_id)))
    table.ratio(
        f"unit inbox at {CASES:,} opinions (ORM vs hand SQL)",
        statistics.median(a),
        statistics.median(b),
        within=1.5,
        note=f"{count_queries(lambda: _inbox(user))} queries",
    )
