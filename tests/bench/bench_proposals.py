"""Suggestions at scale.

- The staff suggestion list (the admin changelist of city staff) and a unit's inbox, at 1,000
  suggestions (the baseline) and at 100,000: the number of queries must not change, and the
  median time should stay within a small factor.
- The duplicate finder on a year of 20,000 suggestions: the time to find the look-alikes of one
  new suggestion, against the same search in a year of 2,000.

Rows are written in bulk (COPY for the 1.3 million character pairs), not through the services:
the workflow is measured by the tests; this measures reading at volume.
"""

from __future__ import annotations

import datetime as dt
import random

from tests.bench.run import count_queries, median_time, once

TOTAL = 100_000
BASELINE = 1_000
YEAR_BIG, YEAR_SMALL = 2025, 2019
FINDER_BIG, FINDER_SMALL = 20_000, 2_000
UNITS = 25

SUBJECTS = [
    "老旧小区加装电梯",
    "城区雨污分流改造",
    "背街小巷环境整治",
    "口袋公园建设",
    "旅游公交专线",
    "农村公路安全设施",
    "通学公交",
    "城区学位供给",
    "职业教育产教融合",
    "乡村教师队伍",
    "基层医疗服务能力",
    "异地就医直接结算",
    "社区居家养老",
    "高标准农田管护",
    "农村饮水安全",
    "农村电商发展",
    "乡村旅游",
    "钢铁企业超低排放",
    "安阳河生态治理",
    "低空经济产业",
    "中小企业数字化转型",
    "优化营商环境",
    "项目资金保障",
    "公共法律服务",
    "九小场所消防安全",
    "甲骨文文化传承",
    "退役军人就业",
    "停车难问题",
    "菜市场改造",
    "公共厕所建设",
]
VERBS = ["加快", "推进", "加强", "完善", "支持", "解决", "提升", "规范"]
PHRASES = [
    "群众反映强烈",
    "投入不足",
    "部门协同不够",
    "规划滞后",
    "配套政策不完善",
    "历史欠账较多",
    "管理机制不健全",
    "资金保障不到位",
    "建议加大财政投入",
    "明确责任单位和完成时限",
    "加强督促检查",
    "及时公开进展",
    "建立长效机制",
    "简化审批流程",
    "推广试点经验",
    "统筹城乡发展",
    "强化要素保障",
    "完善考核办法",
    "引入社会资本",
    "加强队伍建设",
]


def _text(rng: random.Random, places: list[str]) -> tuple[str, str]:
    place = rng.choice(places)
    subject = rng.choice(SUBJECTS)
    title = f"关于{rng.choice(VERBS)}{place}{subject}的建议"
    body = f"{place}{subject}方面，" + "，".join(rng.sample(PHRASES, 6)) + "。"
    return title, body


def _setup(rng: random.Random):
    from anping.accounts.models import User
    from anping.orgs.models import Organisation
    from anping.regions.anyang import load_anyang
    from anping.regions.models import Region
    from deputies.models import Congress, Mandate, Person, Term

    city = load_anyang()
    counties = list(Region.objects.filter(kind=Region.Kind.COUNTY, path__startswith=city.path))
    places = [
        r.name for r in Region.objects.filter(path__startswith=city.path).exclude(kind="city")
    ]
    congress, _ = Congress.objects.get_or_create(level="city", region=city)
    term, _ = Term.objects.get_or_create(
        congress=congress, number=21, defaults={"start_date": dt.date(2019, 1, 8)}
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"建议代表{i:04d}",
            gender="M",
            birth_date=dt.date(1970, 1, 1),
            mobile=f"187{i:08d}",
        )
        for i in range(600)
    )
    mandates = Mandate.objects.bulk_create(
        Mandate(person=p, term=term, level="city", region=counties[i % len(counties)])
        for i, p in enumerate(people)
    )
    units = Organisation.objects.bulk_create(
        Organisation(name=f"基准承办单位{i:02d}", kind=Organisation.Kind.HANDLING_UNIT, region=city)
        for i in range(UNITS)
    )
    staff, _ = User.objects.get_or_create(
        username="bench-pr-city",
        defaults={"role": User.Role.CITY_STAFF, "region": city, "is_staff": True},
    )
    unit_user, _ = User.objects.get_or_create(
        username="bench-pr-unit", defaults={"role": User.Role.UNIT_STAFF, "organisation": units[0]}
    )
    return term, mandates, units, staff, unit_user, places


