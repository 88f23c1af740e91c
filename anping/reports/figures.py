"""The figures of a period, computed in the database.

Every area runs a fixed number of grouped aggregate queries (conditional aggregation, GROUP BY on
the scope, EXISTS for "took part"), whatever the size of the data: the rows that come back are one
per scope (and level), never one per record. The scope of a row is the prefix of its region's
materialised path: the county's path (administrative codes are six digits, so every county path
has the same length) or the city's. Each query runs twice, once grouped by county and once by
city, because distinct counts (persons taking part) cannot be added up across counties.

The areas read the models of the stations, proposals and livelihood apps directly (reports is the
top of the import graph; those apps are always installed). A query that fails fails the month:
a month is never stored with an area quietly left out.

Every scope gets every figure: a quiet county shows 0, never a blank (also for each value of a
dimension and each level).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Substr, TruncDate
from django.utils.translation import pgettext_lazy

from anping.regions.models import Region
from deputies.models import Level, Mandate
from legislation import figures as legislation_figures
from livelihood.models import Poll, ProgressReport, Project, ResultLine
from proposals.models import Assignment, Feedback, Suggestion
from stations.models import Activity, Opinion, Participation

from .periods import Period, local_midnight

LEVELS = [str(level) for level in Level]
# The levels as the reports name them (a context of their own: "City" alone is also a region).
LEVEL_LABELS = {
    Level.NATIONAL: pgettext_lazy("deputy level", "National"),
    Level.PROVINCIAL: pgettext_lazy("deputy level", "Provincial"),
    Level.CITY: pgettext_lazy("deputy level", "City"),
    Level.COUNTY: pgettext_lazy("deputy level", "County"),
    Level.TOWNSHIP: pgettext_lazy("deputy level", "Township"),
}

# A context of their own: other catalogs translate the same English words for other uses.
AREAS = {
    "deputies": pgettext_lazy("report area", "Deputies"),
    "activities": pgettext_lazy("report area", "Duty activities"),
    "opinions": pgettext_lazy("report area", "Constituent opinions"),
    "suggestions": pgettext_lazy("report area", "Suggestions"),
    "livelihood": pgettext_lazy("report area", "Livelihood projects"),
    "legislation": legislation_figures.AREA_LABEL,
}


@dataclass(frozen=True)
class Metric:
    area: str
    code: str
    label: object
    kind: str = "count"  # "count"; "rate" (value / base); "average" (value / base)
    by_level: bool = False
    dimension: str = ""  # a named set of dimension values, see DIMENSIONS


# The metrics of the monthly report, in the order the sheets and the dashboard show them.
METRICS: list[Metric] = [
    Metric(
        "deputies", "persons", pgettext_lazy("report figure", "Deputies (persons)"), by_level=True
    ),
    Metric("deputies", "mandates", pgettext_lazy("report figure", "Mandates"), by_level=True),
    Metric(
        "deputies", "active", pgettext_lazy("report figure", "Deputies taking part"), by_level=True
    ),
    Metric(
        "deputies",
        "coverage",
        pgettext_lazy("report figure", "Coverage"),
        kind="rate",
        by_level=True,
    ),
    Metric(
        "activities",
        "count",
        pgettext_lazy("report figure", "Activities"),
        dimension="activity_kind",
    ),
    Metric("activities", "participations", pgettext_lazy("report figure", "Attendances")),
    Metric("activities", "participants", pgettext_lazy("report figure", "Deputies attending")),
    Metric(
        "opinions",
        "collected",
        pgettext_lazy("report figure", "Opinions collected"),
        dimension="channel",
    ),
    Metric("opinions", "solved", pgettext_lazy("report figure", "Problems solved")),
    # The closed loop (opinions app): what went to a unit, answered in time, and "solved" as
    # the resident confirmed it beside "solved" as declared only.
    Metric("opinions", "forwarded", pgettext_lazy("report figure", "Sent to handling units")),
    Metric(
        "opinions", "answered_on_time", pgettext_lazy("report figure", "Answered by units on time")
    ),
    Metric("opinions", "answered_late", pgettext_lazy("report figure", "Answered by units late")),
    Metric(
        "opinions",
        "solved_confirmed",
        pgettext_lazy("report figure", "Solved, confirmed by the resident"),
    ),
    Metric("opinions", "solved_declared", pgettext_lazy("report figure", "Solved, declared only")),
    Metric(
        "opinions", "not_confirmed", pgettext_lazy("report figure", "Closed without confirmation")
    ),
    Metric(
        "opinions", "satisfied", pgettext_lazy("report figure", "Residents satisfied or basically")
    ),
    Metric(
        "deputies",
        "in_wechat_groups",
        pgettext_lazy("report figure", "Deputies in constituents' WeChat groups"),
        by_level=True,
    ),
    Metric("opinions", "adopted", pgettext_lazy("report figure", "Opinions adopted")),
    Metric("opinions", "adoption", pgettext_lazy("report figure", "Adoption rate"), kind="rate"),
    Metric("suggestions", "filed", pgettext_lazy("report figure", "Filed"), by_level=True),
    Metric(
        "suggestions", "registered", pgettext_lazy("report figure", "Registered"), by_level=True
    ),
    Metric("suggestions", "answered", pgettext_lazy("report figure", "Answered"), by_level=True),
    Metric(
        "suggestions", "on_time", pgettext_lazy("report figure", "Answered on time"), by_level=True
    ),
    Metric(
        "suggestions",
        "on_time_rate",
        pgettext_lazy("report figure", "On-time rate"),
        kind="rate",
        by_level=True,
    ),
    Metric("suggestions", "overdue", pgettext_lazy("report figure", "Overdue"), by_level=True),
    Metric(
        "suggestions",
        "key",
        pgettext_lazy("report figure", "Key suggestions chosen"),
        by_level=True,
    ),
    Metric(
        "suggestions", "feedback", pgettext_lazy("report figure", "Feedback given"), by_level=True
    ),
    Metric("suggestions", "satisfied", pgettext_lazy("report figure", "Satisfied"), by_level=True),
    Metric(
        "suggestions", "basic", pgettext_lazy("report figure", "Basically satisfied"), by_level=True
    ),
    Metric(
        "suggestions",
        "not_satisfied",
        pgettext_lazy("report figure", "Not satisfied"),
        by_level=True,
    ),
    Metric(
        "suggestions",
        "satisfaction",
        pgettext_lazy("report figure", "Satisfaction rate"),
        kind="rate",
        by_level=True,
    ),
    Metric("livelihood", "projects", pgettext_lazy("report figure", "Projects")),
    Metric("livelihood", "completed", pgettext_lazy("report figure", "Completed")),
    Metric(
        "livelihood", "progress", pgettext_lazy("report figure", "Average progress"), kind="average"
    ),
    Metric("livelihood", "reports", pgettext_lazy("report figure", "Progress reports filed")),
    Metric("livelihood", "rated", pgettext_lazy("report figure", "Ratings counted")),
    Metric(
        "livelihood",
        "rating",
        pgettext_lazy("report figure", "Rated satisfied or basically"),
        kind="rate",
    ),
]
METRICS += [
    Metric("legislation", code, label) for code, label in legislation_figures.LABELS.items()
]
METRIC = {(m.area, m.code): m for m in METRICS}


DIMENSIONS = {
    "activity_kind": Activity.Kind,
    "channel": Opinion.Channel,
}


def dimension_choices(name: str) -> list[tuple[str, str]]:
    """(value, label) of a dimension set."""
    return list(DIMENSIONS[name].choices)


Key = tuple[str, str, str, str, str]  # (scope path, area, metric, level, dimension)


@dataclass
class Scopes:
    """The scopes of the rollup: each city and each county under it."""

    cities: list[Region]
    counties: list[Region]
    by_path: dict[str, Region] = field(default_factory=dict)
    county_len: int = 0
    city_len: int = 0

    @classmethod
    def load(cls, within: Region | None = None) -> Scopes:
        regions = Region.objects.filter(kind__in=[Region.Kind.CITY, Region.Kind.COUNTY])
        regions = list(regions.order_by("path"))
        cities = [r for r in regions if r.kind == Region.Kind.CITY]
        counties = [r for r in regions if r.kind == Region.Kind.COUNTY]
        if within is not None:
            cities = [c for c in cities if within.path.startswith(c.path)]
        counties = [c for c in counties if any(c.path.startswith(x.path) for x in cities)]
        # Cities held only for reference (the home of deputies stationed from elsewhere) have no
        # counties in the tree and no congress work here: they get no report.
        cities = [c for c in cities if any(x.path.startswith(c.path) for x in counties)]
        scopes = cls(cities, counties)
        scopes.by_path = {r.path: r for r in cities + counties}
        scopes.city_len = max((len(c.path) for c in cities), default=0)
        scopes.county_len = max((len(c.path) for c in counties), default=0)
        return scopes

    @classmethod
    def single(cls, region: Region) -> Scopes:
        """Just one scope (the year page of one city or one county)."""
        is_city = region.kind == Region.Kind.CITY
        scopes = cls([region] if is_city else [], [] if is_city else [region])
        scopes.by_path = {region.path: region}
        if is_city:
            scopes.city_len = len(region.path)
        else:
            scopes.county_len = len(region.path)
        return scopes

    @property
    def all(self) -> list[Region]:
        return self.cities + self.counties

    def within_q(self, path_field: str) -> Q:
        q = Q(pk__in=[])
        for city in self.cities or self.counties:
            q |= Q(**{f"{path_field}__startswith": city.path})
        return q

    def lengths(self) -> Iterable[int]:
        return [n for n in (self.county_len, self.city_len) if n]


class Figures:
    """What a rollup produced: value and base per key."""

    def __init__(self) -> None:
        self.values: dict[Key, list[int | None]] = {}

    def put(self, scope: str, area: str, metric: str, level: str, dim: str, value, base=None):
        self.values[(scope, area, metric, level, dim)] = [int(value or 0), base]

    def get(self, scope: str, area: str, metric: str, level: str = "", dim: str = "") -> int:
        found = self.values.get((scope, area, metric, level, dim))
        return found[0] if found else 0

    def base(self, scope: str, area: str, metric: str, level: str = "", dim: str = "") -> int:
        found = self.values.get((scope, area, metric, level, dim))
        return int(found[1] or 0) if found else 0


def grouped(
    qs: QuerySet, path_field: str, scopes: Scopes, aggregates: dict, extra: Iterable[str] = ()
) -> Iterable[tuple[str, dict]]:
    """Run the aggregates grouped by scope (county, then city), and by `extra` fields. Two
    queries; yields (scope path, row) for rows whose scope is a known city or county."""
    qs = qs.filter(scopes.within_q(path_field))
    for length in scopes.lengths():
        rows = (
            qs.annotate(_scope=Substr(path_field, 1, length))
            .values("_scope", *extra)
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            # A row above the counties (a city deputy's region is the city) comes back from the
            # county grouping with the city's shorter path: only the city grouping counts it.
            scope = row["_scope"]
            if scope in scopes.by_path and len(scope) == length:
                yield scope, row


# --- the areas -------------------------------------------------------------------------------


def deputies(period: Period, scopes: Scopes, out: Figures) -> None:
    """Persons and mandates in office on the period's last day, by level, and how many of those
    persons took part in at least one activity in the period (coverage)."""
    in_office = (Q(start_date__isnull=True) | Q(start_date__lte=period.last)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=period.last)
    )
    # "Took part" as `person_id IN (the period's participants)`: uncorrelated, so PostgreSQL
    # hashes the participants once instead of probing the index for every seat.
    participants = Participation.objects.filter(
        date__gte=period.first, date__lte=period.last
    ).values("person_id")
    qs = Mandate.objects.filter(in_office).annotate(
        took_part=ExpressionWrapper(Q(person_id__in=participants), output_field=BooleanField())
    )
    # Two groupings rather than one row of per-level distinct counts: PostgreSQL sorts once per
    # DISTINCT aggregate, so (scope, level) groups with three aggregates, then the scope's totals
    # (a person with seats at two levels counts once), cost far less than fifteen.
    aggregates = {
        "m": Count("pk"),
        "p": Count("person", distinct=True),
        "a": Count("person", distinct=True, filter=Q(took_part=True)),
    }
    for scope, row in grouped(qs, "region__path", scopes, aggregates, extra=["level"]):
        _put_deputies(out, scope, row["level"], row)
    for scope, row in grouped(qs, "region__path", scopes, aggregates):
        _put_deputies(out, scope, "", row)


def _put_deputies(out: Figures, scope: str, level: str, row: dict) -> None:
    out.put(scope, "deputies", "persons", level, "", row["p"])
    out.put(scope, "deputies", "mandates", level, "", row["m"])
    out.put(scope, "deputies", "active", level, "", row["a"])
    out.put(scope, "deputies", "coverage", level, "", row["a"], row["p"])


def activities(period: Period, scopes: Scopes, out: Figures) -> None:
    """Activities held in the period by type; attendances and distinct deputies attending."""
    kinds = [str(k) for k in Activity.Kind]
    aggregates = {"n": Count("pk")}
    aggregates.update({f"k_{k}": Count("pk", filter=Q(kind=k)) for k in kinds})
    qs = Activity.objects.filter(date__gte=period.first, date__lte=period.last)
    for scope, row in grouped(qs, "region__path", scopes, aggregates):
        out.put(scope, "activities", "count", "", "", row["n"])
        for k in kinds:
            out.put(scope, "activities", "count", "", k, row[f"k_{k}"])
    qs = Participation.objects.filter(date__gte=period.first, date__lte=period.last)
    attend = {"n": Count("pk"), "p": Count("person", distinct=True)}
    for scope, row in grouped(qs, "activity__region__path", scopes, attend):
        out.put(scope, "activities", "participations", "", "", row["n"])
        out.put(scope, "activities", "participants", "", "", row["p"])


def opinions(period: Period, scopes: Scopes, out: Figures) -> None:
    """Opinions received in the period (by channel); solved and adopted in the period."""
    received = Q(received_on__gte=period.first, received_on__lte=period.last)
    settled = Q(closed_on__gte=period.first, closed_on__lte=period.last)
    channels = [str(c) for c in Opinion.Channel]
    S = Opinion.Status
    aggregates = {
        "n": Count("pk", filter=received),
        "solved": Count("pk", filter=settled & Q(status=S.SOLVED)),
        "adopted": Count("pk", filter=settled & Q(status=S.ADOPTED)),
        "decided": Count("pk", filter=settled & Q(status__in=[S.ADOPTED, S.NOT_ADOPTED])),
    }
    aggregates.update({f"c_{c}": Count("pk", filter=received & Q(channel=c)) for c in channels})
    aggregates.update(_loop_aggregates(received, settled))
    qs = Opinion.objects.filter(received | settled)
    for scope, row in grouped(qs, "region__path", scopes, aggregates):
        out.put(scope, "opinions", "collected", "", "", row["n"])
        for c in channels:
            out.put(scope, "opinions", "collected", "", c, row[f"c_{c}"])
        out.put(scope, "opinions", "solved", "", "", row["solved"])
        out.put(scope, "opinions", "adopted", "", "", row["adopted"])
        out.put(scope, "opinions", "adoption", "", "", row["adopted"], row["decided"])
        for code in LOOP_CODES:
            out.put(scope, "opinions", code, "", "", row[code])
    _wechat_deputies(period, scopes, out)


LOOP_CODES = [
    "forwarded",
    "answered_on_time",
    "answered_late",
    "solved_confirmed",
    "solved_declared",
    "not_confirmed",
    "satisfied",
]


def _loop_aggregates(received: Q, settled: Q) -> dict:
    """The closed loop's counts, in the same grouped query (the case is a LEFT JOIN: an
    opinion typed in by a deputy has none, and its "solved" is declared only)."""
    from opinions.models import Case

    C = Case.Status
    solved = settled & Q(status="solved")
    return {
        "forwarded": Count("pk", filter=received & Q(forwarded_to__isnull=False)),
        "answered_on_time": Count("pk", filter=received & Q(case__answered_on_time=True)),
        "answered_late": Count("pk", filter=received & Q(case__answered_on_time=False)),
        "solved_confirmed": Count("pk", filter=solved & Q(case__status=C.SOLVED)),
        "solved_declared": Count(
            "pk", filter=solved & (Q(case__isnull=True) | ~Q(case__status=C.SOLVED))
        ),
        "not_confirmed": Count("pk", filter=received & Q(case__status=C.NOT_CONFIRMED)),
        "satisfied": Count(
            "pk", filter=received & Q(case__satisfaction__in=["satisfied", "basic"])
        ),
    }


def _wechat_deputies(period: Period, scopes: Scopes, out: Figures) -> None:
    """Deputies who showed themselves (亮身份) in at least one village or community WeChat group
    joined by the period's end: distinct persons per scope, two grouped queries."""
    from opinions.models import WeChatGroup

    qs = WeChatGroup.objects.filter(joined_on__lte=period.last)
    distinct = {"p": Count("person", distinct=True)}
    for scope, row in grouped(qs, "region__path", scopes, distinct):
        out.put(scope, "deputies", "in_wechat_groups", "", "", row["p"])
    # By level, as the deputies' sheet shows every figure: a person counts at each level they
    # hold a seat at (so the levels may add up to more than the total, as persons do).
    level = "person__mandates__level"
    for scope, row in grouped(qs, "region__path", scopes, distinct, extra=[level]):
        if row[level]:
            out.put(scope, "deputies", "in_wechat_groups", row[level], "", row["p"])


