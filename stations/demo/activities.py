"""The 2024 duty activities, built so that the year page gives the report's figures: 318
inspections and surveys, legislation consultation with 65 law and fire-safety deputies, 9
budget reviews with 107 deputies, 163 publicity sessions, 12 department heads reporting at 11
stations to 94 deputies, 32 livelihood supervisions, and the receptions that reach all but a
few of the township deputies (coverage is high, not 100%). One step per kind of work, in the
order the random source is read; the participations, reports and stationings are written in
bulk at the end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deputies.models import Level
from stations.models import Activity, DepartmentReport, Participation, Stationing

from .data import CITY_GROUPS, HEAD_POSTS, SURNAMES, _date
from .setup import Stations
from .world import World


class Book:
    """The activities being built (unsaved), each with its participants' ids."""

    def __init__(self, w: World):
        self.w = w
        self.activities: list[Activity] = []
        self.attendees: list[list[int]] = []

    def add(
        self,
        kind,
        title,
        date,
        region,
        members,
        *,
        org=None,
        group=None,
        station=None,
        m=None,
        place="",
    ) -> int:
        w = self.w
        if org is None and group is None and station is None:
            org = (
                w.committee
                if region.pk == w.city.pk
                else w.county_committee[w.county_of[region.pk].pk]
            )
        self.activities.append(
            Activity(
                kind=kind,
                title=title,
                date=date,
                region=region,
                location=place,
                committee=org,
                group=group,
                station=station,
                measure=m,
                created_by=w.staff,
            )
        )
        self.attendees.append(sorted(set(members)))
        return len(self.activities) - 1


@dataclass
class Made:
    """What the opinions step builds on."""

    activities: list[Activity]  # saved, in the order they were added
    attendees: list[list[int]]
    legislation: list[int]  # indexes into `activities`
    budget: list[int]
    publicity: list[int]
    mine: object  # the demo deputy's county


def inspections_and_surveys(w: World, book: Book, measure, groups, plan):
    """Inspections and surveys: 142 + 176, by the city, the counties and the groups."""
    rng, city, city_level, counties, by_county = (
        w.rng,
        w.city,
        w.city_level,
        w.counties,
        w.by_county,
    )
    add, sample = book.add, w.sample
    subjects = [
        "重点项目建设",
        "营商环境",
        "乡村振兴",
        "生态环境保护",
        "老旧小区改造",
        "中小学建设",
        "文物保护",
        "食品安全",
        "安全生产",
        "农田水利",
        "养老服务",
        "医疗服务",
    ]
    for kind, count, verb in [
        (Activity.Kind.INSPECTION, 142, "视察"),
        (Activity.Kind.SURVEY, 176, "调研"),
    ]:
        for _ in range(count):
            roll = rng.random()
            subject = rng.choice(subjects)
            if roll < 0.3:
                add(
                    kind,
                    f"市人大代表{verb}{subject}",
                    _date(rng),
                    city,
                    sample(city_level, rng.randint(8, 15)),
                    m=measure[2],
                )
            elif roll < 0.55:
                gi = rng.randrange(len(CITY_GROUPS))
                add(
                    kind,
                    f"{groups[gi].name}{verb}{subject}",
                    _date(rng),
                    city,
                    plan[gi],
                    group=groups[gi],
                    m=measure[4],
                )
            else:
                county = rng.choice(counties)
                add(
                    kind,
                    f"{county.name}人大代表{verb}{subject}",
                    _date(rng),
                    county,
                    sample(by_county[county.pk], rng.randint(8, 14)),
                    m=measure[2],
                )