def _add(rng, term, mandates, units, places, start: int, count: int, year_of) -> None:
    """`count` suggestions numbered from `start`, most of them assigned to a lead unit, a share
    answered; each year's recess series numbered in order."""
    from proposals.models import Assignment, Suggestion

    tz = dt.timezone(dt.timedelta(hours=8))
    statuses = (
        ["closed"] * 5 + ["assigned"] * 3 + ["answered", "registered", "submitted", "rehandling"]
    )
    rows, plans = [], []
    for i in range(start, start + count):
        year = year_of(i)
        m = mandates[i % len(mandates)]
        title, body = _text(rng, places)
        status = rng.choice(statuses)
        submitted = dt.datetime(year, 1 + i % 12, 1 + i % 28, 10, tzinfo=tz)
        s = Suggestion(
            lead_id=m.person_id,
            term=term,
            region_id=m.region_id,
            title=title,
            body=body,
            category="urban",
            status=status,
            period="recess",
            year=year,
            series=f"recess:{term.pk}:{year}",
            number=i + 1,
            number_label=f"市二十一届人大闭会期间{year}年第{i + 1}号",
            submitted_at=submitted,
            created_at=submitted,
            registered_at=None if status == "submitted" else submitted + dt.timedelta(days=3),
        )
        if status not in ("submitted", "registered"):
            start_day = submitted.date() + dt.timedelta(days=8)
            due = start_day + dt.timedelta(days=91)
            is_open = status in ("assigned", "rehandling")
            s.due_date = due if is_open else None
            plans.append((s, units[i % len(units)], start_day, due, is_open))
        rows.append(s)
    Suggestion.objects.bulk_create(rows, batch_size=5000)
    Assignment.objects.bulk_create(
        (
            Assignment(
                suggestion=s,
                unit=unit,
                role="lead",
                round=1,
                start_date=start_day,
                due_date=due,
                due_basis="答复期限：交办日起3个月",
                status="open" if is_open else "done",
            )
            for s, unit, start_day, due, is_open in plans
        ),
        batch_size=5000,
    )


def _index_years(years: list[int]) -> int:
    """The finder's character pairs for the suggestions of `years`, by COPY."""
    from django.db import connection

    from proposals.models import Suggestion
    from proposals.similar import grams

    pairs = 0
    # Read first: the connection is busy while COPY runs, so no query may interleave with it.
    texts = list(
        Suggestion.objects.filter(year__in=years).values_list("pk", "title", "body", "year")
    )
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY proposals_shingle (suggestion_id, gram, year) FROM STDIN"
        ) as copy:
            for pk, title, body, year in texts:
                gs = grams(title, body)
                for g in gs:
                    copy.write_row((pk, g, year))
                pairs += len(gs)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE proposals_suggestion s SET gram_count = c.n FROM (SELECT suggestion_id, COUNT(*) n"
            " FROM proposals_shingle WHERE year = ANY(%s) GROUP BY suggestion_id) c"
            " WHERE s.id = c.suggestion_id",
            [years],
        )
    _analyze()
    return pairs


def _analyze() -> None:
    """Fresh planner statistics and visibility map, as autovacuum would have after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def run(table) -> None:
    from django.conf import settings
    from django.test import Client

    from proposals import similar

    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(20240923)
    term, mandates, units, staff, unit_user, places = _setup(rng)
    staff_client, unit_client = Client(), Client()
    staff_client.force_login(staff)
    unit_client.force_login(unit_user)

    def staff_list():
        response = staff_client.get("/admin/proposals/suggestion/")
        assert response.status_code == 200, response.status_code

    def unit_inbox():
        response = unit_client.get("/suggestions/unit/")
        assert response.status_code == 200, response.status_code

    # Years 2020-2024 hold 20,000 each; the baseline's 1,000 come first.
    def year_of(i):
        return 2020 + (i * 5) // TOTAL

    _add(rng, term, mandates, units, places, 0, BASELINE, year_of)
    _analyze()
    staff_list(), unit_inbox()
    base = {
        "staff_q": count_queries(staff_list),
        "unit_q": count_queries(unit_inbox),
        "staff_t": median_time(staff_list, repeat=7),
        "unit_t": median_time(unit_inbox, repeat=7),
    }
    build = once(
        lambda: _add(rng, term, mandates, units, places, BASELINE, TOTAL - BASELINE, year_of)
    )
    print(f"    built {TOTAL:,} suggestions in {build:.1f} s", flush=True)
    _analyze()
    staff_list(), unit_inbox()
    table.ratio(
        "suggestions: staff list queries at 100,000 (vs 1,000)",
        count_queries(staff_list),
        base["staff_q"],
        unit="",
        within=1.0,
    )
    table.ratio(
        "suggestions: staff list median at 100,000 (vs 1,000)",
        median_time(staff_list, repeat=7),
        base["staff_t"],
        within=5.0,
    )
    table.ratio(
        "suggestions: unit inbox queries at 100,000 (vs 1,000)",
        count_queries(unit_inbox),
        base["unit_q"],
        unit="",
        within=1.0,
    )
    table.ratio(
        "suggestions: unit inbox median at 100,000 (vs 1,000)",
        median_time(unit_inbox, repeat=7),
        base["unit_t"],
        within=5.0,
    )

    # The duplicate finder: a year of 20,000 (2024) and a year of 2,000 (made apart, 2019).
    _add(rng, term, mandates, units, places, TOTAL, FINDER_SMALL, lambda i: YEAR_SMALL)
    pairs = _index_years([2024, YEAR_SMALL])
    print(f"    indexed {pairs:,} character pairs", flush=True)
    probes = [_text(random.Random(i), places) for i in range(30)]

    def finder(year):
        it = iter(probes * 10)

        def one():
            title, body = next(it)
            return similar.find_similar(title=title, body=body, years=[year])

        return one

    found = similar.find_similar(title=probes[0][0], body=probes[0][1], years=[2024])
    table.ratio(
        "suggestions: duplicate finder per new suggestion, year of 20,000 (vs 2,000)",
        median_time(finder(2024), repeat=25),
        median_time(finder(YEAR_SMALL), repeat=25),
        within=4.0,
        note=f"{len(found)} look-alikes for the first probe",
    )