def overdue_as_of(day) -> Q:
    """Suggestions past their answer deadline and still unanswered at the end of `day`: the
    status that day, not today's, so a past month keeps the count it had at its end.

    - still open today and its deadline before `day` (a deadline comes after the assignment, so
      it was assigned by then; the deadline is today's, an extension granted later included);
    - or answered after `day` (so open at its end) with its deadline, or an answering unit's
      deadline of a unit not done by then, before `day`.
    """
    stop = local_midnight(day + dt.timedelta(days=1))
    late_unit = Assignment.objects.filter(
        Q(done_at__isnull=True) | Q(done_at__gte=stop),
        suggestion=OuterRef("pk"),
        role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT],
        status__in=[Assignment.Status.OPEN, Assignment.Status.DONE],
        due_date__lt=day,
    )
    return Q(status__in=Suggestion.OPEN_STATUSES, due_date__lt=day) | (
        Q(answered_at__gte=stop) & (Q(due_date__lt=day) | Exists(late_unit))
    )


def suggestions(period: Period, scopes: Scopes, out: Figures) -> None:
    """Suggestions filed, registered, answered (on time: by the deadline), overdue as of the
    period's end (or today), key suggestions chosen, and the deputies' feedback, by level."""

    def within(name: str) -> Q:
        return Q(**{f"{name}__gte": period.start, f"{name}__lt": period.stop})

    answered = within("answered_at")
    overdue = overdue_as_of(period.as_of())
    aggregates = {
        "filed": Count("pk", filter=within("submitted_at")),
        "registered": Count("pk", filter=within("registered_at")),
        "answered": Count("pk", filter=answered),
        # On time: answered on or before the due day (local calendar day).
        "on_time": Count(
            "pk",
            filter=answered & (Q(due_date__isnull=True) | Q(_answered_day__lte=F("due_date"))),
        ),
        "overdue": Count("pk", filter=overdue),
        "key": Count("pk", filter=Q(is_key=True) & within("key_chosen_at")),
    }
    qs = Suggestion.objects.annotate(_answered_day=TruncDate("answered_at")).filter(
        within("submitted_at")
        | within("registered_at")
        | answered
        | within("key_chosen_at")
        | overdue
    )
    totals: dict[tuple[str, str], int] = defaultdict(int)
    level_field = "term__congress__level"
    for scope, row in grouped(qs, "region__path", scopes, aggregates, extra=[level_field]):
        level = row[level_field]
        for name in aggregates:
            out.put(scope, "suggestions", name, level, "", row[name])
            totals[(scope, name)] += row[name]
    for (scope, name), value in totals.items():
        out.put(scope, "suggestions", name, "", "", value)

    V = Feedback.Verdict
    fb = {
        "feedback": Count("pk"),
        "satisfied": Count("pk", filter=Q(verdict=V.SATISFIED)),
        "basic": Count("pk", filter=Q(verdict=V.BASIC)),
        "not_satisfied": Count("pk", filter=Q(verdict=V.NOT_SATISFIED)),
    }
    qs = Feedback.objects.filter(given_at__gte=period.start, given_at__lt=period.stop)
    level_field = "suggestion__term__congress__level"
    fb_totals: dict[tuple[str, str], int] = defaultdict(int)
    for scope, row in grouped(qs, "suggestion__region__path", scopes, fb, extra=[level_field]):
        level = row[level_field]
        for name in fb:
            out.put(scope, "suggestions", name, level, "", row[name])
            fb_totals[(scope, name)] += row[name]
    for (scope, name), value in fb_totals.items():
        out.put(scope, "suggestions", name, "", "", value)
    for scope in scopes.by_path:
        for level in ["", *LEVELS]:
            _rates(out, scope, level)