def upper_deputies_and_law_enforcement(w: World, book: Book, measure):
    """The national and provincial deputies living in Anyang inspect and survey together twice;
    six law-enforcement inspections."""
    rng, city, city_level, serving = w.rng, w.city, w.city_level, w.serving
    add, sample = book.add, w.sample
    upper = sorted({p for p, lv, _r in serving if lv in (Level.NATIONAL, Level.PROVINCIAL)})
    add(
        Activity.Kind.INSPECTION,
        "驻安全国和省人大代表集中视察重点项目建设",
        dt.date(2024, 3, 26),
        city,
        sample(upper, int(len(upper) * 0.9)),
        m=measure[2],
    )
    add(
        Activity.Kind.SURVEY,
        "驻安全国和省人大代表专题调研优化营商环境",
        dt.date(2024, 6, 18),
        city,
        sample(upper, int(len(upper) * 0.8)),
        m=measure[2],
    )
    for i in range(6):
        add(
            Activity.Kind.LAW_ENFORCEMENT,
            [
                "《中华人民共和国安全生产法》执法检查",
                "《河南省大气污染防治条例》执法检查",
                "《中华人民共和国食品安全法》执法检查",
                "《安阳市城市市容和环境卫生管理条例》执法检查",
                "《中华人民共和国消防法》执法检查",
                "《中华人民共和国农业法》执法检查",
            ][i],
            _date(rng),
            city,
            sample(city_level, 12),
        )


def legislation(w: World, book: Book, measure) -> list[int]:
    """Legislation: 65 law and fire-safety deputies across research, drafting and review."""
    rng, city, city_level, counties, by_county, special = (
        w.rng,
        w.city,
        w.city_level,
        w.counties,
        w.by_county,
        w.special,
    )
    add = book.add
    with_skill = w.with_skill
    lawyers = with_skill(
        sorted(set(city_level) | set(p for c in counties for p in by_county[c.pk])),
        ["法律", "消防"],
    )
    rng.shuffle(lawyers)
    law65 = lawyers[:65]
    legislation_idx = []
    for i, (title, day) in enumerate(
        [
            ("《安阳市小型生产经营场所消防安全管理条例》立法调研", dt.date(2024, 3, 12)),
            ("《安阳市小型生产经营场所消防安全管理条例》草案起草座谈", dt.date(2024, 4, 17)),
            ("《安阳市小型生产经营场所消防安全管理条例》草案论证会", dt.date(2024, 5, 22)),
            ("《安阳市小型生产经营场所消防安全管理条例》征求代表意见会", dt.date(2024, 6, 19)),
        ]
    ):
        legislation_idx.append(
            add(
                Activity.Kind.LEGISLATION,
                title,
                day,
                city,
                law65[i * 17 : i * 17 + 17] + law65[64:],
                org=special["法制委员会"],
                m=measure[5],
            )
        )

    return legislation_idx


def budget_reviews(w: World, book: Book, measure) -> list[int]:
    """Budget reviews: 9 reviews, 107 deputies with financial expertise first."""
    city, city_level, counties, by_county, special = (
        w.city,
        w.city_level,
        w.counties,
        w.by_county,
        w.special,
    )
    add = book.add
    with_skill = w.with_skill
    money = with_skill(
        city_level + sorted(set(p for c in counties for p in by_county[c.pk])),
        ["财会", "审计", "统计", "国资", "资产评估", "金融"],
    )
    others = [p for p in city_level if p not in set(money)]
    budget107 = (money + others)[:107]
    budget_idx = []
    for i, title in enumerate(
        [
            "2024年预算草案初步审查",
            "2024年计划草案初步审查",
            "2023年决算草案审查",
            "2024年预算调整方案审查",
            "亿元以上政府投资项目审查调研（一）",
            "亿元以上政府投资项目审查调研（二）",
            "政府债务还本付息情况专项审查",
            "国有资产管理情况报告审查",
            "2024年上半年预算执行情况审查",
        ]
    ):
        day = [
            dt.date(2024, 1, 9),
            dt.date(2024, 1, 10),
            dt.date(2024, 6, 12),
            dt.date(2024, 7, 16),
            dt.date(2024, 4, 9),
            dt.date(2024, 5, 14),
            dt.date(2024, 6, 25),
            dt.date(2024, 8, 20),
            dt.date(2024, 8, 27),
        ][i]
        budget_idx.append(
            add(
                Activity.Kind.BUDGET_REVIEW,
                title,
                day,
                city,
                budget107[i * 12 : i * 12 + 14] + budget107[105:],
                org=special["预算工作委员会"],
                m=measure[6],
            )
        )

    return budget_idx


