"""Coverage and the duty record at 100,000 activities and 1,000,000 participations, each against
a hand-written SQL query of the same result in the same run (target: within 1.5×).

The data is made in the database (INSERT … SELECT generate_series), so building it takes seconds:
20,000 deputies (each a township mandate, one in ten a county mandate too, one in fifty a city
mandate) in Anyang's 63 townships, 100,000 activities over 2023–2024 and ten participants each.
Persons 17,001 to 20,000 never take part, so coverage is about 85%.
"""

from __future__ import annotations

import statistics

from django.db import connection

from anping.orgs.models import Organisation
from anping.regions.anyang import load_anyang
from anping.regions.models import Region
from deputies import services as deputy_services
from deputies.models import Level
from stations import selectors
from stations.models import Activity, Participation

from .run import count_queries, median_time, once

PERSONS = 20_000
ACTIVE = 17_000  # persons who take part in something
ACTIVITIES = 100_000
PER_ACTIVITY = 10  # → 1,000,000 participations
YEAR = 2024


def _build() -> tuple[Region, int]:
    city = load_anyang()
    committee = Organisation.objects.get_or_create(
        name="安阳市人大常委会", region=city, defaults={"kind": Organisation.Kind.COMMITTEE}
    )[0]
    townships = list(Region.objects.filter(kind=Region.Kind.TOWNSHIP).order_by("code"))
    township_terms = [
        (deputy_services.term_get_or_create(level=Level.TOWNSHIP, region=t, number=18).pk, t.pk)
        for t in townships
    ]
    county_terms = {
        t.pk: deputy_services.term_get_or_create(level=Level.COUNTY, region=t, number=17).pk
        for t in townships
    }
    city_term = deputy_services.term_get_or_create(level=Level.CITY, region=city, number=15).pk
    n_t = len(townships)
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO deputies_person (name, gender, ethnicity, birth_date, party, education,
                employer_post, sector, mobile, id_number, created_at, updated_at)
            SELECT '代表' || g, 'M', '汉族', date '1960-01-01' + (g %% 12000), '', '', '', '',
                '', '', now(), now()
            FROM generate_series(1, %s) g
            """,
            [PERSONS],
        )
        cur.execute("SELECT min(id) FROM deputies_person")
        first = cur.fetchone()[0]
        cur.execute(
            "CREATE TEMP TABLE bench_t (i int, term_id int, region_id int, county_term int)"
        )
        cur.executemany(
            "INSERT INTO bench_t VALUES (%s, %s, %s, %s)",
            [
                (i, term, region, county_terms[region])
                for i, (term, region) in enumerate(township_terms)
            ],
        )
        mandate = """
            INSERT INTO deputies_mandate (person_id, term_id, level, region_id, electoral_unit,
                status, start_date, end_date, end_reason)
            SELECT p.id, {term}, %s, {region}, '', 'serving', date '2021-11-15', NULL, ''
            FROM deputies_person p JOIN bench_t t ON t.i = (p.id - %s) %% %s
            WHERE {where}
        """
        cur.execute(
            mandate.format(term="t.term_id", region="t.region_id", where="true"),
            [Level.TOWNSHIP, first, n_t],
        )
        cur.execute(
            mandate.format(term="t.county_term", region="t.region_id", where="p.id %% 10 = 0"),
            [Level.COUNTY, first, n_t],
        )
        cur.execute(
            mandate.format(term=str(city_term), region="t.region_id", where="p.id %% 50 = 0"),
            [Level.CITY, first, n_t],
        )
        kinds = [k.value for k in Activity.Kind]
        cur.execute(
            """
            INSERT INTO stations_activity (kind, title, date, region_id, location, committee_id,
                summary, created_at)
            SELECT (%s::text[])[1 + g %% %s], '活动' || g, date '2023-01-01' + (g %% 731),
                t.region_id, '', %s, '', now()
            FROM generate_series(1, %s) g JOIN bench_t t ON t.i = g %% %s
            """,
            [kinds, len(kinds), committee.pk, ACTIVITIES, n_t],
        )
        cur.execute(
            """
            INSERT INTO stations_participation (activity_id, person_id, date)
            SELECT a.id, %s + (a.id * 7919 + k * 104729) %% %s, a.date
            FROM stations_activity a CROSS JOIN generate_series(0, %s) k
            """,
            [first, ACTIVE, PER_ACTIVITY - 1],
        )
        # What autovacuum would have done by the time anyone reads: statistics, and the
        # visibility map that lets the (person, date) probes answer from the index alone.
        cur.execute("VACUUM ANALYZE")
    # A deputy who took part in the year: the one whose duty record we read.
    busiest = (
        Participation.objects.in_year(YEAR)
        .values("person_id")
        .order_by("person_id")
        .first()["person_id"]
    )
    return city, busiest


COVERAGE_SQL = """
WITH m AS (
    SELECT m.person_id, m.level, substr(r.path, %(from)s, %(len)s) AS child,
           EXISTS (SELECT 1 FROM stations_participation p
                   WHERE p.person_id = m.person_id AND p.date >= %(start)s AND p.date < %(end)s)
               AS took
    FROM deputies_mandate m JOIN regions_region r ON r.id = m.region_id
    WHERE m.status = 'serving' AND r.path LIKE %(prefix)s
)
SELECT child, count(DISTINCT person_id), count(DISTINCT person_id) FILTER (WHERE took),
       count(*) FILTER (WHERE level = 'township'),
       count(*) FILTER (WHERE level = 'township' AND took),
       count(*) FILTER (WHERE level = 'county'), count(*) FILTER (WHERE level = 'county' AND took),
       count(*) FILTER (WHERE level = 'city'), count(*) FILTER (WHERE level = 'city' AND took),
       count(*) FILTER (WHERE level = 'provincial'),
       count(*) FILTER (WHERE level = 'provincial' AND took),
       count(*) FILTER (WHERE level = 'national'),
       count(*) FILTER (WHERE level = 'national' AND took)
