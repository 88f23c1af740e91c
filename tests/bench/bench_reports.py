"""The monthly rollup and the month's workbook at scale, each against a baseline in the same run.

Data, made in the database (INSERT … SELECT generate_series): 270,000 deputies (one seat each at
city, county or township level; one in twenty also holds a county seat), 100,000 activities over
2026 with ten participants each (1,000,000 participations), 100,000 opinions and 100,000
suggestions with feedback on the answered ones. Livelihood projects are a few dozen a year in
reality: the rollup's livelihood queries run on empty tables and are left out of the comparison.

- the rollup of March 2026 (figures.compute, every area but livelihood) against hand-written SQL
  of the same figures (the same grouped aggregates, by county and by city): target within 2×;
- the duty-record sheet of 100,000 rows (streamed with .iterator() into XlsxWriter in
  constant-memory mode) against raw psycopg + raw XlsxWriter writing the same cells with the same
  formats: target within 1.3× and peak memory under 150 MB.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile

from django.db import connection, models

from anping.orgs.models import Organisation
from anping.regions.anyang import load_anyang
from anping.regions.models import Region
from anping.reports import excel, figures, services
from anping.reports.periods import Period, local_midnight
from deputies import services as deputy_services
from deputies.models import Level, Mandate, Person
from proposals.models import Feedback, Suggestion
from stations.models import Activity, Opinion, Participation

from .run import count_queries, median_time, peak_memory_mb

PERSONS = 270_000
ACTIVITIES = 100_000
PER_ACTIVITY = 10
OPINIONS = 100_000
SUGGESTIONS = 100_000
EXPORT_ROWS = 100_000
MONTH = dt.date(2026, 3, 1)
AREAS = ["deputies", "activities", "opinions", "suggestions"]
TABLES = [
    "reports_figure",
    "reports_reporttransition",
    "reports_reportexport",
    "reports_monthlyreport",
    "proposals_feedback",
    "proposals_suggestion",
    "stations_opinion",
    "stations_participation",
    "stations_activity",
    "deputies_mandate",
    "deputies_person",
]


def _default(f: models.Field) -> str:
    if f.null:
        return "NULL"
    if isinstance(f, models.BooleanField):
        return "false"
    if isinstance(f, models.DateTimeField):
        return "now()"
    if isinstance(f, models.DateField):
        return "current_date"
    if isinstance(f, (models.CharField, models.TextField)):
        return "''"
    if isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)):
        return "0"
    raise ValueError(f"no default for {f.model.__name__}.{f.name}")


def insert(model, exprs: dict[str, str], source: str) -> None:
    """INSERT INTO model's table SELECT … FROM source: every concrete field gets its expression
    or a neutral default, so the data follows the apps' current schema."""
    cols, vals = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.attname not in exprs:
            continue
        cols.append(f'"{f.column}"')
        vals.append(exprs.get(f.attname) or exprs.get(f.name) or _default(f))
    sql = f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) SELECT {", ".join(vals)} FROM {source}'
    with connection.cursor() as cur:
        cur.execute(sql)  # no parameters: the SQL is built here, and % is modulo


def _array(ids: list[int]) -> str:
    return "ARRAY[" + ",".join(str(i) for i in ids) + "]::bigint[]"


def _build() -> Region:
    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    city = load_anyang()
    with connection.cursor() as cur:
        # The rows are made consistent by construction: skip the foreign-key triggers while
        # loading millions of them (the benchmark user is the database superuser).
        cur.execute("SET session_replication_role = replica")
    try:
        _fill(city)
    finally:
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")
            cur.execute("ANALYZE")
    return city


