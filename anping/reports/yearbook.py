"""The year page: every figure the committee's annual report quotes, counted from the records.

Each line says what the report said (the 2024 Anyang report, DOMAIN.md's table), the figure the
portal holds for the chosen year and region, and a link to the records behind it. A fixed number
of aggregate queries, whatever the size of the year.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from anping.regions.models import Region
from deputies.models import Mandate

from . import figures
from .periods import Period

log = logging.getLogger(__name__)

LAW_AND_FIRE = ["法律", "法学", "消防"]


@dataclass
class Line:
    label: str
    value: str
    quote: str = ""
    url: str = ""


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    missing: bool = False


def admin_url(name: str, **params) -> str:
    try:
        url = reverse(f"admin:{name}_changelist")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(params)}" if params else url


def _pct(value: int, base: int) -> str:
    return f"{value * 100 / base:.1f}%" if base else "—"


def _n(value) -> str:
    return f"{int(value or 0):,}"


def build(*, region: Region, year: int) -> list[Section]:
    period = Period.year(year)
    scopes = figures.Scopes.single(region)
    fig = figures.compute(period, scopes)
    scope = region.path
    sections: list[Section] = []
    year_q = {"date__year": year}

    # Deputies by level: persons and mandates; coverage over the year.
    s = Section(str(_("Deputies at five levels")))
    s.lines.append(
        Line(
            str(_("Deputies (persons) / mandates, all levels")),
            f"{_n(fig.get(scope, 'deputies', 'persons'))} / "
            f"{_n(fig.get(scope, 'deputies', 'mandates'))}",
            "9700多名五级人大代表",
            admin_url("deputies_mandate", status="serving"),
        )
    )
    for level, label in figures.LEVEL_LABELS.items():
        s.lines.append(
            Line(
                f"{label}",
                f"{_n(fig.get(scope, 'deputies', 'persons', level))} / "
                f"{_n(fig.get(scope, 'deputies', 'mandates', level))}",
                "",
                admin_url("deputies_mandate", status="serving", level=level),
            )
        )
    if "deputies" not in fig.missing:
        active = fig.get(scope, "deputies", "active")
        persons = fig.get(scope, "deputies", "persons")
        s.lines.append(
            Line(
                str(_("Took part in at least one activity this year (coverage)")),
                f"{_n(active)}（{_pct(active, persons)}）",
                "确保主题活动实现人大代表全覆盖",
                admin_url("stations_activity", **year_q),
            )
        )
    sections.append(s)

    # Activities, opinions.
    s = Section(str(_("Duty activities and opinions")))
    if "activities" in fig.missing:
        s.missing = True
    else:
        s.lines.append(
            Line(
                str(_("Activities (all types)")),
                _n(fig.get(scope, "activities", "count")),
                "",
                admin_url("stations_activity", **year_q),
            )
        )
        s.lines.append(
            Line(
                str(_("Inspections and surveys")),
                _n(
                    fig.get(scope, "activities", "count", "", "inspection")
                    + fig.get(scope, "activities", "count", "", "survey")
                ),
                "围绕履职添彩开展视察、调研等300余次",
                admin_url("stations_activity", kind__in="inspection,survey", **year_q),
            )
        )
        for kind, label in figures.dimension_choices("activity_kind"):
            s.lines.append(
                Line(
                    f"· {label}",
                    _n(fig.get(scope, "activities", "count", "", kind)),
                    "",
                    admin_url("stations_activity", kind=kind, **year_q),
                )
            )
    if "opinions" not in fig.missing:
        s.lines.append(
            Line(
                str(_("Opinions collected")),
                _n(fig.get(scope, "opinions", "collected")),
                "收集意见建议2000多条",
                admin_url("stations_opinion", received_on__year=year),
            )
        )
        s.lines.append(
            Line(
                str(_("Problems solved")),
                _n(fig.get(scope, "opinions", "solved")),
                "解决问题1600余个",
                admin_url("stations_opinion", status="solved", closed_on__year=year),
            )
        )
        _loop_lines(s, fig, scope, year)
    sections.append(s)

    for extra in (_groups_and_stations, _special_activities, _suggestions, _livelihood):
        try:
            with transaction.atomic():
                sections.append(extra(region=region, year=year, period=period, fig=fig))
        except (ImportError, LookupError, DatabaseError) as exc:
            log.warning("year page: %s not available: %s", extra.__name__, exc)
    return sections


def _loop_lines(s: Section, fig, scope: str, year: int) -> None:
    """Residents' opinions through the closed loop: "solved" as the resident confirmed it and
    as declared only, side by side."""

    def get(code: str, area: str = "opinions") -> int:
        return fig.get(scope, area, code)

    s.lines += [
        Line(
            str(_("· solved as confirmed by the resident / as declared only")),
            f"{_n(get('solved_confirmed'))} / {_n(get('solved_declared'))}",
            "",
            admin_url("opinions_case", status="solved", opinion__received_on__year=year),
        ),
        Line(
            str(_("Sent to handling units / answered on time")),
            f"{_n(get('forwarded'))} / {_n(get('answered_on_time'))}",
            "",
            admin_url("opinions_case", opinion__received_on__year=year),
        ),
        Line(
            str(_("Closed without the resident's confirmation")),
            _n(get("not_confirmed")),
            "",
            admin_url("opinions_case", status="unconfirmed", opinion__received_on__year=year),
        ),
        Line(
            str(_("Deputies in constituents' WeChat groups (亮身份)")),
            _n(get("in_wechat_groups", "deputies")),
            "组织代表加入所在村、社区民声微信群",
            admin_url("opinions_wechatgroup"),
        ),
    ]


def _groups_and_stations(*, region, year, period, fig) -> Section:
    from stations.models import DepartmentReport, Group, Measure, Participation, Station, Stationing

    s = Section(str(_("Groups, stations and the campaign")))
    groups = (
        Group.objects.filter(is_active=True, region__path__startswith=region.path)
        .values("level")
        .annotate(
            n=Count("pk", distinct=True),
            members=Count("memberships__person", distinct=True),
            categories=Count("category", distinct=True),
        )
        .order_by()
    )
    by_level = {row["level"]: row for row in groups}
    city = by_level.get("city", {})
    s.lines.append(
        Line(
            str(_("City professional groups / members")),
            f"{_n(city.get('n'))} / {_n(city.get('members'))}",
            "15个专业小组，135名市级以上人大代表",
            admin_url("stations_group", level="city"),
        )
    )
    lower_members = Group.objects.filter(
        is_active=True, region__path__startswith=region.path, level__in=["county", "township"]
    ).aggregate(
        n=Count("pk", distinct=True),
        members=Count("memberships__person", distinct=True),
        categories=Count("category", distinct=True),
    )
    s.lines.append(
        Line(
            str(_("County and township groups / categories / members")),
            f"{_n(lower_members['n'])} / {_n(lower_members['categories'])} / "
            f"{_n(lower_members['members'])}",
            "6个类别的89个专业代表小组，1085名各级人大代表进组",
            admin_url("stations_group"),
        )
    )
    stations = dict(
        Station.objects.filter(is_active=True, region__path__startswith=region.path)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    s.lines.append(
        Line(
            str(_("Professional liaison stations")),
            _n(stations.get(Station.Kind.PROFESSIONAL)),
            "新设5个专业代表联络站",
            admin_url("stations_station", kind=Station.Kind.PROFESSIONAL),
        )
    )
    s.lines.append(
        Line(
            str(_("All stations and demonstration points")),
            _n(sum(stations.values())),
            "",
            admin_url("stations_station"),
        )
    )
    home = Mandate.objects.filter(
        person=OuterRef("person_id"), region__path__startswith=_city_path(region)
    )
    stationed = (
        Stationing.objects.filter(
            station__region__path__startswith=region.path, start_date__lte=period.last
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.first))
        .annotate(home=Exists(home))
        .aggregate(
            persons=Count("person", distinct=True),
            stations=Count("station", distinct=True),
            outside=Count("person", distinct=True, filter=Q(home=False)),
        )
    )
    s.lines.append(
        Line(
            str(_("Deputies stationed / in stations")),
            f"{_n(stationed['persons'])} / {_n(stationed['stations'])}",
            "",
            admin_url("stations_stationing"),
        )
    )
    s.lines.append(
        Line(
            str(_("Stationed deputies from other cities")),
            _n(stationed["outside"]),
            "邀请鹤壁市、濮阳市4名省代表进驻",
            admin_url("stations_stationing"),
        )
    )
    reports = DepartmentReport.objects.filter(
        activity__date__year=year, activity__region__path__startswith=region.path
    ).aggregate(
        units=Count("unit", distinct=True),
        stations=Count("activity__station", distinct=True),
    )
    heard = (
        Participation.objects.filter(
            date__gte=period.first,
            date__lte=period.last,
            activity__region__path__startswith=region.path,
        )
        .filter(Exists(DepartmentReport.objects.filter(activity=OuterRef("activity_id"))))
        .aggregate(n=Count("person", distinct=True))
    )
    s.lines.append(
        Line(
            str(_("Deputies who heard department heads report / stations / departments")),
            f"{_n(heard['n'])} / {_n(reports['stations'])} / {_n(reports['units'])}",
            "组织了94名代表进驻11个代表联络站，面对面听取12个政府部门负责人报告",
            admin_url("stations_departmentreport"),
        )
    )
    measures = Measure.objects.filter(
        campaign__year=year, campaign__region__path__startswith=region.path
    ).aggregate(n=Count("pk"), done=Count("pk", filter=Q(status=Measure.Status.DONE)))
    s.lines.append(
        Line(
            str(_("Campaign measures carried out / planned")),
            f"{_n(measures['done'])} / {_n(measures['n'])}",
            "12项举措均全部落实到位",
            admin_url("stations_measure", status=Measure.Status.DONE),
        )
    )
    return s


def _city_path(region: Region) -> str:
    if region.kind == Region.Kind.CITY:
        return region.path
    return region.path.rsplit("/", 2)[0] + "/"


def _special_activities(*, region, year, period, fig) -> Section:
    from stations.models import Activity, Opinion, Participation

    s = Section(str(_("Legislation, budget review and publicity")))
    in_scope = {"date__gte": period.first, "date__lte": period.last}
    K = Activity.Kind
    acts = dict(
        Activity.objects.filter(
            region__path__startswith=region.path,
            kind__in=[K.LEGISLATION, K.BUDGET_REVIEW, K.PUBLICITY, K.LIVELIHOOD],
            **in_scope,
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people = Participation.objects.filter(
        activity__region__path__startswith=region.path, **in_scope
    ).aggregate(
        legislation_experts=Count(
            "person",
            distinct=True,
            filter=Q(activity__kind=K.LEGISLATION, person__expertise__name__in=LAW_AND_FIRE),
        ),
        budget=Count("person", distinct=True, filter=Q(activity__kind=K.BUDGET_REVIEW)),
        livelihood=Count("person", distinct=True, filter=Q(activity__kind=K.LIVELIHOOD)),
    )
    S = Opinion.Status
    ops = Opinion.objects.filter(
        region__path__startswith=region.path, received_on__year=year
    ).aggregate(
        legislation=Count("pk", filter=Q(activity__kind=K.LEGISLATION)),
        budget=Count("pk", filter=Q(activity__kind=K.BUDGET_REVIEW)),
        budget_adopted=Count("pk", filter=Q(activity__kind=K.BUDGET_REVIEW, status=S.ADOPTED)),
        budget_decided=Count(
            "pk",
            filter=Q(activity__kind=K.BUDGET_REVIEW, status__in=[S.ADOPTED, S.NOT_ADOPTED]),
        ),
        publicity=Count("pk", filter=Q(activity__kind=K.PUBLICITY)),
        wechat=Count("pk", filter=Q(channel=Opinion.Channel.WECHAT)),
    )
    s.lines += [
        Line(
            str(_("Law and fire-safety deputies in legislation consultations / their opinions")),
            f"{_n(people['legislation_experts'])} / {_n(ops['legislation'])}",
            "65名法学、消防界的人大代表参与……提出有价值的意见建议54条",
            admin_url("stations_activity", kind=K.LEGISLATION, date__year=year),
        ),
        Line(
            str(_("Budget reviews / deputies taking part / opinions / adopted")),
            f"{_n(acts.get(K.BUDGET_REVIEW))} / {_n(people['budget'])} / {_n(ops['budget'])} / "
            f"{_pct(ops['budget_adopted'], ops['budget_decided'])}",
            "107名代表先后进行了9次审查，提出意见建议60余条，采纳率达85%",
            admin_url("stations_activity", kind=K.BUDGET_REVIEW, date__year=year),
        ),
        Line(
            str(_("Publicity sessions / ideas from the public")),
            f"{_n(acts.get(K.PUBLICITY))} / {_n(ops['publicity'])}",
            "深入基层一线宣讲160余场，汇集……意见建议265件",
            admin_url("stations_activity", kind=K.PUBLICITY, date__year=year),
        ),
        Line(
            str(_("Opinions from constituents' WeChat groups")),
            _n(ops["wechat"]),
            "组织代表加入所在村、社区民声微信群",
            admin_url("stations_opinion", channel=Opinion.Channel.WECHAT, received_on__year=year),
        ),
        Line(
            str(_("Livelihood-project supervisions / deputies taking part")),
            f"{_n(acts.get(K.LIVELIHOOD))} / {_n(people['livelihood'])}",
            "先后组织200余名代表参与……调研、监督30余次",
            admin_url("stations_activity", kind=K.LIVELIHOOD, date__year=year),
        ),
    ]
    return s


def _suggestions(*, region, year, period, fig) -> Section:
    from proposals.models import Evaluation, Suggestion, SupervisionEvent

    s = Section(str(_("Suggestions and satisfaction")))
    scope = region.path
    filed = fig.get(scope, "suggestions", "filed")
    s.lines.append(
        Line(
            str(_("Suggestions filed / registered / answered / answered on time")),
            f"{_n(filed)} / {_n(fig.get(scope, 'suggestions', 'registered'))} / "
            f"{_n(fig.get(scope, 'suggestions', 'answered'))} / "
            f"{_n(fig.get(scope, 'suggestions', 'on_time'))}",
            "",
            admin_url("proposals_suggestion", year=year),
        )
    )
    fb = fig.get(scope, "suggestions", "feedback")
    s.lines.append(
        Line(
            str(_("Feedback: satisfied / basically / not satisfied (satisfaction rate)")),
            f"{_n(fig.get(scope, 'suggestions', 'satisfied'))} / "
            f"{_n(fig.get(scope, 'suggestions', 'basic'))} / "
            f"{_n(fig.get(scope, 'suggestions', 'not_satisfied'))}"
            f"（{_pct(fig.get(scope, 'suggestions', 'satisfaction'), fb)}）",
            "提高了……对建议办理的满意度",
            admin_url("proposals_feedback"),
        )
    )
    start, stop = period.start, period.stop
    key = Suggestion.objects.filter(
        region__path__startswith=region.path,
        is_key=True,
        key_chosen_at__gte=start,
        key_chosen_at__lt=stop,
    ).aggregate(
        chosen=Count("pk"),
        supervised=Count(
            "pk", filter=Q(Exists(SupervisionEvent.objects.filter(suggestion=OuterRef("pk"))))
        ),
        evaluated=Count(
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
    s.lines.append(
        Line(
            str(_("Key suggestions: chosen / supervised / evaluated")),
            f"{_n(key['chosen'])} / {_n(key['supervised'])} / {_n(key['evaluated'])}",
            "严把重点建议确定、督办、评价“三个关口”",
            admin_url("proposals_suggestion", is_key=1),
        )
    )
    third = Evaluation.objects.filter(
        suggestion__region__path__startswith=region.path, created_at__gte=start, created_at__lt=stop
    ).aggregate(n=Count("pk"), done=Count("pk", filter=Q(status=Evaluation.Status.DONE)))
    s.lines.append(
        Line(
            str(_("Third-party evaluations requested / with a verdict")),
            f"{_n(third['n'])} / {_n(third['done'])}",
            "对办理结果反馈为不满意或办理结果存在争议的建议进行评估",
            admin_url("proposals_evaluation"),
        )
    )
    return s


def _livelihood(*, region, year, period, fig) -> Section:
    from livelihood.models import Round

    s = Section(str(_("Livelihood projects")))
    scope = region.path
    rounds = Round.objects.filter(
        term__congress__region__path__startswith=region.path, year__lte=year
    ).aggregate(years=Count("year", distinct=True))
    projects = fig.get(scope, "livelihood", "projects")
    s.lines += [
        Line(
            str(_("Years with livelihood projects chosen by vote (up to this year)")),
            _n(rounds["years"]),
            "连续三年市人代会票决民生实事",
            admin_url("livelihood_round"),
        ),
        Line(
            str(_("Projects this year / completed")),
            f"{_n(projects)} / {_n(fig.get(scope, 'livelihood', 'completed'))}",
            "今年10组民生实事项目",
            admin_url("livelihood_project", round__year=year),
        ),
        Line(
            str(_("Year-end rating: satisfied or basically satisfied")),
            _pct(fig.get(scope, "livelihood", "rating"), fig.get(scope, "livelihood", "rated")),
            "年底将组织代表对项目完成情况开展满意度测评",
            admin_url("livelihood_poll", kind="rating"),
        ),
    ]
    return s
