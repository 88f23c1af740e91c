"""The year page: every figure the committee's annual report quotes, counted from the records.

Each line says what the report said (the 2024 Anyang report, DOMAIN.md's table), the figures the
portal holds for the chosen year and region, and a link to the records behind them. A fixed
number of aggregate queries, whatever the size of the year.

The page is a registry (`SECTIONS`): a section runs its queries once (`load`, returning named
numbers) and lists its lines; each line lists its figures, and each figure is one entry with its
stable key (`Fig`), the key `/reports/year/<year>.json` serves it under and README.md lists. A new
figure is one `Fig` on a line (and its count in the section's `load`); another app's section is
added with `register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from anping.regions.models import Region
from deputies.models import Mandate
from legislation import figures as legislation_figures
from livelihood.models import Round
from opinions.models import Case
from proposals.models import Evaluation, Suggestion, SupervisionEvent
from stations.models import (
    Activity,
    DepartmentReport,
    Group,
    Measure,
    Opinion,
    Participation,
    Station,
    Stationing,
)

from . import figures
from .periods import Period

LAW_AND_FIRE = ["法律", "法学", "消防"]

Number = int | float


@dataclass(frozen=True)
class Context:
    """What every section's queries start from: the scope, the year, its monthly figures."""

    region: Region
    year: int
    period: Period
    fig: figures.Figures

    def get(self, area: str, metric: str, level: str = "", dim: str = "") -> int:
        return self.fig.get(self.region.path, area, metric, level, dim)


@dataclass(frozen=True)
class Fig:
    """One figure of the year page. `key` is its stable name in the JSON (snake_case, never
    renamed); `get` reads it from the section's numbers (a name in them, or a function of
    them); `rate` figures are percentages with one decimal (0 when their base is 0, which the
    page shows as —)."""

    key: str
    get: str | Callable[[dict], Number]
    rate: bool = False

    def value(self, numbers: dict) -> Number:
        if callable(self.get):
            return self.get(numbers)
        return int(numbers.get(self.get) or 0)


def rate(value_name: str, base_name: str) -> Callable[[dict], float | None]:
    """A percentage of two of the section's numbers; None when the base is 0."""

    def get(numbers: dict) -> float | None:
        base = numbers.get(base_name) or 0
        return round(numbers.get(value_name, 0) * 100 / base, 1) if base else None

    return get


@dataclass(frozen=True)
class LineSpec:
    label: object
    figures: tuple[Fig, ...]
    quote: str = ""
    link: Callable[[Context], str] = lambda ctx: ""


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: object
    load: Callable[[Context], dict]
    lines: tuple[LineSpec, ...]


# --- what the page shows --------------------------------------------------------------------


@dataclass
class Line:
    label: str
    value: str
    quote: str = ""
    url: str = ""
    keys: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)


def admin_url(name: str, **params) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _activity_link(kind: str) -> Callable[[Context], str]:
    return lambda ctx: admin_url("stations_activity", kind=kind, date__year=ctx.year)


def _shown(fig: Fig, value: Number | None) -> str:
    if fig.rate:
        return "—" if value is None else f"{value:.1f}%"
    return f"{int(value or 0):,}"


def _computed(ctx: Context) -> list[tuple[SectionSpec, dict]]:
    return [(spec, spec.load(ctx)) for spec in SECTIONS]


def context(*, region: Region, year: int) -> Context:
    period = Period.year(year)
    return Context(region, year, period, figures.compute(period, figures.Scopes.single(region)))


def build(*, region: Region, year: int) -> list[Section]:
    """The year page's sections, each line with its figures formatted."""
    ctx = context(region=region, year=year)
    sections = []
    for spec, numbers in _computed(ctx):
        section = Section(str(spec.title))
        for line in spec.lines:
            values = [(f, f.value(numbers)) for f in line.figures]
            section.lines.append(
                Line(
                    str(line.label),
                    " / ".join(_shown(f, v) for f, v in values),
                    line.quote,
                    line.link(ctx),
                    [f.key for f in line.figures],
                )
            )
        sections.append(section)
    return sections


def figures_of(*, region: Region, year: int) -> dict[str, Number]:
    """Every figure of the year page by its key, as numbers (a rate with no base: 0)."""
    ctx = context(region=region, year=year)
    out: dict[str, Number] = {}
    for spec, numbers in _computed(ctx):
        for line in spec.lines:
            for f in line.figures:
                value = f.value(numbers)
                out[f.key] = (0.0 if value is None else float(value)) if f.rate else value
    return out