FROM m GROUP BY child
UNION ALL
SELECT NULL, count(DISTINCT person_id), count(DISTINCT person_id) FILTER (WHERE took),
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0
FROM m
"""

RECORD_SQL = """
SELECT a.id, a.kind, a.title, a.date, r.name, o.name, g.name, s.name,
       count(*) OVER (PARTITION BY a.kind)
FROM stations_participation p
JOIN stations_activity a ON a.id = p.activity_id
JOIN regions_region r ON r.id = a.region_id
LEFT JOIN orgs_organisation o ON o.id = a.committee_id
LEFT JOIN stations_group g ON g.id = a.group_id
LEFT JOIN stations_station s ON s.id = a.station_id
WHERE p.person_id = %(person)s AND p.date >= %(start)s AND p.date < %(end)s
ORDER BY p.date, p.activity_id
"""


def paired(fn, baseline, repeat: int) -> tuple[float, float]:
    """Medians of `fn` and `baseline` run alternately after a warm-up of both, so that a busy
    machine (or psycopg preparing a statement after its fifth run) weighs on both alike."""
    for _ in range(6):
        fn()
        baseline()
    a, b = [], []
    for _ in range(repeat):
        a.append(once(fn))
        b.append(once(baseline))
    return statistics.median(a), statistics.median(b)


def _sql(sql: str, params: dict) -> list:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def run(table) -> None:
    print("  building 20,000 deputies, 100,000 activities, 1,000,000 participations ...")
    city, busiest = _build()
    start, end = selectors.year_bounds(YEAR)
    params = {
        "from": len(city.path) + 1,
        "len": 6,
        "start": start,
        "end": end,
        "prefix": city.path + "%",
    }

    # Same result both ways (checked here, so the figures compare like with like).
    cov = selectors.coverage(base=city, year=YEAR)
    hand = _sql(COVERAGE_SQL, params)
    total = next(r for r in hand if r[0] is None)
    assert (cov["persons"], cov["persons_active"]) == (total[1], total[2])
    by_child = {r[0]: (r[1], r[2]) for r in hand if r[0] is not None}
    assert {
        (r.region.code if r.region else ""): (r.persons, r.persons_active) for r in cov["rows"]
    } == by_child
    print(f"  coverage {cov['persons_active']:,} of {cov['persons']:,} persons")

    orm, raw = paired(
        lambda: selectors.coverage(base=city, year=YEAR),
        lambda: _sql(COVERAGE_SQL, params),
        repeat=7,
    )
    table.ratio(
        "coverage of a city, 20k deputies (selector vs hand SQL)",
        orm,
        raw,
        within=1.5,
        note=f"{count_queries(lambda: selectors.coverage(base=city, year=YEAR))} queries",
    )

    from deputies.models import Person

    person = Person.objects.get(pk=busiest)
    rec = selectors.record_activities(person=person, year=YEAR)
    hand_rows = _sql(RECORD_SQL, {"person": busiest, "start": start, "end": end})
    assert [a.id for a in rec["activities"]] == [r[0] for r in hand_rows]
    assert sum(k["n"] for k in rec["by_kind"]) == len(hand_rows)
    hp = {"person": busiest, "start": start, "end": end}
    orm, raw = paired(
        lambda: selectors.record_activities(person=person, year=YEAR),
        lambda: _sql(RECORD_SQL, hp),
        repeat=41,
    )
    table.ratio(
        f"duty record: a deputy's {len(hand_rows)} activities of the year (selector vs hand SQL)",
        orm,
        raw,
        within=1.5,
        note="rows and counts by type",
    )

    # The same, without Django building the SQL on each call: the query the selector sends,
    # run as it is. What is left of the gap above is the ORM's constant cost per call.
    sql, sql_params = selectors.record_activity_rows(
        person=person, year=YEAR
    ).query.sql_with_params()
    generated, raw = paired(lambda: _sql(sql, sql_params), lambda: _sql(RECORD_SQL, hp), repeat=41)
    table.ratio(
        "duty record: the selector's own SQL, run directly (vs hand SQL)",
        generated,
        raw,
        within=1.5,
        note="same plan: index range on (person, date)",
    )

    # A deputy who did a great deal (300 activities in the year): the ORM's cost per call is
    # the same, the database's work grows.
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO stations_participation (activity_id, person_id, date)
            SELECT a.id, %s, a.date FROM stations_activity a
            WHERE a.date >= %s AND a.date < %s AND NOT EXISTS (
                SELECT 1 FROM stations_participation p
                WHERE p.activity_id = a.id AND p.person_id = %s)
            ORDER BY a.id LIMIT 300
            """,
            [busiest, start, end, busiest],
        )
    busy = {"person": busiest, "start": start, "end": end}
    n = len(_sql(RECORD_SQL, busy))
    orm, raw = paired(
        lambda: selectors.record_activities(person=person, year=YEAR),
        lambda: _sql(RECORD_SQL, busy),
        repeat=21,
    )
    table.ratio(
        f"duty record: a deputy's {n} activities of the year (selector vs hand SQL)",
        orm,
        raw,
        within=1.5,
    )

    idle = median_time(lambda: list(selectors.idle_deputies(base=city, year=YEAR)[:50]), repeat=5)
    table.add("coverage: first page of deputies who took part in nothing", idle, note="3,000 idle")
