"""The 2024 steps before the activities: the campaign with its 12 measures (all carried out),
the professional groups (15 city groups with 135 deputies; 89 county and township groups in 6
categories with 1,085) and the liaison stations (5 professional ones co-built by city and
county, 4 provincial deputies of other cities stationed at one, a station in every township
and a demonstration point in every county)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from anping.regions.models import Region
from deputies import services as deputy_services
from deputies.models import Level, Person
from stations.models import (
    Campaign,
    Group,
    Measure,
    MeasureChange,
    Membership,
    Station,
    Stationing,
    StationLead,
)

from .data import (
    CAMPAIGN,
    CATEGORY_NAMES,
    CITY_GROUPS,
    MEASURES,
    PROFESSIONAL_STATIONS,
    SURNAMES,
    YEAR,
    _date,
)
from .world import World


def seed_campaign(w: World):
    """The campaign and its 12 measures, all carried out. Returns it and its measures by number."""
    rng, city, staff, special = w.rng, w.city, w.staff, w.special
    campaign = Campaign.objects.create(
        name=CAMPAIGN,
        year=YEAR,
        region=city,
        description="按照“注重全员参与，突出专业优势，抓实规定动作，守正创新出彩”的总体思路，"
        "在“全、专、实、新”上发力。",
    )
    measures = Measure.objects.bulk_create(
        [
            Measure(
                campaign=campaign,
                number=i,
                title=title,
                owner=special[owner],
                deadline=dt.date(2024, 9, 30) if i > 1 else dt.date(2024, 3, 31),
                status=Measure.Status.DONE,
                done_on=dt.date(2024, 3, 20) if i == 1 else _date(rng, dt.date(2024, 5, 1)),
            )
            for i, (title, owner) in enumerate(MEASURES, start=1)
        ]
    )
    # The demo's changes happened in 2024, each on the day its measure was carried out.
    tz = timezone.get_current_timezone()
    MeasureChange.objects.bulk_create(
        [
            MeasureChange(
                measure=m,
                from_status=Measure.Status.PLANNED,
                to_status=Measure.Status.DONE,
                reason="按期落实到位",
                by=staff,
                at=dt.datetime.combine(m.done_on, dt.time(17), tzinfo=tz),
            )
            for m in measures
        ]
    )
    return campaign, {m.number: m for m in measures}


def seed_groups(w: World):
    """15 city groups of 9 (the demo deputy leads the first), 89 lower groups sharing 1,085
    county and township deputies, matched by expertise first. Returns the groups and, for each,
    its members' ids."""
    rng, city, high, demo_person, counties, by_county, townships, expertise = (
        w.rng,
        w.city,
        w.high,
        w.demo_person,
        w.counties,
        w.by_county,
        w.townships,
        w.expertise,
    )
    with_skill = w.with_skill
    groups: list[Group] = []
    plan: list[list[int]] = []
    free = [p for p in high if p != demo_person.pk]
    rng.shuffle(free)
    taken: set[int] = set()
    for i, (name, field, skill_names) in enumerate(CITY_GROUPS):
        fit = [p for p in with_skill(free, skill_names) if p not in taken][:9]
        rest = [p for p in free if p not in taken and p not in fit]
        members = fit + rest[: 9 - len(fit)]
        if i == 0:
            members = [demo_person.pk] + members[:8]
        taken.update(members)
        groups.append(
            Group(
                name=name,
                level=Group.Level.CITY,
                region=city,
                field=field,
                leader_id=members[0] if members else None,  # a small roster runs out
                established_on=dt.date(2024, 4, 10),
            )
        )
        plan.append(members)
    lower_taken: set[int] = set()
    categories = list(CATEGORY_NAMES)
    n_lower = 0
    county_quota = [10] * 8 + [9]  # 89 groups in the nine counties
    members_left = 1085
    for ci, county in enumerate(counties):
        pool = [p for p in by_county.get(county.pk, []) if p not in lower_taken]
        rng.shuffle(pool)
        quota = county_quota[ci]
        for gi in range(quota):
            category = categories[gi % len(categories)]
            label, skill_names = CATEGORY_NAMES[category]
            left_groups = 89 - n_lower
            size = max(1, round(members_left / left_groups))
            fit = [p for p in with_skill(pool, skill_names) if p not in lower_taken][:size]
            rest = [p for p in pool if p not in lower_taken and p not in fit]
            members = fit + rest[: size - len(fit)]
            lower_taken.update(members)
            members_left -= len(members)
            n_lower += 1
            if gi < 3:
                region, level = county, Group.Level.COUNTY
                name = f"{county.name}{label}代表专业小组" + ("" if gi < 6 else f"（{gi}）")
            else:
                region = townships[county.pk][gi % len(townships[county.pk])]
                level = Group.Level.TOWNSHIP
                name = f"{region.name}{label}代表小组"
            groups.append(
                Group(
                    name=name,
                    level=level,
                    region=region,
                    field=label,
                    category=category,
                    leader_id=members[0] if members else None,
                    established_on=dt.date(2024, 4, 20),
                )
            )
            plan.append(members)
    seen_names: set[tuple[int, str]] = set()
    for group in groups:
        while (group.region.pk, group.name) in seen_names:
            group.name = group.name.replace("代表小组", "代表二组", 1)
        seen_names.add((group.region.pk, group.name))
    Group.objects.bulk_create(groups)
    through = Group.expertise.through
    links = []
    for group in groups:
        names = (
            dict((n, s) for n, _f, s in CITY_GROUPS).get(group.name)
            or CATEGORY_NAMES[group.category][1]
        )
        links += [through(group_id=group.pk, expertise_id=expertise[n]) for n in names]
    through.objects.bulk_create(links, ignore_conflicts=True)
    Membership.objects.bulk_create(
        [
            Membership(group=g, person_id=p, joined_on=g.established_on)
            for g, members in zip(groups, plan, strict=True)
            for p in members
        ],
        ignore_conflicts=True,
    )
    return groups, plan