def all_keys() -> list[str]:
    return [f.key for spec in SECTIONS for line in spec.lines for f in line.figures]


# --- the sections ---------------------------------------------------------------------------


def _year_q(ctx: Context) -> dict:
    return {"date__year": ctx.year}


def _load_deputies(ctx: Context) -> dict:
    numbers = {
        "persons": ctx.get("deputies", "persons"),
        "mandates": ctx.get("deputies", "mandates"),
        "active": ctx.get("deputies", "active"),
    }
    for level in figures.LEVEL_LABELS:
        numbers[f"persons_{level}"] = ctx.get("deputies", "persons", level)
        numbers[f"mandates_{level}"] = ctx.get("deputies", "mandates", level)
    return numbers


DEPUTIES = SectionSpec(
    "deputies",
    _("Deputies at five levels"),
    _load_deputies,
    (
        LineSpec(
            _("Deputies (persons) / mandates, all levels"),
            (Fig("deputies_persons", "persons"), Fig("deputies_mandates", "mandates")),
            "9700多名五级人大代表",
            lambda ctx: admin_url("deputies_mandate", status="serving"),
        ),
        *(
            LineSpec(
                label,
                (
                    Fig(f"deputies_persons_{level}", f"persons_{level}"),
                    Fig(f"deputies_mandates_{level}", f"mandates_{level}"),
                ),
                "",
                lambda ctx, level=level: admin_url(
                    "deputies_mandate", status="serving", level=level
                ),
            )
            for level, label in figures.LEVEL_LABELS.items()
        ),
        LineSpec(
            _("Took part in at least one activity this year / coverage"),
            (
                Fig("deputies_taking_part", "active"),
                Fig("deputies_coverage_rate", rate("active", "persons"), rate=True),
            ),
            "确保主题活动实现人大代表全覆盖",
            lambda ctx: admin_url("stations_activity", **_year_q(ctx)),
        ),
    ),
)


def _load_activities(ctx: Context) -> dict:
    numbers = {
        "total": ctx.get("activities", "count"),
        "collected": ctx.get("opinions", "collected"),
        "solved": ctx.get("opinions", "solved"),
    }
    for kind in Activity.Kind:
        numbers[str(kind)] = ctx.get("activities", "count", "", str(kind))
    numbers["inspections_and_surveys"] = numbers["inspection"] + numbers["survey"]
    return numbers


ACTIVITIES = SectionSpec(
    "activities",
    _("Duty activities and opinions"),
    _load_activities,
    (
        LineSpec(
            _("Activities (all types)"),
            (Fig("activities_total", "total"),),
            "",
            lambda ctx: admin_url("stations_activity", **_year_q(ctx)),
        ),
        LineSpec(
            _("Inspections and surveys"),
            (Fig("inspections_and_surveys", "inspections_and_surveys"),),
            "围绕履职添彩开展视察、调研等300余次",
            lambda ctx: admin_url(
                "stations_activity", kind__in="inspection,survey", **_year_q(ctx)
            ),
        ),
        *(
            LineSpec(
                f"· {label}",
                (Fig(f"activities_{kind}", str(kind)),),
                "",
                lambda ctx, kind=kind: admin_url("stations_activity", kind=kind, **_year_q(ctx)),
            )
            for kind, label in Activity.Kind.choices
        ),
        LineSpec(
            _("Opinions collected"),
            (Fig("opinions_collected", "collected"),),
            "收集意见建议2000多条",
            lambda ctx: admin_url("stations_opinion", received_on__year=ctx.year),
        ),
        LineSpec(
            _("Problems solved"),
            (Fig("problems_solved", "solved"),),
            "解决问题1600余个",
            lambda ctx: admin_url("stations_opinion", status="solved", closed_on__year=ctx.year),
        ),
    ),
)


def _city_path(region: Region) -> str:
    if region.kind == Region.Kind.CITY:
        return region.path
    return region.path.rsplit("/", 2)[0] + "/"


