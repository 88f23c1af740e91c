"""Demo livelihood projects for Anyang, in the years the other apps' demos cover, step by step
(`seed` reads as the list of them):

1. `_history`: the votes of 2022 and 2023 and their finished projects (three years running);
2. `_year_2024`: the 2024 round in full: ideas, 15 candidates for 10 places, the vote in the
   January session with paper ballots, 10 projects with plans, milestones, monthly progress (two
   lag) and deputies' supervision, the year-end rating in December;
3. `_current_year`: this year's round to date: the vote in this year's session, its projects
   under way with progress up to last month (no rating yet: the year is not over);
4. `_upcoming`: next year's round collecting ideas, its vote prepared for the demo deputy to try
   once staff open it."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from anping.accounts.models import User
from anping.orgs.models import Organisation
from deputies.models import Mandate, Session

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
# This year's list: (title, unit, target, funds, appeal), as CANDIDATES_2024.
CANDIDATES_CURRENT = [
    ("城市更新和老旧街区改造", "住房和城乡建设局", "改造老旧街区15片", "28000", 0.9),
    ("普惠托育服务扩容", "卫生健康委员会", "新增普惠托位3000个", "5200", 0.87),
    ("中心城区雨污分流", "城市管理局", "改造雨污合流管网60公里", "18600", 0.85),
    ("老年助餐服务网络", "民政局", "建成老年助餐点150个", "3600", 0.83),
    ("农村供水城乡一体化", "水利局", "新增城乡一体化供水人口18万人", "16800", 0.8),
    ("义务教育学校扩容提质", "教育局", "新增义务教育学位9000个", "21000", 0.78),
    ("全民健身设施补短板", "体育局", "新建社区健身场地80处", "2400", 0.75),
    ("城乡客运公交化改造", "交通运输局", "改造城乡客运线路22条", "4800", 0.72),
    ("背街小巷综合整治", "城市管理局", "整治背街小巷120条", "6900", 0.69),
    ("县域医疗次中心建设", "卫生健康委员会", "建设县域医疗次中心8个", "9500", 0.65),
    ("智慧停车系统", "公安局", "接入公共泊位2万个", "3100", 0.41),
    ("社区食堂建设", "商务局", "建设社区食堂40个", "1900", 0.36),
    ("无障碍环境建设", "民政局", "改造无障碍设施500处", "1200", 0.33),
    ("农贸市场智慧化改造", "市场监督管理局", "改造农贸市场10个", "2200", 0.3),
]
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


def _vote_day(term, year: int) -> dt.date:
    """The vote is taken during the congress's session of the year (its third day)."""
    session = (
        Session.objects.filter(term=term, start_date__year=year).order_by("start_date").first()
    )
    return session.start_date + dt.timedelta(days=2) if session else dt.date(year, 1, 20)


def _plan(project: Project, year: int) -> None:
    project.start_date = dt.date(year, 3, 1)
    project.end_date = dt.date(year, 11, 30)
    project.plan = (
        f"一、{year}年3月完成方案设计和资金落实；二、6月底前完成招标并全面开工；"
        f"三、10月底前主体完工；四、11月底前验收交付并接受代表满意度测评。"
    )


def _milestones(project: Project, i: int, year: int, until: dt.date, lagging: bool):
    due_done = [
        ("完成招标", dt.date(year, 5, 31), dt.date(year, 5, 20 + i % 8)),
        ("全面开工", dt.date(year, 6, 30), dt.date(year, 6, 25)),
        ("主体完工", dt.date(year, 10, 31), None if lagging else dt.date(year, 10, 20 + i % 10)),
    ]
    return [
        Milestone(
            project=project,
            title=title,
            due_date=due,
            done_on=done if done is not None and done <= until else None,
        )
        for title, due, done in due_done
    ]


def _reports(rng, project: Project, year: int, until: dt.date, lagging: bool, unit_user):
    """Monthly reports from March to the last month-end before `until`; 100% completes it."""
    final = 100 if not lagging else rng.choice((72, 78))
    reports = []
    for month in range(3, 12):
        day = dt.date(year, month, 28)
        if day >= until:
            break
        percent = min(final, round(final * (month - 2) / 9))
        reports.append(
            ProgressReport(
                project=project,
                percent=percent,
                text=f"{project.title}：截至{month}月底，累计完成{percent}%，"
                + ("已验收交付。" if percent == 100 else "各项工作按计划推进。"),
                reported_on=day,
                filed_by=unit_user if project.unit_id == unit_user.organisation_id else None,
            )
        )
        if percent == 100:
            project.completed_on = day
            break
    return reports