def _fill(city: Region) -> None:
    committee = Organisation.objects.get_or_create(
        name="安阳市人大常委会", region=city, defaults={"kind": Organisation.Kind.COMMITTEE}
    )[0]
    counties = list(Region.objects.filter(kind=Region.Kind.COUNTY, parent=city).order_by("code"))
    townships = list(
        Region.objects.filter(kind=Region.Kind.TOWNSHIP, path__startswith=city.path).order_by(
            "code"
        )
    )
    city_term = deputy_services.term_get_or_create(level=Level.CITY, region=city, number=15)
    county_term = deputy_services.term_get_or_create(
        level=Level.COUNTY, region=townships[0], number=17
    )
    township_term = deputy_services.term_get_or_create(
        level=Level.TOWNSHIP, region=townships[0], number=18
    )
    t_ids, c_ids = _array([t.pk for t in townships]), _array([c.pk for c in counties])
    nt, nc = len(townships), len(counties)

    insert(
        Person,
        {"name": "'代表' || g", "gender": "CASE WHEN g % 3 = 0 THEN 'F' ELSE 'M' END",
         "ethnicity": "'汉族'", "birth_date": "date '1960-01-01' + (g % 12000)"},
        f"generate_series(1, {PERSONS}) g",
    )  # fmt: skip
    # One seat each: 5% city (region: a county), 25% county, 70% township (region: a township).
    level = "CASE WHEN g % 20 = 0 THEN 'city' WHEN g % 20 < 6 THEN 'county' ELSE 'township' END"
    insert(
        Mandate,
        {
            "person_id": "p.id",
            "term_id": f"CASE WHEN g % 20 = 0 THEN {city_term.pk} WHEN g % 20 < 6 THEN "
            f"{county_term.pk} ELSE {township_term.pk} END",
            "level": level,
            "region_id": f"CASE WHEN g % 20 = 0 THEN ({c_ids})[1 + g % {nc}] "
            f"ELSE ({t_ids})[1 + g % {nt}] END",
            "status": "'serving'",
            "start_date": "date '2022-01-01'",
        },
        "(SELECT id, row_number() OVER (ORDER BY id) AS g FROM deputies_person) p",
    )
    # One in twenty township deputies also holds a county seat: persons and mandates differ.
    insert(
        Mandate,
        {"person_id": "m.person_id", "term_id": str(county_term.pk), "level": "'county'",
         "region_id": "m.region_id", "status": "'serving'", "start_date": "date '2022-01-01'"},
        "deputies_mandate m WHERE m.level = 'township' AND m.person_id % 14 = 0",
    )  # fmt: skip
    kinds = [str(k) for k in Activity.Kind]
    insert(
        Activity,
        {
            "kind": f"(ARRAY[{','.join(repr(k) for k in kinds)}])[1 + g % {len(kinds)}]",
            "title": "'活动' || g",
            "date": "date '2026-01-01' + (g % 365)",
            "region_id": f"({t_ids})[1 + g % {nt}]",
            "committee_id": str(committee.pk),
        },
        f"generate_series(1, {ACTIVITIES}) g",
    )
    with connection.cursor() as cur:
        cur.execute("SELECT min(id) FROM deputies_person")
        first_person = cur.fetchone()[0]
        cur.execute("SELECT min(id) FROM stations_activity")
        first_activity = cur.fetchone()[0]
    # Ten distinct participants per activity (a stride through the roster).
    insert(
        Participation,
        {"activity_id": "a.id", "person_id": f"{first_person} + ((g::bigint * 7919) % {PERSONS})",
         "date": "a.date"},
        f"generate_series(1, {ACTIVITIES * PER_ACTIVITY}) g JOIN stations_activity a "
        f"ON a.id = {first_activity} + (g - 1) / {PER_ACTIVITY}",
    )  # fmt: skip
    channels = [str(c) for c in Opinion.Channel]
    insert(
        Opinion,
        {
            "channel": f"(ARRAY[{','.join(repr(c) for c in channels)}])[1 + g % {len(channels)}]",
            "topic": "'business'",
            "summary": "'意见' || g",
            "region_id": f"({t_ids})[1 + g % {nt}]",
            "taken_by_id": f"{first_person} + (g * 31) % {PERSONS}",
            "received_on": "date '2026-01-01' + (g % 365)",
            "status": "CASE WHEN g % 5 < 3 THEN 'solved' ELSE 'recorded' END",
            "closed_on": "CASE WHEN g % 5 < 3 THEN date '2026-01-01' + (g % 365) + 20 END",
        },
        f"generate_series(1, {OPINIONS}) g",
    )
    submitted = "(timestamptz '2026-01-01 09:00+08' + (g % 365) * interval '1 day')"
    insert(
        Suggestion,
        {
            "lead_id": f"{first_person} + (g * 20) % {PERSONS}",
            "term_id": str(city_term.pk),
            "region_id": f"({c_ids})[1 + g % {nc}]",
            "title": "'建议' || g",
            "body": "'内容'",
            "category": "'other'",
            "status": "CASE WHEN g % 10 < 6 THEN 'answered' WHEN g % 10 < 8 THEN 'assigned' "
            "ELSE 'submitted' END",
            "period": "'recess'",
            "created_at": submitted,
            "submitted_at": submitted,
            "registered_at": f"CASE WHEN g % 10 < 8 THEN {submitted} + interval '3 days' END",
            "assigned_at": f"CASE WHEN g % 10 < 8 THEN {submitted} + interval '5 days' END",
            "answered_at": f"CASE WHEN g % 10 < 6 THEN {submitted} + (50 + g % 60) * interval '1 day' END",
            "due_date": f"CASE WHEN g % 10 < 8 THEN ({submitted})::date + 95 END",
            "round": "1",
            "is_key": "g % 200 = 0",
            "key_chosen_at": f"CASE WHEN g % 200 = 0 THEN {submitted} + interval '10 days' END",
        },
        f"generate_series(1, {SUGGESTIONS}) g",
    )  # fmt: skip
    insert(
        Feedback,
        {"suggestion_id": "s.id", "deputy_id": "s.lead_id", "round": "1",
         "verdict": "(ARRAY['satisfied','basic','not_satisfied'])[1 + s.id % 3]",
         "given_at": "s.answered_at + interval '7 days'"},
        "proposals_suggestion s WHERE s.status = 'answered'",
    )  # fmt: skip


