"""Reads shared by the portal, the admin views and the reports: the duty record, coverage, the
deputy finder and the year's figures. Every count is computed by the database; each function
runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.regions.models import Region
from deputies.models import Level, Mandate, Person

from .models import (
    Activity,
    Campaign,
    DepartmentReport,
    Group,
    Measure,
    Membership,
    Opinion,
    Participation,
    Station,
    Stationing,
)


def default_year() -> int:
    """The year pages open on: that of the latest activity recorded up to today (early in
    January that is still last year's record), or this year when there is none."""
    today = timezone.localdate()
    latest = (
        Activity.objects.filter(date__lte=today).order_by("-date").values_list("date", flat=True)
    ).first()
    return latest.year if latest else today.year


def year_from(raw) -> int | None:
    """A year asked for in a URL parameter, or None for anything that is not one (letters,
    other scripts' digits, NUL bytes, years no record can hold)."""
    raw = raw or ""
    if not (raw.isascii() and raw.isdigit()) or len(raw) != 4:
        return None
    year = int(raw)
    return year if 2000 <= year <= 2100 else None


def ids_from(values) -> list[int]:
    """The primary keys among posted values; anything else (letters, other scripts' digits) is
    dropped, never an error."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 19]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """[1 January, next 1 January): the half-open range every yearly query uses."""
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


# --- the duty record -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordActivity:
    """One line of the duty record: what the template shows of an activity."""

    id: int
    date: dt.date
    kind: str
    kind_label: str
    title: str
    region: str
    organiser: str


def record_activities(*, person: Person, year: int) -> dict:
    """The activities a deputy took part in during the year, oldest first, with counts by type.
    One query: an index range on participation (person, date), the activity and its organiser
    joined by primary key, and the count of each type as a window over the same rows."""
    rows = list(record_activity_rows(person=person, year=year))
    labels = dict(Activity.Kind.choices)
    activities = [
        RecordActivity(pk, day, kind, labels[kind], title, region, c or g or s or "")
        for pk, day, kind, title, region, c, g, s, _n in rows
    ]
    counts = {r[2]: r[8] for r in rows}
    by_kind = [
        {"kind": kind, "label": labels[kind], "n": n}
        for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {"activities": activities, "total": len(rows), "by_kind": by_kind}


def record_activity_rows(*, person: Person, year: int) -> QuerySet:
    """The rows of `record_activities`: (activity id, date, kind, title, region, committee,
    group, station, count of the activity's kind in the year)."""
    start, end = year_bounds(year)
    return (
        Participation.objects.filter(person=person, date__gte=start, date__lt=end)
        .order_by("date", "activity_id")
        .values_list(
            "activity_id",
            "date",
            "activity__kind",
            "activity__title",
            "activity__region__name",
            "activity__committee__name",
            "activity__group__name",
            "activity__station__name",
        )
        .annotate(kind_n=Window(Count("id"), partition_by=[F("activity__kind")]))
    )


def record_groups(*, person: Person, year: int) -> dict:
    """The professional groups the deputy belongs to (and which they lead). One query."""
    memberships = list(
        Membership.objects.filter(person=person)
        .select_related("group__region")
        .order_by("group__level", "group__name")
    )
    return {
        "memberships": memberships,
        "total": len(memberships),
        "led": [m.group for m in memberships if m.group.leader_id == person.pk],
    }


def record_stations(*, person: Person, year: int) -> dict:
    """The stations the deputy was stationed at during the year. One query."""
    start, end = year_bounds(year)
    stationings = list(
        Stationing.objects.filter(person=person, start_date__lt=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("station__region")
        .order_by("start_date")
    )
    return {"stationings": stationings, "total": len(stationings)}


def record_opinions(*, person: Person, year: int) -> dict:
    """The opinions the deputy took during the year, with counts by outcome and channel.
    Three queries."""
    start, end = year_bounds(year)
    mine = Opinion.objects.filter(taken_by=person, received_on__gte=start, received_on__lt=end)
    opinions = list(mine.select_related("region", "forwarded_to").order_by("received_on", "pk"))
    status_labels = dict(Opinion.Status.choices)
    channel_labels = dict(Opinion.Channel.choices)
    by_status = [
        {"status": r["status"], "label": status_labels[r["status"]], "n": r["n"]}
        for r in mine.values("status").annotate(n=Count("id")).order_by("status")
    ]
    by_channel = [
        {"channel": r["channel"], "label": channel_labels[r["channel"]], "n": r["n"]}
        for r in mine.values("channel").annotate(n=Count("id")).order_by("channel")
    ]
    solved = sum(r["n"] for r in by_status if r["status"] == Opinion.Status.SOLVED)
    return {
        "opinions": opinions,
        "total": len(opinions),
        "solved": solved,
        "by_status": by_status,
        "by_channel": by_channel,
    }


def record_mandates(person: Person) -> list[Mandate]:
    return list(
        Mandate.objects.filter(person=person)
        .select_related("term__congress__region", "region")
        .order_by("level")
    )


# --- coverage ------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    region: Region | None  # None: deputies seated at the base region itself
    label: str
    persons: int = 0
    persons_active: int = 0
    by_level: dict | None = None  # level → (mandates, active)

    @property
    def rate(self) -> float | None:
        return self.persons_active / self.persons if self.persons else None

    @property
    def has_subregions(self) -> bool:
        """Can the page go down into this row's region (townships are the bottom)?"""
        return self.region is not None and self.region.kind != Region.Kind.TOWNSHIP


def took_part_in(year: int, person_ref: str = "person_id") -> Exists:
    """EXISTS a participation of the (outer) person in the year: one probe of the
    (person, date) index per deputy."""
    start, end = year_bounds(year)
    return Exists(
        Participation.objects.filter(person_id=OuterRef(person_ref), date__gte=start, date__lt=end)
    )


def _child_code_length(base: Region) -> int:
    # Children of a county are townships (9-digit codes); of anything above, 6-digit codes.
    return 9 if base.kind == Region.Kind.COUNTY else 6


def coverage(*, base: Region, year: int) -> dict:
    """How many deputies (persons, and mandates per level) with a serving mandate in `base`'s
    subtree took part in at least one activity in `year`, in total and for each region directly
    below `base`. Four queries, whatever the number of deputies; the year's participations are
    probed once per mandate."""
    took = took_part_in(year)
    in_base = Mandate.objects.filter(
        status=Mandate.Status.SERVING, region__path__startswith=base.path
    )
    levels = list(Level.values)
    child = Substr("region__path", len(base.path) + 1, _child_code_length(base))
    # The rows: grouped by the region below `base` and by whether the person took part. The
    # EXISTS is then a grouping key, probed once per mandate (inside each aggregate's FILTER it
    # would be probed once per aggregate). Taking part is a property of the person, so the two
    # groups of a region never share a person and their counts add up.
    aggregates = {"persons": Count("person_id", distinct=True)}
    for lv in levels:
        aggregates[f"n_{lv}"] = Count("id", filter=Q(level=lv))
    per_child = (
        in_base.annotate(child=child, took=took)
        .values("child", "took")
        .annotate(**aggregates)
        .order_by()
    )
    # The totals without probing again: persons in all (no EXISTS needed), and the active
    # persons counted in more than one region below `base` (a township deputy of one county who
    # sits in another county's congress too): only those few are probed.
    persons = in_base.aggregate(n=Count("person_id", distinct=True))["n"]
    spread = (
        in_base.annotate(child=child)
        .values("person_id")
        .annotate(regions=Count("child", distinct=True))
        .filter(regions__gt=1)
        .order_by()
    )
    overcount = (
        Person.objects.filter(pk__in=spread.values("person_id"))
        .filter(took_part_in(year, "pk"))
        .annotate(regions=Subquery(spread.filter(person_id=OuterRef("pk")).values("regions")[:1]))
        .aggregate(extra=Sum(F("regions") - 1))["extra"]
        or 0
    )
    children = {r.code: r for r in Region.objects.filter(parent=base)}

    rows: dict[str, CoverageRow] = {}
    level_totals = {lv: [0, 0] for lv in levels}
    for r in per_child:
        row = rows.get(r["child"])
        if row is None:
            region = children.get(r["child"])
            label = region.name if region else str(_("%(name)s itself") % {"name": base.name})
            row = rows[r["child"]] = CoverageRow(
                region=region, label=label, by_level={lv: [0, 0] for lv in levels}
            )
        row.persons += r["persons"]
        row.persons_active += r["persons"] if r["took"] else 0
        for lv in levels:
            n = r[f"n_{lv}"]
            row.by_level[lv][0] += n
            level_totals[lv][0] += n
            if r["took"]:
                row.by_level[lv][1] += n
                level_totals[lv][1] += n
    active = sum(r.persons_active for r in rows.values()) - overcount
    ordered = sorted(
        rows.values(), key=lambda r: (r.region is not None, r.region.code if r.region else "")
    )
    level_labels = dict(Level.choices)
    return {
        "base": base,
        "year": year,
        "rows": ordered,
        "levels": [(lv, level_labels[lv]) for lv in levels],
        "level_totals": [
            {
                "level": lv,
                "label": level_labels[lv],
                "n": n,
                "active": a,
                "rate": a / n if n else None,
            }
            for lv, (n, a) in level_totals.items()
        ],
        "persons": persons,
        "persons_active": active,
        "rate": active / persons if persons else None,
    }


def idle_deputies(*, base: Region, year: int) -> QuerySet[Person]:
    """Deputies with a serving mandate in `base`'s subtree who took part in nothing in `year`
    (a queryset: the caller paginates it)."""
    in_base = Mandate.objects.filter(
        person_id=OuterRef("pk"), status=Mandate.Status.SERVING, region__path__startswith=base.path
    )
    return (
        Person.objects.filter(Exists(in_base))
        .filter(~took_part_in(year, "pk"))
        .prefetch_related(
            Prefetch(
                "mandates",
                queryset=Mandate.objects.filter(status=Mandate.Status.SERVING).select_related(
                    "region"
                ),
            )
        )
        .order_by("name", "pk")
    )


# --- finding deputies ----------------------------------------------------------------------


def find_deputies(
    *,
    user,
    expertise: list | None = None,
    level: str = "",
    region: Region | None = None,
    group: Group | None = None,
    name: str = "",
    include_provincial: bool = False,
) -> QuerySet[Person]:
    """Deputies in the user's scope with a serving mandate, matching every criterion given
    (any of the chosen expertise). With `include_provincial`, provincial and national deputies
    from outside the region too (invited to a station or activity from another city)."""
    base = Person.objects.visible_to(user)
    if include_provincial:
        base = Person.objects.filter(
            Q(pk__in=base.values("pk"))
            | Exists(
                Mandate.objects.filter(
                    person_id=OuterRef("pk"),
                    status=Mandate.Status.SERVING,
                    level__in=[Level.PROVINCIAL, Level.NATIONAL],
                )
            )
        )
    serving = Mandate.objects.filter(person_id=OuterRef("pk"), status=Mandate.Status.SERVING)
    if level:
        serving = serving.filter(level=level)
    if region is not None:
        serving = serving.filter(region__path__startswith=region.path)
    qs = base.filter(Exists(serving))
    if expertise:
        qs = qs.filter(
            Exists(
                Person.expertise.through.objects.filter(
                    person_id=OuterRef("pk"), expertise__in=expertise
                )
            )
        )
    if group is not None:
        qs = qs.filter(Exists(Membership.objects.filter(person_id=OuterRef("pk"), group=group)))
    if name:
        qs = qs.filter(name__contains=name)
    return qs.prefetch_related(
        "expertise",
        Prefetch(
            "mandates",
            queryset=Mandate.objects.filter(status=Mandate.Status.SERVING).select_related("region"),
        ),
    ).order_by("name", "pk")


def group_matches(*, group: Group, user) -> QuerySet[Person]:
    """Deputies in scope whose expertise matches the group's and who are not yet members."""
    expertise = list(group.expertise.all())
    if not expertise:
        return Person.objects.none()
    return find_deputies(user=user, expertise=expertise, region=group.region).exclude(
        Exists(Membership.objects.filter(person_id=OuterRef("pk"), group=group))
    )


# --- the year's figures ----------------------------------------------------------------------


def year_figures(*, user, year: int) -> dict:
    """The figures of the city's campaign report, each computed from the records of the year in
    the user's scope (about fifteen queries)."""
    start, end = year_bounds(year)
    activities = Activity.objects.visible_to(user).filter(date__gte=start, date__lt=end)
    opinions = Opinion.objects.visible_to(user).filter(received_on__gte=start, received_on__lt=end)
    stations = Station.objects.visible_to(user).filter(is_active=True)
    groups = Group.objects.visible_to(user).filter(is_active=True)
    participations = Participation.objects.filter(activity__in=activities)

    def deputies_in(*k):
        return participations.filter(activity__kind__in=k).aggregate(
            n=Count("person_id", distinct=True)
        )["n"]

    by_kind = {
        r["kind"]: r["n"] for r in activities.values("kind").annotate(n=Count("id")).order_by()
    }
    op = opinions.aggregate(
        n=Count("id"),
        solved=Count("id", filter=Q(status=Opinion.Status.SOLVED)),
        forwarded=Count("id", filter=Q(status=Opinion.Status.FORWARDED)),
        suggestion=Count("id", filter=Q(status=Opinion.Status.SUGGESTION)),
        wechat=Count("id", filter=Q(channel=Opinion.Channel.WECHAT)),
    )
    professional = stations.filter(kind=Station.Kind.PROFESSIONAL).annotate(
        builders=Count("co_builders")
    )
    prof = professional.aggregate(n=Count("id", distinct=True))
    co_built = professional.filter(builders__gte=2).count()
    # Deputies stationed this year who hold no serving mandate in the station's own city (a
    # city's path is the first three segments of its subtree's paths: "/100000/410000/410500/").
    city_of_station = Substr(OuterRef("station__region__path"), 1, 22)
    visiting = (
        Stationing.objects.filter(station__in=stations, start_date__lt=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .annotate(
            local=Exists(
                Mandate.objects.filter(
                    person_id=OuterRef("person_id"),
                    status=Mandate.Status.SERVING,
                    region__path__startswith=city_of_station,
                )
            )
        )
        .filter(local=False)
        .values("station__name")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n")
    )
    city_groups = groups.filter(level=Group.Level.CITY).aggregate(
        n=Count("id", distinct=True), members=Count("memberships__person_id", distinct=True)
    )
    lower_groups = groups.exclude(level=Group.Level.CITY).aggregate(
        n=Count("id", distinct=True),
        categories=Count("category", distinct=True),
        members=Count("memberships__person_id", distinct=True),
    )
    legislation = opinions.filter(activity__kind=Activity.Kind.LEGISLATION)
    budget = opinions.filter(activity__kind=Activity.Kind.BUDGET_REVIEW).aggregate(
        n=Count("id"),
        adopted=Count("id", filter=Q(status=Opinion.Status.ADOPTED)),
        decided=Count(
            "id", filter=Q(status__in=[Opinion.Status.ADOPTED, Opinion.Status.NOT_ADOPTED])
        ),
    )
    events = participations.filter(
        activity__kind=Activity.Kind.STATION_EVENT,
        activity__department_reports__isnull=False,
    ).aggregate(
        deputies=Count("person_id", distinct=True),
        stations=Count("activity__station_id", distinct=True),
    )
    heads = DepartmentReport.objects.filter(activity__in=activities).aggregate(
        n=Count("unit_id", distinct=True)
    )["n"]
    campaigns = list(
        Campaign.objects.visible_to(user)
        .filter(year=year)
        .annotate(
            measures_n=Count("measures"),
            measures_done=Count("measures", filter=Q(measures__status=Measure.Status.DONE)),
        )
        .order_by("name")
    )
    return {
        "year": year,
        "activities": sum(by_kind.values()),
        "by_kind": [
            {"kind": k, "label": label, "n": by_kind.get(k, 0)}
            for k, label in Activity.Kind.choices
        ],
        "inspections_surveys": by_kind.get(Activity.Kind.INSPECTION, 0)
        + by_kind.get(Activity.Kind.SURVEY, 0),
        "opinions": op,
        "professional_stations": prof["n"],
        "professional_co_built": co_built,
        "visiting": list(visiting),
        "city_groups": city_groups,
        "lower_groups": lower_groups,
        "legislation": {
            "activities": by_kind.get(Activity.Kind.LEGISLATION, 0),
            "deputies": deputies_in(Activity.Kind.LEGISLATION),
            "opinions": legislation.count(),
        },
        "budget": {
            "activities": by_kind.get(Activity.Kind.BUDGET_REVIEW, 0),
            "deputies": deputies_in(Activity.Kind.BUDGET_REVIEW),
            "opinions": budget["n"],
            "adopted": budget["adopted"],
            "rate": budget["adopted"] / budget["decided"] if budget["decided"] else None,
        },
        "publicity": {
            "activities": by_kind.get(Activity.Kind.PUBLICITY, 0),
            "opinions": opinions.filter(activity__kind=Activity.Kind.PUBLICITY).count(),
        },
        "station_events": {**events, "heads": heads},
        "livelihood": {
            "activities": by_kind.get(Activity.Kind.LIVELIHOOD, 0),
            "deputies": deputies_in(Activity.Kind.LIVELIHOOD),
        },
        "campaigns": campaigns,
    }


def activity_list(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """An activity list with its organiser, region and counts (participants and opinions) as
    correlated subqueries: one query for a page whatever the rows hold."""
    participants = (
        Participation.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("id"))
        .values("n")
    )
    opinions = (
        Opinion.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.select_related("region", "committee", "group", "station").annotate(
        participants_n=Coalesce(Subquery(participants, output_field=IntegerField()), 0),
        opinions_n=Coalesce(Subquery(opinions, output_field=IntegerField()), 0),
    )