def _supervision(projects: list[Project], year: int) -> None:
    """The year's deputies' supervision activities (from the stations demo), one project each."""
    from stations.models import Activity

    activities = list(
        Activity.objects.filter(kind=Activity.Kind.LIVELIHOOD, date__year=year).order_by(
            "date", "pk"
        )
    )
    Supervision.objects.bulk_create(
        Supervision(project=projects[i % len(projects)], activity=a)
        for i, a in enumerate(activities)
    )


def _implementation(
    ctx, round_: Round, unit_user: User, *, until: dt.date, lagging=(), supervised=False
) -> None:
    """Plans, milestones and monthly progress reports up to `until` (the projects numbered in
    `lagging` fall behind), and the year's supervision activities when `supervised`."""
    year = round_.year
    projects = list(round_.projects.order_by("candidate__number"))
    milestones, reports = [], []
    for i, p in enumerate(projects):
        _plan(p, year)
        behind = i in lagging
        milestones += _milestones(p, i, year, until, behind)
        reports += _reports(ctx.rng, p, year, until, behind, unit_user)
    Project.objects.bulk_update(projects, ["start_date", "end_date", "plan", "completed_on"])
    Milestone.objects.bulk_create(milestones)
    ProgressReport.objects.bulk_create(reports)
    if supervised:
        _supervision(projects, year)


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


def _history(ctx, staff, unit_user) -> None:
    """2022 and 2023: votes in January, every project finished."""
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
        _implementation(ctx, round_, unit_user, until=dt.date(year, 12, 31))


def _ideas(round_: Round) -> None:
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


def _year_2024(ctx, staff, unit_user) -> None:
    """The whole cycle of a year: ideas, vote, implementation with supervision, rating."""
    day = _vote_day(ctx.made["city_term"], 2024)
    round_ = _round(ctx, staff, 2024, CANDIDATES_2024, places=10, turnout=0.91, opened=day)
    _ideas(round_)
    _implementation(
        ctx, round_, unit_user, until=dt.date(2024, 12, 31), lagging=(3, 8), supervised=True
    )
    _rating(ctx, staff, round_, dt.date(2024, 12, 18))


def _current_year(ctx, staff, unit_user, today: dt.date) -> None:
    """This year to date: the vote in this year's session, projects under way until today."""
    day = _vote_day(ctx.made["city_term"], today.year)
    if today.year <= 2024 or day >= today:
        return  # the session has not voted yet this year
    round_ = _round(ctx, staff, today.year, CANDIDATES_CURRENT, places=10, turnout=0.9, opened=day)
    _implementation(ctx, round_, unit_user, until=today, lagging=(2,), supervised=True)


def _upcoming(ctx, staff, year: int) -> None:
    """Next year's round: ideas being collected now, the list drafted, the vote prepared."""
    upcoming = Round.objects.create(
        term=ctx.made["city_term"],
        year=year,
        title=f"{year}年安阳市民生实事项目",
        collection_start=dt.date(year - 1, 10, 1),
        collection_end=dt.date(year - 1, 12, 31),
    )
    units = ctx.made["units"]
    Candidate.objects.bulk_create(
        Candidate(
            round=upcoming,
            number=i + 1,
            title=title,
            description=f"{title}（{year}年候选项目）",
            unit=_unit(units, unit),
            target=target,
            funds=Decimal(funds),
            timeline=f"{year}年3月启动，11月底前完成",
        )
        for i, (title, unit, target, funds, _a) in enumerate(CANDIDATES_2024[:12])
    )
    services.poll_save_settings(poll=Poll(round=upcoming, places=8, max_marks=8), by=staff)


def seed(ctx) -> None:
    staff = User.objects.get(username="city")
    unit_user = User.objects.get(username="unit")
    today = timezone.localdate()
    _history(ctx, staff, unit_user)
    _year_2024(ctx, staff, unit_user)
    _current_year(ctx, staff, unit_user, today)
    _upcoming(ctx, staff, max(today.year + 1, 2025))
    ctx.say(
        f"  livelihood projects: votes 2022–2024 and {today.year}, 2024 in full with its rating, "
        f"{today.year}'s projects under way, {max(today.year + 1, 2025)}'s vote prepared"
    )