def _rates(out: Figures, scope: str, level: str) -> None:
    get = out.get
    out.put(
        scope,
        "suggestions",
        "satisfaction",
        level,
        "",
        get(scope, "suggestions", "satisfied", level) + get(scope, "suggestions", "basic", level),
        get(scope, "suggestions", "feedback", level),
    )
    out.put(
        scope,
        "suggestions",
        "on_time_rate",
        level,
        "",
        get(scope, "suggestions", "on_time", level),
        get(scope, "suggestions", "answered", level),
    )


def livelihood(period: Period, scopes: Scopes, out: Figures) -> None:
    """The year's projects of each congress (by the congress's region), completed by the period's
    end, their average progress (each project's latest report up to then), progress reports
    filed in the period, and the year-end ratings published in the period."""
    path = "round__term__congress__region__path"
    latest = Subquery(
        ProgressReport.objects.filter(project=OuterRef("pk"), reported_on__lte=period.last)
        .order_by("-reported_on", "-pk")
        .values("percent")[:1]
    )
    qs = Project.objects.filter(round__year=period.first.year).annotate(_pct=Coalesce(latest, 0))
    aggregates = {
        "projects": Count("pk"),
        "completed": Count("pk", filter=Q(completed_on__lte=period.last)),
        "pct": Sum("_pct"),
    }
    for scope, row in grouped(qs, path, scopes, aggregates):
        out.put(scope, "livelihood", "projects", "", "", row["projects"])
        out.put(scope, "livelihood", "completed", "", "", row["completed"])
        out.put(scope, "livelihood", "progress", "", "", row["pct"], row["projects"])

    qs = ProgressReport.objects.filter(reported_on__gte=period.first, reported_on__lte=period.last)
    for scope, row in grouped(qs, f"project__{path}", scopes, {"n": Count("pk")}):
        out.put(scope, "livelihood", "reports", "", "", row["n"])

    qs = ResultLine.objects.filter(
        poll__kind=Poll.Kind.RATING,
        poll__status=Poll.Status.PUBLISHED,
        poll__published_at__gte=period.start,
        poll__published_at__lt=period.stop,
    )
    ratings = {
        "s": Coalesce(Sum("satisfied"), 0),
        "b": Coalesce(Sum("basic"), 0),
        "n": Coalesce(Sum("not_satisfied"), 0),
    }
    for scope, row in grouped(qs, f"poll__{path}", scopes, ratings):
        total = row["s"] + row["b"] + row["n"]
        out.put(scope, "livelihood", "rated", "", "", total)
        out.put(scope, "livelihood", "rating", "", "", row["s"] + row["b"], total)


