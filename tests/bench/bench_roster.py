"""The roster: importing a county's workbook against a hand-written bulk_create of the same rows,
and the deputy changelist at 100 and at 100,000 deputies."""

from __future__ import annotations

import datetime as dt
import io
import random

import tablib

from tests.bench.run import count_queries, median_time, once

ROWS = 10_000


def _setup():
    from anping.accounts.models import User
    from anping.regions.anyang import load_anyang

    city = load_anyang()
    user, _ = User.objects.get_or_create(
        username="bench-city",
        defaults={"role": User.Role.CITY_STAFF, "region": city, "is_staff": True},
    )
    return city, user


def _rows(n: int) -> list[list]:
    """n workbook rows as a county writes them: a township seat or a county seat each, about
    one person in thirty at two levels, ID numbers on most rows."""
    from anping.regions.models import Region
    from deputies.demo import EXPERTISE, GIVEN, SURNAMES
    from deputies.idnumbers import make_id_number

    rng = random.Random(5)
    townships = list(Region.objects.filter(kind=Region.Kind.TOWNSHIP).select_related("parent"))
    rows = []
    seq = 0
    while len(rows) < n:
        seq += 1
        town = rng.choice(townships)
        male = rng.random() < 0.7
        birth = dt.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        id_number = make_id_number(town.parent.code, birth, seq * 2 + 1, male)
        person = [
            name,
            "男" if male else "女",
            "汉族",
            birth.isoformat(),
            "中共党员",
        ]
        tail = [
            f"{town.parent.name}{town.name}某单位职工",
            "、".join(rng.sample(EXPERTISE, rng.choice((0, 1, 2)))),
            f"139{seq:08d}",
            id_number if rng.random() < 0.9 else "",
        ]
        full = f"{town.parent.name}{town.name}"
        rows.append(person + ["乡镇", "第十八届", "第一选区", full] + tail)
        if rng.random() < 0.03 and len(rows) < n:
            rows.append(person + ["县", "第十七届", f"{town.name}选区", full] + tail)
    return rows


def _wipe():
    from deputies.models import Mandate, Person

    Mandate.objects.all().delete()
    Person.expertise.through.objects.all().delete()
    Person.objects.all().delete()


def _bulk_create_baseline(rows):
    """What a programmer would write by hand for the same rows, knowing they are clean:
    persons, mandates and expertise links in three bulk_creates, lookups in dicts."""
    from anping.regions.models import Region
    from deputies.models import Expertise, Level, Mandate, Person, Term

    regions = {
        f"{r.parent.name}{r.name}": r
        for r in Region.objects.filter(kind="township").select_related("parent")
    }
    terms = {
        (t.congress.level, t.congress.region_id): t for t in Term.objects.select_related("congress")
    }
    expertise = {e.name: e.pk for e in Expertise.objects.all()}
    persons, mandates, by_id = [], [], {}
    for r in rows:
        key = r[12] or (r[0], r[3], r[8])
        person = by_id.get(key)
        if person is None:
            person = by_id[key] = Person(
                name=r[0],
                gender="M" if r[1] == "男" else "F",
                ethnicity=r[2],
                birth_date=dt.date.fromisoformat(r[3]),
                party=r[4],
                employer_post=r[9],
                mobile=r[11],
                id_number=r[12],
            )
            persons.append(person)
            person._expertise = [n for n in r[10].split("、") if n]
        region = regions[r[8]]
        level = Level.TOWNSHIP if r[5] == "乡镇" else Level.COUNTY
        congress_region = region.pk if level == Level.TOWNSHIP else region.parent_id
        mandates.append((person, terms[(level, congress_region)], region, r[7]))
    Person.objects.bulk_create(persons, batch_size=2000)
    Mandate.objects.bulk_create(
        [
            Mandate(person=p, term=t, level=t.congress.level, region=g, electoral_unit=u)
            for p, t, g, u in mandates
        ],
        batch_size=2000,
    )
    through = Person.expertise.through
    through.objects.bulk_create(
        [through(person_id=p.pk, expertise_id=expertise[n]) for p in persons for n in p._expertise],
        batch_size=5000,
    )


def _stock_import(rows):
    """Stock django-import-export on the person columns alone, row by row, as the comparison
    the issue names (it would still need the mandates on top)."""
    from import_export import fields, resources, widgets

    from deputies.models import Person

    class StockPersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        birth_date = fields.Field(
            attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget("%Y-%m-%d")
        )
        employer_post = fields.Field(attribute="employer_post", column_name="工作单位及职务")
        mobile = fields.Field(attribute="mobile", column_name="手机号码")
        id_number = fields.Field(attribute="id_number", column_name="身份证号")

        class Meta:
            model = Person
            fields = ["name", "birth_date", "employer_post", "mobile", "id_number"]
            import_id_fields = ["id_number"]

    headers = ["姓名", "出生日期", "工作单位及职务", "手机号码", "身份证号"]
    data = tablib.Dataset(
        *[[r[0], r[3], r[9], r[11], r[12] or f"X{i}"] for i, r in enumerate(rows)], headers=headers
    )
    result = StockPersonResource().import_data(data, dry_run=False)
    assert not result.has_errors(), result.row_errors()[:1]


def _import(dataset, user):
    from deputies.resources import RosterResource

    result = RosterResource(user=user).import_data(dataset, dry_run=False, user=user)
    assert not result.has_validation_errors() and not result.has_errors(), result.invalid_rows[:3]
    return result


