"""The current year to date: a steadier, smaller year of work month by month up to today, so
that the month and year pages open on records rather than on an empty page (2024 stays the
year of the report, with its figures as they were).

It has its own random source, seeded by the year: the 2024 records and the demo data of the
apps that run after this one come out exactly as before."""

from __future__ import annotations

import calendar
import datetime as dt
import random

from django.utils import timezone

from stations.models import Activity, Participation

from .activities import Book
from .data import YEAR
from .setup import Stations
from .world import World

SUBJECTS = [
    "营商环境",
    "乡村振兴",
    "老旧小区改造",
    "生态环境保护",
    "安全生产",
    "养老服务",
    "农田水利",
]
THEMES = ["学习贯彻全国人代会精神", "我为强市建设献一策", "法治宣传进社区"]


def _month(year: int, month: int, today: dt.date) -> tuple[dt.date, dt.date, float]:
    """The month's first day, its last day up to today, and the share of it already passed."""
    first = dt.date(year, month, 1)
    days = calendar.monthrange(year, month)[1]
    last = min(first.replace(day=days), today)
    return first, last, ((last - first).days + 1) / days


def seed_current_year(w: World, groups, plan, st: Stations, today: dt.date | None = None) -> int:
    """Activities of every month from January to today. Returns how many."""
    today = today or timezone.localdate()
    year = today.year
    if year <= YEAR:
        return 0
    rng = random.Random(year)
    book = Book(w)
    city, counties, townships = w.city, w.counties, w.townships
    all_townships = [t for c in counties for t in townships[c.pk]]

    def sample(pool, k):
        return rng.sample(pool, min(k, len(pool)))

    for month in range(1, today.month + 1):
        first, last, share = _month(year, month, today)

        def day(first=first, last=last):
            return first + dt.timedelta(days=rng.randint(0, (last - first).days))

        def times(n, share=share):  # a month only begun has its share of the work
            return range(max(1, round(n * share)))

        for _ in times(3):
            kind, verb = rng.choice(
                [(Activity.Kind.INSPECTION, "视察"), (Activity.Kind.SURVEY, "调研")]
            )
            subject = rng.choice(SUBJECTS)
            book.add(kind, f"市人大代表{verb}{subject}", day(), city, sample(w.city_level, 10))
        for _ in times(4):
            county = rng.choice(counties)
            kind, verb = rng.choice(
                [(Activity.Kind.INSPECTION, "视察"), (Activity.Kind.SURVEY, "调研")]
            )
            book.add(
                kind,
                f"{county.name}人大代表{verb}{rng.choice(SUBJECTS)}",
                day(),
                county,
                sample(w.by_county.get(county.pk, []), 10),
            )
        for _ in times(2):
            gi = rng.randrange(len(groups))
            if plan[gi]:
                book.add(
                    Activity.Kind.SURVEY,
                    f"{groups[gi].name}专题调研",
                    day(),
                    groups[gi].region,
                    plan[gi],
                    group=groups[gi],
                )
        for _ in times(5):
            t = rng.choice(all_townships)
            pool = w.by_township.get(t.pk) or w.by_county.get(t.parent_id, [])
            book.add(
                Activity.Kind.RECEPTION,
                f"{t.name}人大代表联络站接待选民日",
                day(),
                t,
                sample(pool, rng.randint(5, 10)),
                station=st.regional[t.pk],
            )
        for _ in times(2):
            t = rng.choice(all_townships)
            pool = w.by_township.get(t.pk) or w.by_county.get(t.parent_id, [])
            book.add(
                Activity.Kind.PUBLICITY,
                f"“{rng.choice(THEMES)}”主题宣讲（{t.name}）",
                day(),
                t,
                sample(pool, rng.randint(3, 6)),
                station=st.regional[t.pk],
            )
        if month >= 3:
            book.add(
                Activity.Kind.LIVELIHOOD,
                f"{year}年民生实事项目落实情况监督（{month}月）",
                day(),
                city,
                sample(w.city_level, 9),
            )
        special = {
            1: (Activity.Kind.BUDGET_REVIEW, f"{year}年预算草案初步审查", "预算工作委员会"),
            4: (Activity.Kind.LEGISLATION, "地方性法规草案征求代表意见会", "法制委员会"),
            7: (Activity.Kind.BUDGET_REVIEW, f"{year - 1}年决算草案审查", "预算工作委员会"),
        }.get(month)
        if special:
            kind, title, body = special
            book.add(kind, title, day(), city, sample(w.city_level, 14), org=w.special[body])
        # The demo deputy is out every month: the first group's work, or a reception.
        if plan and plan[0]:
            book.add(
                Activity.Kind.INSPECTION,
                f"{groups[0].name}{month}月集中视察",
                day(),
                groups[0].region,
                plan[0],
                group=groups[0],
            )
    made = Activity.objects.bulk_create(book.activities, batch_size=1000)
    Participation.objects.bulk_create(
        [
            Participation(activity=a, person_id=p, date=a.date)
            for a, members in zip(made, book.attendees, strict=True)
            for p in members
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return len(made)
