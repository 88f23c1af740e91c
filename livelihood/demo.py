"""Demo livelihood projects for Anyang: votes three years running (2022–2024), the 2024 round in
full (ideas, 15 candidates for 10 places, a published vote with paper ballots, 10 projects with
plans, milestones, progress and supervision, the year-end rating), and a 2027 round collecting
ideas now whose vote is prepared for the demo deputy to try once staff open it."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from anping.accounts.models import User
from anping.orgs.models import Organisation
from deputies.models import Mandate

from . import services
from .models import (
    Ballot,
    Candidate,
    Mark,
    Milestone,
    Participation,
    Poll,
    PollTransition,
    ProgressReport,
    Project,
    Round,
    Suggestion,
    Supervision,
)

# (title, unit, target, funds in 10,000 yuan, appeal 0–1: how many deputies mark it)
CANDIDATES_2024 = [
    (
        "城镇老旧小区改造提升",
        "住房和城乡建设局",
        "改造老旧小区120个、惠及居民1.8万户",
        "32000",
        0.92,
    ),
    ("中小学课后延时服务全覆盖", "教育局", "城区中小学课后服务覆盖率100%", "4600", 0.88),
    ("城区易涝积水点治理", "城市管理局", "治理易涝积水点35处", "9800", 0.86),
    ("社区养老服务中心建设", "民政局", "新建社区养老服务中心20个", "6200", 0.84),
    ("农村饮水安全巩固提升", "水利局", "提升农村供水工程45处、受益群众26万人", "15500", 0.81),
    ("公办幼儿园扩容", "教育局", "新增公办学位4500个", "12800", 0.79),
    ("背街小巷照明改造", "城市管理局", "改造背街小巷路灯3200盏", "2100", 0.76),
    ("城乡公交一体化", "交通运输局", "新开、优化城乡公交线路18条", "5400", 0.73),
    ("口袋公园和街头游园建设", "自然资源和规划局", "新建口袋公园30个", "3900", 0.70),
    ("基层医疗卫生服务能力提升", "卫生健康委员会", "改造提升乡镇卫生院20所", "8700", 0.66),
    ("公共充电桩进社区", "发展和改革委员会", "新建社区公共充电桩2000个", "3000", 0.44),
    ("农贸市场标准化改造", "商务局", "改造农贸市场12个", "2600", 0.38),
    ("残疾儿童康复救助", "民政局", "救助残疾儿童1200名", "1500", 0.35),
    ("食品安全快检进市场", "市场监督管理局", "建设食品快检室40个", "800", 0.31),
    ("公共停车泊位建设", "公安局", "新增公共停车泊位6000个", "4200", 0.27),
]
OLDER = {
    2022: [
        "城区集中供暖扩面",
        "农村公路提档升级",
        "中小学校舍改造",
        "社区卫生服务中心标准化",
        "城区道路“白改黑”",
        "农村户厕改造",
        "城市书房建设",
        "老年助餐点建设",
        "困难群众医疗救助",
        "菜市场升级改造",
        "城区公厕新建改造",
        "学生营养改善",
    ],
    2023: [
        "城区供水管网改造",
        "普惠托育机构建设",
        "乡村学校少年宫",
        "城市绿道建设",
        "老年人居家适老化改造",
        "中心城区交通拥堵治理",
        "农村生活污水治理",
        "公共文化数字化",
        "全民健身场地设施",
        "就业技能培训",
        "社区嵌入式服务设施",
        "城区雨污分流改造",
    ],
}
IDEAS = [
    ("public", "小区加装电梯补贴", "老旧小区老人上下楼难，希望政府对加装电梯给予补贴。"),
    ("public", "学校门口交通疏导", "上下学高峰学校门口拥堵，建议设置临时停车和护学岗。"),
    ("deputy", "背街小巷路灯", "多条背街小巷夜间无照明，群众出行不安全。"),
    ("deputy", "乡镇卫生院设备更新", "乡镇卫生院设备老化，群众看病往城里跑。"),
    ("department", "城乡公交线路优化", "部分行政村未通公交，建议优化城乡公交网络。"),
    ("public", "社区充电桩", "电动汽车增多，小区内缺少公共充电桩。"),
    ("deputy", "农村饮水提质", "部分村庄水质硬度高，建议实施饮水提质工程。"),
    ("department", "口袋公园", "利用边角地建设口袋公园，方便群众就近休闲。"),
]


def _unit(units: list[Organisation], key: str) -> Organisation:
    return next((u for u in units if key in u.name), units[0])


def _backdate(poll: Poll, opened: dt.datetime, closed: dt.datetime, published: dt.datetime):
    """The demo happens in the past: give its steps the dates they had."""
    Poll.objects.filter(pk=poll.pk).update(
        opened_at=opened, closed_at=closed, published_at=published
    )
    stamps = {
        Poll.Status.OPEN: opened,
        Poll.Status.CLOSED: closed,
        Poll.Status.PUBLISHED: published,
    }
    for to, at in stamps.items():
        PollTransition.objects.filter(poll=poll, to_status=to).update(at=at)


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _cast_in_bulk(rng, poll: Poll, voters: list[int], ballots: list[list[tuple[int, str]]]) -> None:
    """Write participations and ballots as the hall would, in bulk for speed; the close then
    rewrites them in a random order like any other."""
    Participation.objects.bulk_create(
        Participation(poll=poll, person_id=p, channel=Participation.Channel.ONLINE) for p in voters
    )
    rows, marks = [], []
    for ballot_marks in ballots:
        ballot = Ballot(id=uuid.UUID(int=rng.getrandbits(128), version=4), poll=poll)
        rows.append(ballot)
        marks += [
            Mark(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                ballot=ballot,
                candidate_id=c,
                grade=g,
            )
            for c, g in ballot_marks
        ]
    rng.shuffle(rows)
    Ballot.objects.bulk_create(rows, batch_size=1000)
    Mark.objects.bulk_create(marks, batch_size=5000)


def _round(
    ctx, staff, year: int, titles: list[tuple], places: int, turnout: float, opened: dt.date
):
    """A round with its candidates and a published vote; returns the round."""
    rng = ctx.rng
    term = ctx.made["city_term"]
    units = ctx.made["units"]
    round_ = Round.objects.create(
        term=term,
        year=year,
        title=f"{year}年安阳市民生实事项目",
        collection_start=dt.date(year - 1, 10, 1),
        collection_end=dt.date(year - 1, 11, 30),
    )
    Candidate.objects.bulk_create(
        Candidate(
            round=round_,
            number=i + 1,
            title=title,
            description=f"{title}：由{unit}牵头，{year}年内实施。",
            unit=_unit(units, unit),
            target=target,
            funds=Decimal(funds),
            timeline=f"{year}年3月启动，11月底前完成",
        )
        for i, (title, unit, target, funds, _appeal) in enumerate(titles)
    )
    poll = services.poll_save_settings(
        poll=Poll(round=round_, places=places, max_marks=places), by=staff
    )
    poll = services.poll_open(poll=poll, by=staff)
    serving = list(
        Mandate.objects.filter(term=term, status=Mandate.Status.SERVING)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    demo_person = ctx.made["deputy_user"].deputy.pk
    voters = [p for p in serving if p == demo_person or rng.random() < turnout]
    paper = voters[-6:] if year == 2024 else []
    online = voters[: len(voters) - len(paper)]
    candidates = list(round_.candidates.order_by("number"))
    appeal = [t[4] for t in titles]

    def one_ballot():
        chosen = [c.pk for c, a in zip(candidates, appeal, strict=True) if rng.random() < a]
        return [(c, "") for c in chosen[:places]]

    _cast_in_bulk(rng, poll, online, [one_ballot() for _ in online])
    for person_id in paper:
        services.paper_voter_mark(
            poll=poll, person=Mandate.objects.filter(person_id=person_id).first().person, by=staff
        )
    if paper:
        counts = {}
        for _ in range(len(paper) - 1):  # one paper ballot spoiled
            for c, _g in one_ballot():
                counts[c] = counts.get(c, 0) + 1
        services.paper_tally_enter(poll=poll, invalid=1, counts=counts, by=staff)
    services.poll_close(poll=poll, by=staff)
    services.poll_publish(poll=poll, by=staff, today=opened + dt.timedelta(days=1))
    _backdate(
        poll, _aware(opened, 9), _aware(opened, 11), _aware(opened + dt.timedelta(days=1), 15)
    )
    return round_


def _implementation(ctx, round_: Round, unit_user: User, finished: bool) -> None:
    """Plans, milestones, monthly progress reports (two projects lag in 2024) and supervision."""
    rng = ctx.rng
    year = round_.year
    projects = list(round_.projects.order_by("candidate__number"))
    milestones, reports = [], []
    for i, p in enumerate(projects):
        p.start_date = dt.date(year, 3, 1)
        p.end_date = dt.date(year, 11, 30)
        p.plan = (
            f"一、{year}年3月完成方案设计和资金落实；二、6月底前完成招标并全面开工；"
            f"三、10月底前主体完工；四、11月底前验收交付并接受代表满意度测评。"
        )
        lagging = not finished and i in (3, 8)
        milestones += [
            Milestone(
                project=p,
                title="完成招标",
                due_date=dt.date(year, 5, 31),
                done_on=dt.date(year, 5, 20 + i % 8),
            ),
            Milestone(
                project=p,
                title="全面开工",
                due_date=dt.date(year, 6, 30),
                done_on=dt.date(year, 6, 25),
            ),
            Milestone(
                project=p,
                title="主体完工",
                due_date=dt.date(year, 10, 31),
                done_on=None if lagging else dt.date(year, 10, 20 + i % 10),
            ),
        ]
        final = 100 if not lagging else rng.choice((72, 78))
        for month in range(3, 12):
            percent = min(final, round(final * (month - 2) / 9))
            reports.append(
                ProgressReport(
                    project=p,
                    percent=percent,
                    text=f"{p.title}：截至{month}月底，累计完成{percent}%，"
                    + ("已验收交付。" if percent == 100 else "各项工作按计划推进。"),
                    reported_on=dt.date(year, month, 28),
                    filed_by=unit_user if p.unit_id == unit_user.organisation_id else None,
                )
            )
            if percent == 100:
                p.completed_on = dt.date(year, month, 28)
                break
    Project.objects.bulk_update(projects, ["start_date", "end_date", "plan", "completed_on"])
    Milestone.objects.bulk_create(milestones)
    ProgressReport.objects.bulk_create(reports)
    if not finished:
        try:
            from stations.models import Activity
        except ImportError:  # the stations app is not installed
            return
        activities = list(
            Activity.objects.filter(kind=Activity.Kind.LIVELIHOOD, date__year=year).order_by(
                "date", "pk"
            )
        )
        Supervision.objects.bulk_create(
            Supervision(project=projects[i % len(projects)], activity=a)
            for i, a in enumerate(activities)
        )


def _rating(ctx, staff, round_: Round, day: dt.date) -> None:
    rng = ctx.rng
    poll = services.poll_save_settings(poll=Poll(round=round_, kind=Poll.Kind.RATING), by=staff)
    poll = services.poll_open(poll=poll, by=staff)
    voters = [
        p
        for p in Mandate.objects.filter(term=round_.term, status=Mandate.Status.SERVING)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        if rng.random() < 0.86
    ]
    projects = list(round_.projects.order_by("candidate__number"))

    def grade(p):
        good = 0.8 if p.completed_on else 0.3
        r = rng.random()
        return (
            Mark.Grade.SATISFIED
            if r < good
            else Mark.Grade.BASIC
            if r < good + 0.15
            else Mark.Grade.NOT_SATISFIED
        )

    _cast_in_bulk(
        rng, poll, voters, [[(p.candidate_id, grade(p)) for p in projects] for _ in voters]
    )
    services.poll_close(poll=poll, by=staff)
    services.poll_publish(poll=poll, by=staff)
    _backdate(poll, _aware(day, 9), _aware(day, 11), _aware(day + dt.timedelta(days=2), 15))


def seed(ctx) -> None:
    staff = User.objects.get(username="city")
    unit_user = User.objects.get(username="unit")
    for year, titles in OLDER.items():
        rows = [
            (
                t,
                CANDIDATES_2024[i % 10][1],
                "按计划完成",
                "3000",
                0.92 - i * 0.02 if i < 10 else 0.3,
            )
            for i, t in enumerate(titles)
        ]
        round_ = _round(ctx, staff, year, rows, places=10, turnout=0.9, opened=dt.date(year, 1, 12))
        _implementation(ctx, round_, unit_user, finished=True)

    round_ = _round(
        ctx, staff, 2024, CANDIDATES_2024, places=10, turnout=0.91, opened=dt.date(2024, 1, 21)
    )
    Suggestion.objects.bulk_create(
        Suggestion(
            round=round_,
            source=source,
            title=title,
            description=text,
            submitter_name={"public": "市民", "deputy": "市人大代表", "department": "市直部门"}[
                source
            ],
            status=Suggestion.Status.ADOPTED,
        )
        for source, title, text in IDEAS
    )
    _implementation(ctx, round_, unit_user, finished=False)
    _rating(ctx, staff, round_, dt.date(2024, 12, 18))

    # Next year's round: ideas being collected now, the list drafted, the vote prepared.
    upcoming = Round.objects.create(
        term=ctx.made["city_term"],
        year=2027,
        title="2027年安阳市民生实事项目",
        collection_start=dt.date(2026, 10, 1),
        collection_end=dt.date(2026, 12, 31),
    )
    units = ctx.made["units"]
    Candidate.objects.bulk_create(
        Candidate(
            round=upcoming,
            number=i + 1,
            title=title,
            description=f"{title}（2027年候选项目）",
            unit=_unit(units, unit),
            target=target,
            funds=Decimal(funds),
            timeline="2027年3月启动，11月底前完成",
        )
        for i, (title, unit, target, funds, _a) in enumerate(CANDIDATES_2024[:12])
    )
    services.poll_save_settings(poll=Poll(round=upcoming, places=8, max_marks=8), by=staff)
    ctx.say(
        "  livelihood projects: votes 2022–2024, 2024's 10 projects with progress and rating, 2027 vote prepared"
    )