# --- the baseline: the same figures in hand-written SQL ------------------------------------


def hand_sql(city: Region, scopes: figures.Scopes, period: Period) -> dict:
    kinds = [str(k) for k in Activity.Kind]
    channels = [str(c) for c in Opinion.Channel]
    p = {
        "first": period.first,
        "last": period.last,
        "start": period.start,
        "stop": period.stop,
        "city": city.path + "%",
        "as_of": period.as_of(),
        "as_of_stop": local_midnight(period.as_of() + dt.timedelta(days=1)),
    }
    # Overdue at the end of the period (or today): still open and past its deadline, or answered
    # after it with its deadline (or an answering unit's, not done by then) before it.
    overdue = """(
        (s.status IN ('assigned', 'sent_back', 'rehandling') AND s.due_date < %(as_of)s)
        OR (s.answered_at >= %(as_of_stop)s AND (s.due_date < %(as_of)s OR EXISTS (
            SELECT 1 FROM proposals_assignment a WHERE a.suggestion_id = s.id
              AND a.role IN ('lead', 'split') AND a.status IN ('open', 'done')
              AND a.due_date < %(as_of)s AND (a.done_at IS NULL OR a.done_at >= %(as_of_stop)s)))))"""
    mandates = """
        WITH m AS (
          SELECT m.person_id, m.level, r.path, m.person_id IN (
            SELECT x.person_id FROM stations_participation x
            WHERE x.date BETWEEN %(first)s AND %(last)s) AS took
          FROM deputies_mandate m JOIN regions_region r ON r.id = m.region_id
          WHERE (m.start_date IS NULL OR m.start_date <= %(last)s)
            AND (m.end_date IS NULL OR m.end_date >= %(last)s) AND r.path LIKE %(city)s)"""
    queries = {
        "deputies": mandates
        + """
            SELECT substr(path, 1, %(len)s), count(*), count(DISTINCT person_id),
                   count(DISTINCT person_id) FILTER (WHERE took)
            FROM m GROUP BY 1""",
        "deputies_by_level": mandates
        + """
            SELECT substr(path, 1, %(len)s), level, count(*), count(DISTINCT person_id),
                   count(DISTINCT person_id) FILTER (WHERE took)
            FROM m GROUP BY 1, 2""",
        "activities": f"""
            SELECT substr(r.path, 1, %(len)s), count(*),
                   {", ".join(f"count(*) FILTER (WHERE a.kind = '{k}')" for k in kinds)}
            FROM stations_activity a JOIN regions_region r ON r.id = a.region_id
            WHERE a.date BETWEEN %(first)s AND %(last)s AND r.path LIKE %(city)s GROUP BY 1""",
        "attendance": """
            SELECT substr(r.path, 1, %(len)s), count(*), count(DISTINCT x.person_id)
            FROM stations_participation x JOIN stations_activity a ON a.id = x.activity_id
            JOIN regions_region r ON r.id = a.region_id
            WHERE x.date BETWEEN %(first)s AND %(last)s AND r.path LIKE %(city)s GROUP BY 1""",
        "opinions": f"""
            SELECT substr(r.path, 1, %(len)s),
              count(*) FILTER (WHERE o.received_on BETWEEN %(first)s AND %(last)s),
              count(*) FILTER (WHERE o.closed_on BETWEEN %(first)s AND %(last)s AND o.status = 'solved'),
              count(*) FILTER (WHERE o.closed_on BETWEEN %(first)s AND %(last)s AND o.status = 'adopted'),
              count(*) FILTER (WHERE o.closed_on BETWEEN %(first)s AND %(last)s
                               AND o.status IN ('adopted', 'not_adopted')),
              {", ".join(f"count(*) FILTER (WHERE o.received_on BETWEEN %(first)s AND %(last)s AND o.channel = '{c}')" for c in channels)}
            FROM stations_opinion o JOIN regions_region r ON r.id = o.region_id
            WHERE (o.received_on BETWEEN %(first)s AND %(last)s OR o.closed_on BETWEEN %(first)s AND %(last)s)
              AND r.path LIKE %(city)s GROUP BY 1""",
        "suggestions": f"""
            SELECT substr(r.path, 1, %(len)s), c.level,
              count(*) FILTER (WHERE s.submitted_at >= %(start)s AND s.submitted_at < %(stop)s),
              count(*) FILTER (WHERE s.registered_at >= %(start)s AND s.registered_at < %(stop)s),
              count(*) FILTER (WHERE s.answered_at >= %(start)s AND s.answered_at < %(stop)s),
              count(*) FILTER (WHERE s.answered_at >= %(start)s AND s.answered_at < %(stop)s
                AND (s.due_date IS NULL OR (s.answered_at AT TIME ZONE 'Asia/Shanghai')::date <= s.due_date)),
              count(*) FILTER (WHERE {overdue}),
              count(*) FILTER (WHERE s.is_key AND s.key_chosen_at >= %(start)s AND s.key_chosen_at < %(stop)s)
            FROM proposals_suggestion s JOIN regions_region r ON r.id = s.region_id
            JOIN deputies_term t ON t.id = s.term_id JOIN deputies_congress c ON c.id = t.congress_id
            WHERE r.path LIKE %(city)s AND (
              (s.submitted_at >= %(start)s AND s.submitted_at < %(stop)s)
              OR (s.registered_at >= %(start)s AND s.registered_at < %(stop)s)
              OR (s.answered_at >= %(start)s AND s.answered_at < %(stop)s)
              OR (s.key_chosen_at >= %(start)s AND s.key_chosen_at < %(stop)s)
              OR {overdue})
            GROUP BY 1, 2""",
        "feedback": """
            SELECT substr(r.path, 1, %(len)s), c.level, count(*),
              count(*) FILTER (WHERE f.verdict = 'satisfied'),
              count(*) FILTER (WHERE f.verdict = 'basic'),
              count(*) FILTER (WHERE f.verdict = 'not_satisfied')
            FROM proposals_feedback f JOIN proposals_suggestion s ON s.id = f.suggestion_id
            JOIN regions_region r ON r.id = s.region_id JOIN deputies_term t ON t.id = s.term_id
            JOIN deputies_congress c ON c.id = t.congress_id
            WHERE f.given_at >= %(start)s AND f.given_at < %(stop)s AND r.path LIKE %(city)s
            GROUP BY 1, 2""",
    }
    out = {}
    with connection.cursor() as cur:
        for name, sql in queries.items():
            for length in scopes.lengths():
                cur.execute(sql, {**p, "len": length})
                out[(name, length)] = cur.fetchall()
    return out