def _terms():
    from anping.regions.models import Region
    from deputies import services
    from deputies.demo import EXPERTISE
    from deputies.models import Expertise

    for town in Region.objects.filter(kind=Region.Kind.TOWNSHIP):
        services.term_get_or_create(level="township", region=town, number=18)
        services.term_get_or_create(level="county", region=town, number=17)
    for name in EXPERTISE:
        Expertise.objects.get_or_create(name=name)


def run(table) -> None:
    from django.test import Client
    from import_export.formats.base_formats import XLSX

    from deputies.models import Mandate, Person
    from deputies.resources import RosterXLSX
    from deputies.roster import HEADERS

    _city, user = _setup()
    _terms()
    rows = _rows(ROWS)
    dataset = tablib.Dataset(*rows, headers=HEADERS)

    baseline = median_time(lambda: _bulk_create_baseline(rows), repeat=3, setup=_wipe)
    imported = median_time(lambda: _import(dataset, user), repeat=3, setup=_wipe)
    persons, mandates = Person.objects.count(), Mandate.objects.count()
    table.ratio(
        f"roster import, {ROWS:,} rows ({persons:,} persons, {mandates:,} mandates)",
        imported,
        baseline,
        within=2,
        note="baseline: hand-written bulk_create of the same rows",
    )
    stock_rows = 1000
    stock = once(lambda: _stock_import(rows[:stock_rows])) * ROWS / stock_rows
    table.ratio(
        f"stock import-export, persons only, {stock_rows:,} rows × {ROWS // stock_rows}",
        stock,
        baseline,
        note="row by row (ModelResource, import_id_fields=id_number), for comparison",
    )
    _wipe()
    _import(dataset, user)
    again = once(lambda: _import(dataset, user))
    table.ratio(
        f"re-import of the same {ROWS:,} rows (no change)",
        again,
        baseline,
        within=2,
        note="every row matched, nothing written",
    )
    assert Person.objects.count() == persons

    content = _county_workbook(rows)
    size = f"{len(content) / 1e6:.1f} MB"
    # Alternately, so that a slow moment of the box weighs on both sides alike.
    ours, raw, stock = [], [], []
    for _ in range(3):
        ours.append(once(lambda: RosterXLSX().create_dataset(content)))
        raw.append(once(lambda: _raw_openpyxl(content)))
        stock.append(once(lambda: XLSX().create_dataset(content)))
    table.ratio(
        f"reading {ROWS:,}-row workbook ({size}, as Excel/WPS save it)",
        min(ours),
        min(raw),
        within=1.2,
        note="baseline: bare openpyxl read_only iteration, values_only",
    )
    table.ratio(
        f"reading {ROWS:,}-row workbook, stock import-export XLSX",
        min(stock),
        min(raw),
        note="for comparison: a cell object per cell, rows appended one by one",
    )

    # The admin's preview of the whole workbook: reading, checking, and a page that lists the
    # first 100 rows and a summary, so its queries are those of a 100-row file.
    client = Client()
    client.force_login(user)
    _wipe()
    small = _county_workbook(rows[:100])
    small_queries = count_queries(lambda: _preview(client, small, 100))
    queries, preview = [], []

    def big_preview():
        queries.append(count_queries(lambda: _preview(client, content, ROWS)))

    preview.append(once(big_preview))
    table.add(
        f"import preview queries at {ROWS:,} rows",
        queries[0],
        small_queries,
        unit="queries",
        target="= at 100",
        ok=queries[0] == small_queries,
    )
    table.ratio(
        f"import preview of {ROWS:,} rows in the admin (upload to page)",
        preview[0],
        min(ours),
        note="baseline: reading the workbook alone",
    )

    # The changelist, at 100 and at 100,000 deputies (mandates, demo roster).

    def changelist():
        response = client.get("/admin/deputies/person/")
        assert response.status_code == 200

    _seed(100)
    small_queries = count_queries(changelist)
    small_time = median_time(changelist, repeat=5)
    _seed(100_000)
    big_queries = count_queries(changelist)
    big_time = median_time(changelist, repeat=5)
    n = Person.objects.count()
    table.add(
        f"deputy changelist queries at 100,000 mandates ({n:,} persons)",
        big_queries,
        small_queries,
        unit="queries",
        target="= at 100",
        ok=big_queries == small_queries,
    )
    table.ratio(
        "deputy changelist median time at 100,000 mandates",
        big_time,
        small_time,
        note="baseline: the same page at 100 mandates",
    )


def _county_workbook(rows) -> bytes:
    """The rows as Excel or WPS save a county's sheet: shared strings, birth dates as date
    cells (openpyxl itself writes inline strings, which read several times slower)."""
    import xlsxwriter

    from deputies.roster import HEADERS

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("代表名册")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADERS)
    for i, r in enumerate(rows, start=1):
        sheet.write_row(i, 0, r)
        sheet.write_datetime(i, 3, dt.datetime.fromisoformat(r[3]), date)
    book.close()
    return out.getvalue()


def _raw_openpyxl(content: bytes) -> list:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    return rows


def _preview(client, content: bytes, n: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/admin/deputies/person/import/",
        {"import_file": SimpleUploadedFile("名册.xlsx", content), "format": "0", "resource": "0"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'name="confirm"' in body, body[-2000:]
    assert (f"共 {n} 行" in body) is (n > 100)


def _seed(deputies: int) -> None:
    import sys

    from anping.accounts.models import User
    from anping.web import demo as web_demo
    from deputies import demo

    _wipe()
    User.objects.filter(role=User.Role.DEPUTY).delete()
    ctx = web_demo.DemoContext(rng=random.Random(1), stdout=sys.stdout, deputies=deputies)
    web_demo.seed(ctx)
    demo.seed(ctx)
    print(flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in a running database: without them the
        # planner guesses and the figure measures the guess.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