@dataclass
class Stations:
    all: list  # professional stations first (the first five), then regional ones, then points
    regional: dict  # township id → its station
    demo_points: list
    stationings: list  # unsaved: the activities step adds its own and writes them all


def seed_stations(w: World) -> Stations:
    """Professional stations co-built by city and county, a regional station in every township,
    a demonstration point (with trained leads) in every county, and the four visiting
    provincial deputies stationed at the aviation zone's station."""
    rng, counties, townships, committee, county_committee, county_of = (
        w.rng,
        w.counties,
        w.townships,
        w.committee,
        w.county_committee,
        w.county_of,
    )
    stations: list[Station] = []
    for name, code, industry in PROFESSIONAL_STATIONS:
        county = Region.objects.get(code=code)
        stations.append(
            Station(
                name=name,
                kind=Station.Kind.PROFESSIONAL,
                region=county,
                industry=industry,
                address=f"{county.name}{industry}管委会一楼",
                contact_person="联络员",
                contact_phone=f"0372-{rng.randint(2000000, 5999999)}",
                reception_schedule="每月15日 9:00–11:30",
                established_on=dt.date(2024, 4, 28),
            )
        )
    regional: dict[int, Station] = {}
    for county in counties:
        for t in townships[county.pk]:
            station = Station(
                name=f"{t.name}人大代表联络站",
                kind=Station.Kind.REGIONAL,
                region=t,
                address=f"{county.name}{t.name}便民服务中心二楼",
                contact_person="站长",
                contact_phone=f"0372-{rng.randint(2000000, 5999999)}",
                reception_schedule="每月10日、25日 上午",
                established_on=dt.date(2019, 6, 1),
            )
            stations.append(station)
            regional[t.pk] = station
    demo_points = []
    for county in counties:
        t = townships[county.pk][0]
        point = Station(
            name=f"{t.name}全过程人民民主基层示范点",
            kind=Station.Kind.DEMO_POINT,
            region=t,
            address=f"{county.name}{t.name}党群服务中心",
            contact_person="负责人",
            contact_phone=f"0372-{rng.randint(2000000, 5999999)}",
            reception_schedule="每周三全天",
            does_liaison=True,
            does_consultation=True,
            does_supervision=True,
            does_promotion=True,
            established_on=dt.date(2023, 5, 1),
        )
        stations.append(point)
        demo_points.append(point)
    Station.objects.bulk_create(stations)
    builders = Station.co_builders.through
    co = []
    for s in stations[:5]:
        co.append(builders(station_id=s.pk, organisation_id=committee.pk))
        co.append(builders(station_id=s.pk, organisation_id=county_committee[s.region_id].pk))
    for s in stations[5:]:
        co.append(
            builders(
                station_id=s.pk, organisation_id=county_committee[county_of[s.region_id].pk].pk
            )
        )
    builders.objects.bulk_create(co, ignore_conflicts=True)
    StationLead.objects.bulk_create(
        [
            StationLead(
                station=p,
                name=rng.choice(SURNAMES) + rng.choice("建国卫东秀英丽华志强"),
                post="示范点负责人",
                trained_on=dt.date(2024, 5, 14),
                training_days=3,
            )
            for p in demo_points
        ]
    )

    # Four provincial deputies of 鹤壁市 and 濮阳市, stationed at the aviation-zone station.
    hebi = Region.objects.get(code="410600")
    puyang = Region.objects.get(code="410900")
    province = Region.objects.get(code="410000")
    provincial_term = deputy_services.term_get_or_create(
        level=Level.PROVINCIAL, region=province, number=14
    )
    visitors = []
    for name, region, post in [
        ("杨志刚", hebi, "鹤壁市航空物流园区管委会主任"),
        ("宋丽娟", hebi, "鹤壁市某航空器材公司董事长"),
        ("吕建华", puyang, "濮阳市通用航空产业协会会长"),
        ("崔卫东", puyang, "濮阳市工业园区党工委书记"),
    ]:
        person = Person.objects.create(
            name=name,
            gender=Person.Gender.FEMALE if name == "宋丽娟" else Person.Gender.MALE,
            birth_date=dt.date(rng.randint(1966, 1982), rng.randint(1, 12), rng.randint(1, 28)),
            party="中共党员",
            education="大学本科",
            employer_post=post,
            sector="企业负责人",
        )
        deputy_services.mandate_create(
            person=person,
            term=provincial_term,
            region=region,
            electoral_unit=f"{region.name}代表团",
        )
        visitors.append(person)
    aviation = stations[4]
    stationings = [
        Stationing(
            station=aviation,
            person=p,
            start_date=dt.date(2024, 5, 8),
            end_date=dt.date(2024, 12, 31),
            note="跨区域联合建站",
        )
        for p in visitors
    ]
    return Stations(stations, regional, demo_points, stationings)