def publicity(w: World, book: Book, measure, st: Stations) -> list[int]:
    """Publicity: 163 sessions in townships."""
    rng, counties, townships, by_township, by_county = (
        w.rng,
        w.counties,
        w.townships,
        w.by_township,
        w.by_county,
    )
    add, sample = book.add, w.sample
    regional = st.regional
    publicity_idx = []
    themes = [
        "践行红旗渠精神，助力建设现代化区域中心强市",
        "我为强市建设做贡献",
        "我为强市建设献一策",
    ]
    all_townships = [t for c in counties for t in townships[c.pk]]
    for i in range(163):
        t = all_townships[i % len(all_townships)]
        pool = by_township.get(t.pk) or by_county[t.parent_id]
        publicity_idx.append(
            add(
                Activity.Kind.PUBLICITY,
                f"“{themes[i % 3]}”主题宣讲（{t.name}）",
                _date(rng, dt.date(2024, 4, 1)),
                t,
                sample(pool, rng.randint(3, 6)),
                station=regional[t.pk],
                m=measure[10],
            )
        )

    return publicity_idx


def station_events(w: World, book: Book, measure, st: Stations) -> list[int]:
    """Station events: 94 deputies in 11 stations heard 12 department heads. Returns each
    event's index with its department."""
    rng, counties, townships, city_level, demo_person, units = (
        w.rng,
        w.counties,
        w.townships,
        w.city_level,
        w.demo_person,
        w.units,
    )
    add = book.add
    stations, regional, stationings = st.all, st.regional, st.stationings
    event_stations = stations[:5] + [regional[townships[c.pk][1].pk] for c in counties[:6]]
    city_pool = [p for p in city_level if p != demo_person.pk]
    rng.shuffle(city_pool)
    heard = [demo_person.pk] + city_pool[:93]
    events_idx = []
    for i in range(12):
        station = event_stations[i % 11]
        chunk = heard[i * 8 : i * 8 + 8] if i < 11 else heard[88:94]
        unit = units[i]
        events_idx.append(
            (
                add(
                    Activity.Kind.STATION_EVENT,
                    f"{unit.short_name or unit.name}负责人向代表报告工作",
                    _date(rng, dt.date(2024, 5, 10)),
                    station.region,
                    chunk,
                    station=station,
                    m=measure[12],
                ),
                unit,
            )
        )
    stationings += [
        Stationing(station=event_stations[i // 9 % 11], person_id=p, start_date=dt.date(2024, 5, 1))
        for i, p in enumerate(heard)
    ]

    return events_idx


def livelihood_supervision(w: World, book: Book, measure):
    """Livelihood supervision: 32 supervisions, 200+ city deputies."""
    rng, city, city_level = w.rng, w.city, w.city_level
    add = book.add
    livelihood_pool = city_level[:]
    rng.shuffle(livelihood_pool)
    for i in range(32):
        add(
            Activity.Kind.LIVELIHOOD,
            f"民生实事项目落实情况监督（第{i + 1}次）",
            _date(rng, dt.date(2024, 3, 15)),
            city,
            livelihood_pool[(i * 7) % 200 : (i * 7) % 200 + 9],
            m=measure[9],
        )


def training_reports_receptions(w: World, book: Book, measure, st: Stations):
    """Training, reports to voters, and the receptions that reach every township deputy."""
    rng, city, city_level, counties, townships, by_county, by_township = (
        w.rng,
        w.city,
        w.city_level,
        w.counties,
        w.townships,
        w.by_county,
        w.by_township,
    )
    add, sample = book.add, w.sample
    regional = st.regional
    all_townships = [t for c in counties for t in townships[c.pk]]
    add(
        Activity.Kind.TRAINING,
        "全过程人民民主基层示范点负责人专题培训（3天）",
        dt.date(2024, 5, 14),
        city,
        sample(city_level, 20),
        m=measure[7],
    )
    for county in counties:
        add(
            Activity.Kind.TRAINING,
            f"{county.name}人大代表履职培训",
            _date(rng),
            county,
            sample(by_county[county.pk], 40),
        )
    for i in range(40):
        county = counties[i % len(counties)]
        add(
            Activity.Kind.REPORT,
            f"{county.name}代表向选民述职（第{i // len(counties) + 1}批）",
            _date(rng, dt.date(2024, 6, 1)),
            county,
            sample(by_county[county.pk], 6),
        )
    for t in all_townships:
        pool = list(by_township.get(t.pk, []))
        rng.shuffle(pool)
        pool = pool[: int(len(pool) * 0.96)]  # a few take part in nothing: coverage is not 100%
        for j in range(0, len(pool), 18):
            add(
                Activity.Kind.RECEPTION,
                f"{t.name}人大代表联络站接待选民日",
                _date(rng),
                t,
                pool[j : j + 18],
                station=regional[t.pk],
                m=measure[2],
            )


def demo_deputys_year(w: World, book: Book, st: Stations):
    """The demo deputy's own year: a reception and a report to voters. Returns their county."""
    city_level, counties, townships, county_of, home, demo_person = (
        w.city_level,
        w.counties,
        w.townships,
        w.county_of,
        w.home,
        w.demo_person,
    )
    add, sample = book.add, w.sample
    regional = st.regional
    mine = county_of.get(home[demo_person.pk].pk, counties[0])
    add(
        Activity.Kind.RECEPTION,
        f"{townships[mine.pk][0].name}人大代表联络站接待选民日",
        dt.date(2024, 7, 10),
        townships[mine.pk][0],
        [demo_person.pk] + sample(city_level, 5),
        station=regional[townships[mine.pk][0].pk],
    )
    add(
        Activity.Kind.REPORT,
        "市人大代表向原选区选民述职",
        dt.date(2024, 9, 12),
        mine,
        [demo_person.pk] + sample(city_level, 3),
    )
    return mine


def write(w: World, book: Book, events_idx, st: Stations) -> list[Activity]:
    """The activities, their participations, the department heads' reports and the
    stationings, in bulk."""
    rng, activities, attendees, stationings = w.rng, book.activities, book.attendees, st.stationings
    activities_made = Activity.objects.bulk_create(activities, batch_size=1000)
    Participation.objects.bulk_create(
        [
            Participation(activity=a, person_id=p, date=a.date)
            for a, members in zip(activities_made, attendees, strict=True)
            for p in members
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    DepartmentReport.objects.bulk_create(
        [
            DepartmentReport(
                activity=activities_made[i],
                unit=unit,
                head_name=rng.choice(SURNAMES) + rng.choice("建国卫东志强海涛明辉"),
                head_post=rng.choice(HEAD_POSTS),
                topic=f"{unit.short_name or unit.name}2024年重点工作推进情况",
            )
            for i, unit in events_idx
        ]
    )
    Stationing.objects.bulk_create(stationings, ignore_conflicts=True)
    return activities_made


def seed_2024(w: World, measure, groups, plan, st: Stations) -> Made:
    book = Book(w)
    inspections_and_surveys(w, book, measure, groups, plan)
    upper_deputies_and_law_enforcement(w, book, measure)
    legislation_idx = legislation(w, book, measure)
    budget_idx = budget_reviews(w, book, measure)
    publicity_idx = publicity(w, book, measure, st)
    events_idx = station_events(w, book, measure, st)
    livelihood_supervision(w, book, measure)
    training_reports_receptions(w, book, measure, st)
    mine = demo_deputys_year(w, book, st)
    made = write(w, book, events_idx, st)
    return Made(made, book.attendees, legislation_idx, budget_idx, publicity_idx, mine)