# --- the export baseline: raw psycopg + raw XlsxWriter --------------------------------------


def raw_export(city: Region, period: Period, path: str) -> int:
    import xlsxwriter

    sql = """
        SELECT p.name, CASE p.gender WHEN 'M' THEN '男' WHEN 'F' THEN '女' ELSE '' END, m.level,
               r.name, m.electoral_unit,
               (SELECT count(*) FROM stations_participation x
                 WHERE x.person_id = m.person_id AND x.date BETWEEN %(first)s AND %(last)s),
               (SELECT count(*) FROM stations_participation x
                 WHERE x.person_id = m.person_id AND x.date BETWEEN %(year)s AND %(last)s)
        FROM deputies_mandate m JOIN deputies_person p ON p.id = m.person_id
        JOIN regions_region r ON r.id = m.region_id
        WHERE (m.start_date IS NULL OR m.start_date <= %(last)s)
          AND (m.end_date IS NULL OR m.end_date >= %(last)s) AND r.path LIKE %(city)s
        ORDER BY r.path, m.level, p.name, m.id LIMIT %(limit)s"""
    labels = {str(k): str(v) for k, v in figures.LEVEL_LABELS.items()}
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True,
                              "valign": "vcenter", "align": "center"})  # fmt: skip
    number = book.add_format({"num_format": "#,##0"})
    ws = book.add_worksheet("代表履职明细")
    for c, col in enumerate(excel.DEPUTY_COLUMNS):
        ws.set_column(c, c, col.width)
    ws.set_row(0, 30)
    for c, col in enumerate(excel.DEPUTY_COLUMNS):
        ws.write_string(0, c, col.header, header)
    ws.freeze_panes(1, 0)
    n = 0
    raw = connection.connection  # psycopg's own connection: a server-side cursor, no ORM
    with raw.cursor(name="bench_export") as cur:
        cur.itersize = 5000
        cur.execute(
            sql,
            {"first": period.first, "last": period.last, "year": period.first.replace(month=1),
             "city": city.path + "%", "limit": EXPORT_ROWS},
        )  # fmt: skip
        for n, (name, gender, level, region, unit, month, year) in enumerate(cur, start=1):
            ws.write_string(n, 0, name)
            ws.write_string(n, 1, gender)
            ws.write_string(n, 2, labels.get(level, level))
            ws.write_string(n, 3, region)
            ws.write_string(n, 4, unit)
            ws.write_number(n, 5, month, number)
            ws.write_number(n, 6, year, number)
    book.close()
    return n