def _load_groups_and_stations(ctx: Context) -> dict:
    path, period = ctx.region.path, ctx.period
    active_groups = Group.objects.filter(is_active=True, region__path__startswith=path)
    counts = {
        "n": Count("pk", distinct=True),
        "members": Count("memberships__person", distinct=True),
        "categories": Count("category", distinct=True),
    }
    city = active_groups.filter(level="city").aggregate(**counts)
    lower = active_groups.filter(level__in=["county", "township"]).aggregate(**counts)
    stations = dict(
        Station.objects.filter(is_active=True, region__path__startswith=path)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    home = Mandate.objects.filter(
        person=OuterRef("person_id"), region__path__startswith=_city_path(ctx.region)
    )
    stationed = (
        Stationing.objects.filter(
            station__region__path__startswith=path, start_date__lte=period.last
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.first))
        .annotate(home=Exists(home))
        .aggregate(
            persons=Count("person", distinct=True),
            stations=Count("station", distinct=True),
            outside=Count("person", distinct=True, filter=Q(home=False)),
        )
    )
    reports = DepartmentReport.objects.filter(
        activity__date__year=ctx.year, activity__region__path__startswith=path
    ).aggregate(
        units=Count("unit", distinct=True),
        stations=Count("activity__station", distinct=True),
    )
    heard = (
        Participation.objects.filter(
            date__gte=period.first, date__lte=period.last, activity__region__path__startswith=path
        )
        .filter(Exists(DepartmentReport.objects.filter(activity=OuterRef("activity_id"))))
        .aggregate(n=Count("person", distinct=True))
    )
    measures = Measure.objects.filter(
        campaign__year=ctx.year, campaign__region__path__startswith=path
    ).aggregate(n=Count("pk"), done=Count("pk", filter=Q(status=Measure.Status.DONE)))
    return {
        "city_groups": city["n"],
        "city_members": city["members"],
        "lower_groups": lower["n"],
        "lower_categories": lower["categories"],
        "lower_members": lower["members"],
        "professional_stations": stations.get(Station.Kind.PROFESSIONAL, 0),
        "stations": sum(stations.values()),
        "stationed": stationed["persons"],
        "stationed_stations": stationed["stations"],
        "stationed_outside": stationed["outside"],
        "heard": heard["n"],
        "heard_stations": reports["stations"],
        "heard_units": reports["units"],
        "measures_done": measures["done"],
        "measures": measures["n"],
    }


GROUPS_AND_STATIONS = SectionSpec(
    "groups_and_stations",
    _("Groups, stations and the campaign"),
    _load_groups_and_stations,
    (
        LineSpec(
            _("City professional groups / members"),
            (Fig("city_groups", "city_groups"), Fig("city_group_members", "city_members")),
            "15个专业小组，135名市级以上人大代表",
            lambda ctx: admin_url("stations_group", level="city"),
        ),
        LineSpec(
            _("County and township groups / categories / members"),
            (
                Fig("county_township_groups", "lower_groups"),
                Fig("county_township_group_categories", "lower_categories"),
                Fig("county_township_group_members", "lower_members"),
            ),
            "6个类别的89个专业代表小组，1085名各级人大代表进组",
            lambda ctx: admin_url("stations_group"),
        ),
        LineSpec(
            _("Professional liaison stations"),
            (Fig("professional_stations", "professional_stations"),),
            "新设5个专业代表联络站",
            lambda ctx: admin_url("stations_station", kind=Station.Kind.PROFESSIONAL),
        ),
        LineSpec(
            _("All stations and demonstration points"),
            (Fig("stations_total", "stations"),),
            "",
            lambda ctx: admin_url("stations_station"),
        ),
        LineSpec(
            _("Deputies stationed / in stations"),
            (
                Fig("deputies_stationed", "stationed"),
                Fig("stations_with_deputies", "stationed_stations"),
            ),
            "",
            lambda ctx: admin_url("stations_station"),  # stationings are its inline
        ),
        LineSpec(
            _("Stationed deputies from other cities"),
            (Fig("stationed_from_other_cities", "stationed_outside"),),
            "邀请鹤壁市、濮阳市4名省代表进驻",
            lambda ctx: admin_url("stations_station"),  # stationings are its inline
        ),
        LineSpec(
            _("Deputies who heard department heads report / stations / departments"),
            (
                Fig("deputies_hearing_department_reports", "heard"),
                Fig("stations_with_department_reports", "heard_stations"),
                Fig("departments_reporting", "heard_units"),
            ),
            "组织了94名代表进驻11个代表联络站，面对面听取12个政府部门负责人报告",
            _activity_link(Activity.Kind.STATION_EVENT),  # a department report is such an event
        ),
        LineSpec(
            _("Campaign measures carried out / planned"),
            (Fig("measures_done", "measures_done"), Fig("measures_planned", "measures")),
            "12项举措均全部落实到位",
            lambda ctx: admin_url("stations_measure", status=Measure.Status.DONE),
        ),
    ),
)


