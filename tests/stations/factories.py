"""Builders for the stations tests: groups, stations, activities and opinions with sensible
defaults, each taking the few fields a test cares about."""

from __future__ import annotations

import datetime as dt

from anping.orgs.models import Organisation
from anping.regions.models import Region
from stations.models import Activity, Group, Opinion, Participation, Station


def committee_of(region: Region) -> Organisation:
    return Organisation.objects.get_or_create(
        region=region,
        name=f"{region.name}人大常委会",
        defaults={"kind": Organisation.Kind.COMMITTEE},
    )[0]


def make_group(*, region: Region, name: str = "", level: str = "", **fields) -> Group:
    level = level or (Group.Level.CITY if region.kind == Region.Kind.CITY else Group.Level.COUNTY)
    fields.setdefault("field", "电子商务")
    if level != Group.Level.CITY:
        fields.setdefault("category", Group.Category.ECOMMERCE)
    return Group.objects.create(
        region=region,
        level=level,
        name=name or f"{region.name}专业小组{Group.objects.count()}",
        **fields,
    )


def make_station(*, region: Region, kind: str = Station.Kind.REGIONAL, **fields) -> Station:
    fields.setdefault("name", f"{region.name}代表联络站{Station.objects.count()}")
    fields.setdefault("address", f"{region.name}便民服务中心")
    if kind == Station.Kind.PROFESSIONAL:
        fields.setdefault("industry", "豫北航空经济协作区")
    if kind == Station.Kind.DEMO_POINT:
        fields.update(
            does_liaison=True, does_consultation=True, does_supervision=True, does_promotion=True
        )
    return Station.objects.create(region=region, kind=kind, **fields)


def make_activity(
    *,
    region: Region,
    kind: str = Activity.Kind.INSPECTION,
    date: dt.date = dt.date(2024, 5, 20),
    persons=(),
    **fields,
) -> Activity:
    if not any(k in fields for k in ("committee", "group", "station")):
        fields["committee"] = committee_of(region)
    activity = Activity.objects.create(
        region=region, kind=kind, date=date, title=fields.pop("title", "视察重点项目"), **fields
    )
    Participation.objects.bulk_create(
        [Participation(activity=activity, person=p, date=date) for p in persons]
    )
    return activity


def make_opinion(*, taken_by, region: Region, **fields) -> Opinion:
    fields.setdefault("channel", Opinion.Channel.STATION)
    fields.setdefault("topic", Opinion.Topic.URBAN)
    fields.setdefault("summary", "老旧小区楼道照明损坏")
    fields.setdefault("received_on", dt.date(2024, 5, 20))
    return Opinion.objects.create(taken_by=taken_by, region=region, **fields)