def ours_export(city: Region, period: Period, path: str) -> int:
    writer = excel.Writer(path)
    total, rows = excel.deputy_rows(city, period, limit=EXPORT_ROWS)
    n = writer.sheet("代表履职明细", excel.DEPUTY_COLUMNS, rows)
    writer.close()
    return n


def run(table) -> None:
    from django.db import transaction

    city = _build()
    period = Period.month(MONTH)
    scopes = figures.Scopes.load()
    persons = Person.objects.count()
    mandates = Mandate.objects.count()
    note = (
        f"{persons:,} deputies ({mandates:,} seats), {Activity.objects.count():,} activities, "
        f"{Participation.objects.count():,} participations, {Suggestion.objects.count():,} "
        f"suggestions; livelihood left out (a few dozen projects a year)"
    )

    kept = {}

    def ours_rollup():
        kept["ours"] = figures.compute(period, scopes, AREAS)

    def hand_rollup():
        kept["hand"] = hand_sql(city, scopes, period)

    ours = median_time(ours_rollup, repeat=2)
    base = median_time(hand_rollup, repeat=2)
    table.ratio("monthly rollup (10 scopes, 4 areas) vs hand SQL", ours, base, within=2, note=note)

    result, hand = kept["ours"], kept["hand"]
    linzhou = Region.objects.get(code="410581")
    row = {r[0]: r for r in hand[("deputies", scopes.county_len)]}[linzhou.path]
    same = (
        result.get(linzhou.path, "deputies", "mandates") == row[1]
        and result.get(linzhou.path, "deputies", "persons") == row[2]
        and result.get(linzhou.path, "deputies", "active") == row[3]
    )
    table.add(
        "rollup equals the hand SQL (林州市 seats, persons, taking part)",
        int(same), unit="", target="1", ok=same,
        note=f"{row[1]:,} / {row[2]:,} / {row[3]:,}",
    )  # fmt: skip

    with transaction.atomic():
        services.rollup_month(month=MONTH)  # creates the month's reports
        queries = count_queries(lambda: services.rollup_month(month=MONTH))
    table.add("rollup_month queries (compute every area + store)", queries, unit="q",
              note="the same at any size (tests/reports/test_rollup.py)")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        a, b = os.path.join(tmp, "ours.xlsx"), os.path.join(tmp, "raw.xlsx")
        with transaction.atomic():  # a server-side cursor needs a transaction
            # One timed run each (the cells are the same every time; the load dominates).
            t_ours = median_time(lambda: ours_export(city, period, a), repeat=1)
            t_raw = median_time(lambda: raw_export(city, period, b), repeat=1)
            rows = EXPORT_ROWS
            _t, mem_ours = peak_memory_mb(lambda: ours_export(city, period, a))
            _t, mem_raw = peak_memory_mb(lambda: raw_export(city, period, b))
        table.ratio(
            f"Excel duty record, {rows:,} rows vs raw XlsxWriter", t_ours, t_raw, within=1.3,
            note="constant_memory, .iterator(chunk_size=5000)",
        )  # fmt: skip
        table.add(
            "Excel export peak Python memory", mem_ours, mem_raw, unit="MB", target="< 150 MB",
            ok=mem_ours < 150, note="baseline: raw XlsxWriter",
        )  # fmt: skip
    with connection.cursor() as cur:
        # Leave the database as the other benchmark modules expect it.
        cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