def _load_special_activities(ctx: Context) -> dict:
    path, period = ctx.region.path, ctx.period
    in_year = {"date__gte": period.first, "date__lte": period.last}
    K = Activity.Kind
    acts = dict(
        Activity.objects.filter(
            region__path__startswith=path,
            kind__in=[K.BUDGET_REVIEW, K.PUBLICITY, K.LIVELIHOOD],
            **in_year,
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people = Participation.objects.filter(
        activity__region__path__startswith=path, **in_year
    ).aggregate(
        legislation_experts=Count(
            "person",
            distinct=True,
            filter=Q(activity__kind=K.LEGISLATION, person__expertise__name__in=LAW_AND_FIRE),
        ),
        budget_deputies=Count("person", distinct=True, filter=Q(activity__kind=K.BUDGET_REVIEW)),
        livelihood_deputies=Count("person", distinct=True, filter=Q(activity__kind=K.LIVELIHOOD)),
    )
    S = Opinion.Status
    ops = Opinion.objects.filter(
        region__path__startswith=path, received_on__year=ctx.year
    ).aggregate(
        legislation_opinions=Count("pk", filter=Q(activity__kind=K.LEGISLATION)),
        budget_opinions=Count("pk", filter=Q(activity__kind=K.BUDGET_REVIEW)),
        budget_adopted=Count("pk", filter=Q(activity__kind=K.BUDGET_REVIEW, status=S.ADOPTED)),
        budget_decided=Count(
            "pk",
            filter=Q(activity__kind=K.BUDGET_REVIEW, status__in=[S.ADOPTED, S.NOT_ADOPTED]),
        ),
        publicity_opinions=Count("pk", filter=Q(activity__kind=K.PUBLICITY)),
        wechat_opinions=Count("pk", filter=Q(channel=Opinion.Channel.WECHAT)),
    )
    return {
        **people,
        **ops,
        "budget_reviews": acts.get(K.BUDGET_REVIEW, 0),
        "publicity": acts.get(K.PUBLICITY, 0),
        "livelihood": acts.get(K.LIVELIHOOD, 0),
    }


SPECIAL_ACTIVITIES = SectionSpec(
    "special_activities",
    _("Legislation, budget review and publicity"),
    _load_special_activities,
    (
        LineSpec(
            _("Law and fire-safety deputies in legislation consultations / their opinions"),
            (
                Fig("legislation_expert_deputies", "legislation_experts"),
                Fig("legislation_opinions", "legislation_opinions"),
            ),
            "",
            _activity_link(Activity.Kind.LEGISLATION),
        ),
        LineSpec(
            _("Budget reviews / deputies taking part / opinions / adopted"),
            (
                Fig("budget_reviews", "budget_reviews"),
                Fig("budget_review_deputies", "budget_deputies"),
                Fig("budget_review_opinions", "budget_opinions"),
                Fig(
                    "budget_opinions_adoption_rate",
                    rate("budget_adopted", "budget_decided"),
                    rate=True,
                ),
            ),
            "107名代表先后进行了9次审查，提出意见建议60余条，采纳率达85%",
            _activity_link(Activity.Kind.BUDGET_REVIEW),
        ),
        LineSpec(
            _("Publicity sessions / ideas from the public"),
            (
                Fig("publicity_sessions", "publicity"),
                Fig("publicity_opinions", "publicity_opinions"),
            ),
            "深入基层一线宣讲160余场，汇集……意见建议265件",
            _activity_link(Activity.Kind.PUBLICITY),
        ),
        LineSpec(
            _("Opinions from constituents' WeChat groups"),
            (Fig("opinions_from_wechat_groups", "wechat_opinions"),),
            "组织代表加入所在村、社区民声微信群",
            lambda ctx: admin_url(
                "stations_opinion", channel=Opinion.Channel.WECHAT, received_on__year=ctx.year
            ),
        ),
        LineSpec(
            _("Livelihood-project supervisions / deputies taking part"),
            (
                Fig("livelihood_supervisions", "livelihood"),
                Fig("livelihood_supervision_deputies", "livelihood_deputies"),
            ),
            "先后组织200余名代表参与……调研、监督30余次",
            _activity_link(Activity.Kind.LIVELIHOOD),
        ),
    ),
)


def _load_suggestions(ctx: Context) -> dict:
    path, start, stop = ctx.region.path, ctx.period.start, ctx.period.stop
    key = Suggestion.objects.filter(
        region__path__startswith=path, is_key=True, key_chosen_at__gte=start, key_chosen_at__lt=stop
    ).aggregate(
        key_chosen=Count("pk"),
        key_supervised=Count(
            "pk", filter=Q(Exists(SupervisionEvent.objects.filter(suggestion=OuterRef("pk"))))
        ),
        key_evaluated=Count(
            "pk",
            filter=Q(
                Exists(
                    Evaluation.objects.filter(
                        suggestion=OuterRef("pk"), status=Evaluation.Status.DONE
                    )
                )
            ),
        ),
    )
    third = Evaluation.objects.filter(
        suggestion__region__path__startswith=path, created_at__gte=start, created_at__lt=stop
    ).aggregate(
        evaluations=Count("pk"),
        evaluations_done=Count("pk", filter=Q(status=Evaluation.Status.DONE)),
    )
    numbers = {
        name: ctx.get("suggestions", name)
        for name in (
            "filed",
            "registered",
            "answered",
            "on_time",
            "feedback",
            "satisfied",
            "basic",
            "not_satisfied",
            "satisfaction",
        )
    }
    return {**numbers, **key, **third}


SUGGESTIONS = SectionSpec(
    "suggestions",
    _("Suggestions and satisfaction"),
    _load_suggestions,
    (
        LineSpec(
            _("Suggestions filed / registered / answered / answered on time"),
            (
                Fig("suggestions_filed", "filed"),
                Fig("suggestions_registered", "registered"),
                Fig("suggestions_answered", "answered"),
                Fig("suggestions_answered_on_time", "on_time"),
            ),
            "",
            lambda ctx: admin_url("proposals_suggestion", year=ctx.year),
        ),
        LineSpec(
            _("Feedback: satisfied / basically / not satisfied / satisfaction rate"),
            (
                Fig("feedback_satisfied", "satisfied"),
                Fig("feedback_basically_satisfied", "basic"),
                Fig("feedback_not_satisfied", "not_satisfied"),
                Fig("satisfaction_rate", rate("satisfaction", "feedback"), rate=True),
            ),
            "提高了……对建议办理的满意度",
            lambda ctx: admin_url("proposals_feedback"),
        ),
        LineSpec(
            _("Key suggestions: chosen / supervised / evaluated"),
            (
                Fig("key_suggestions_chosen", "key_chosen"),
                Fig("key_suggestions_supervised", "key_supervised"),
                Fig("key_suggestions_evaluated", "key_evaluated"),
            ),
            "严把重点建议确定、督办、评价“三个关口”",
            lambda ctx: admin_url("proposals_suggestion", is_key=1),
        ),
        LineSpec(
            _("Third-party evaluations requested / with a verdict"),
            (
                Fig("evaluations_requested", "evaluations"),
                Fig("evaluations_with_verdict", "evaluations_done"),
            ),
            "对办理结果反馈为不满意或办理结果存在争议的建议进行评估",
            lambda ctx: admin_url("proposals_evaluation"),
        ),
    ),
)


def _load_livelihood(ctx: Context) -> dict:
    rounds = Round.objects.filter(
        term__congress__region__path__startswith=ctx.region.path, year__lte=ctx.year
    ).aggregate(years=Count("year", distinct=True))
    return {
        "years": rounds["years"],
        "projects": ctx.get("livelihood", "projects"),
        "completed": ctx.get("livelihood", "completed"),
        "rating": ctx.get("livelihood", "rating"),
        "rated": ctx.get("livelihood", "rated"),
    }


LIVELIHOOD = SectionSpec(
    "livelihood",
    _("Livelihood projects"),
    _load_livelihood,
    (
        LineSpec(
            _("Years with livelihood projects chosen by vote (up to this year)"),
            (Fig("livelihood_vote_years", "years"),),
            "连续三年市人代会票决民生实事",
            lambda ctx: admin_url("livelihood_round"),
        ),
        LineSpec(
            _("Projects this year / completed"),
            (
                Fig("livelihood_projects", "projects"),
                Fig("livelihood_projects_completed", "completed"),
            ),
            "今年10组民生实事项目",
            lambda ctx: admin_url("livelihood_project", round__year=ctx.year),
        ),
        LineSpec(
            _("Year-end rating: satisfied or basically satisfied"),
            (Fig("livelihood_rating_rate", rate("rating", "rated"), rate=True),),
            "年底将组织代表对项目完成情况开展满意度测评",
            lambda ctx: admin_url("livelihood_poll", kind="rating"),
        ),
    ),
)


def _load_opinion_loop(ctx: Context) -> dict:
    # Residents' opinions through the closed loop (the opinions app), as the rollup counts them.
    codes = ("solved_confirmed", "solved_declared", "forwarded", "answered_on_time")
    numbers = {code: ctx.get("opinions", code) for code in codes + ("not_confirmed",)}
    numbers["in_wechat_groups"] = ctx.get("deputies", "in_wechat_groups")
    return numbers


def _case_link(**params) -> Callable[[Context], str]:
    return lambda ctx: admin_url("opinions_case", opinion__received_on__year=ctx.year, **params)


OPINION_LOOP = SectionSpec(
    "opinion_loop",
    _("Residents' opinions: the closed loop"),
    _load_opinion_loop,
    (
        LineSpec(
            _("· solved as confirmed by the resident / as declared only"),
            (
                Fig("opinions_solved_confirmed", "solved_confirmed"),
                Fig("opinions_solved_declared", "solved_declared"),
            ),
            "",
            _case_link(status=Case.Status.SOLVED),
        ),
        LineSpec(
            _("Sent to handling units / answered on time"),
            (
                Fig("opinions_forwarded", "forwarded"),
                Fig("opinions_answered_on_time", "answered_on_time"),
            ),
            "",
            _case_link(),
        ),
        LineSpec(
            _("Closed without the resident's confirmation"),
            (Fig("opinions_not_confirmed", "not_confirmed"),),
            "",
            _case_link(status=Case.Status.NOT_CONFIRMED),
        ),
        LineSpec(
            _("Deputies in constituents' WeChat groups (亮身份)"),
            (Fig("deputies_in_wechat_groups", "in_wechat_groups"),),
            "组织代表加入所在村、社区民声微信群",
            lambda ctx: admin_url("opinions_wechatgroup"),
        ),
    ),
)


def _load_legislation(ctx: Context) -> dict:
    # The legislation app's records, as the month's rollup counts them (anping.reports.figures).
    return {code: ctx.get("legislation", code) for code in legislation_figures.LABELS}


LEGISLATION = SectionSpec(
    "legislation",
    legislation_figures.AREA_LABEL,
    _load_legislation,
    (
        LineSpec(
            legislation_figures.YEAR_LINE,
            tuple(
                Fig(f"legislation_{code}", code)
                for code in (
                    "drafts",
                    "rounds",
                    "deputies_invited",
                    "deputies_commented",
                    "comments",
                    "comments_adopted",
                )
            ),
            "65名法学、消防界的人大代表参与……提出有价值的意见建议54条",
            lambda ctx: admin_url("legislation_round"),
        ),
    ),
)


SECTIONS: list[SectionSpec] = [
    DEPUTIES,
    ACTIVITIES,
    OPINION_LOOP,
    GROUPS_AND_STATIONS,
    SPECIAL_ACTIVITIES,
    LEGISLATION,
    SUGGESTIONS,
    LIVELIHOOD,
]


def register(section: SectionSpec, *, after: str | None = None) -> None:
    """Add a section to the page (and its figures to the JSON), after the section named
    `after` or at the end. Keys must be new: a figure's key names one figure only."""
    taken = set(all_keys())
    new = [f.key for line in section.lines for f in line.figures]
    clash = taken.intersection(new) or len(set(new)) != len(new)
    if clash:
        raise ValueError(f"year figure keys already taken: {sorted(taken.intersection(new))}")
    keys = [s.key for s in SECTIONS]
    if section.key in keys:
        raise ValueError(f"year page section {section.key} exists already")
    SECTIONS.insert(keys.index(after) + 1 if after else len(SECTIONS), section)