def legislation(period: Period, scopes: Scopes, out: Figures) -> None:
    """Drafts with a version uploaded in the period; rounds whose deadline falls in it, the
    deputies invited to them and who commented, their comments and how many were adopted."""
    from legislation.models import Comment, Invitation, Round, Version

    path = "project__region__path"
    qs = Version.objects.filter(uploaded_at__gte=period.start, uploaded_at__lt=period.stop)
    for scope, row in grouped(qs, path, scopes, {"n": Count("project", distinct=True)}):
        out.put(scope, "legislation", "drafts", "", "", row["n"])
    in_period = {"deadline__gte": period.start, "deadline__lt": period.stop}
    qs = Round.objects.filter(**in_period)
    for scope, row in grouped(qs, f"version__{path}", scopes, {"n": Count("pk")}):
        out.put(scope, "legislation", "rounds", "", "", row["n"])
    qs = Invitation.objects.filter(**{f"round__{k}": v for k, v in in_period.items()})
    invited = {"n": Count("person", distinct=True)}
    for scope, row in grouped(qs, f"round__version__{path}", scopes, invited):
        out.put(scope, "legislation", "deputies_invited", "", "", row["n"])
    qs = Comment.objects.filter(**{f"round__{k}": v for k, v in in_period.items()})
    adopted = [Comment.Outcome.ADOPTED, Comment.Outcome.PARTLY]
    aggregates = {
        "n": Count("pk"),
        "deputies": Count("person", distinct=True),
        "adopted": Count("pk", filter=Q(outcome__in=adopted)),
    }
    for scope, row in grouped(qs, f"round__version__{path}", scopes, aggregates):
        out.put(scope, "legislation", "comments", "", "", row["n"])
        out.put(scope, "legislation", "deputies_commented", "", "", row["deputies"])
        out.put(scope, "legislation", "comments_adopted", "", "", row["adopted"])


AREA_FUNCTIONS: dict[str, Callable[[Period, Scopes, Figures], None]] = {
    "deputies": deputies,
    "activities": activities,
    "opinions": opinions,
    "suggestions": suggestions,
    "livelihood": livelihood,
    "legislation": legislation,
}


def compute(period: Period, scopes: Scopes, areas: Iterable[str] | None = None) -> Figures:
    """Every area's figures for the period (a failing query raises: nothing is left out), then
    zeros for every figure no row produced, so a quiet scope shows 0, never a blank."""
    names = list(areas or AREA_FUNCTIONS)
    out = Figures()
    for name in names:
        AREA_FUNCTIONS[name](period, scopes, out)
    for scope in scopes.by_path:
        for metric in METRICS:
            if metric.area not in names:
                continue
            base = None if metric.kind == "count" else 0
            dims = (
                [""] + [v for v, _label in dimension_choices(metric.dimension)]
                if metric.dimension
                else [""]
            )
            for level in [""] + (LEVELS if metric.by_level else []):
                for dim in dims:
                    out.values.setdefault((scope, metric.area, metric.code, level, dim), [0, base])
    return out
