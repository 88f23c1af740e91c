"""Demo data of the loop: the 2024 opinions stations.demo made, each carried through its case
(dispatched, answered by a unit, confirmed by the resident or by a follow-up call, or left
unconfirmed), so that the year page's "solved" comes from replies and confirmations; 2026 to
date, residents' opinions from the cards in every state of the loop; deputies' WeChat groups;
cards for the demo deputy and the stations.

Rows are written in bulk (a year of cases in seconds); they are the rows the services would
have written, dates included."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.models import Region
from anping.workdays import calendar
from deputies.models import Mandate, Person
from stations.models import Activity, Opinion, Station

from .models import Card, Case, CaseStep, WeChatGroup
from .services import CODE_ALPHABET

S = Case.Status
O = Opinion.Status  # noqa: E741 (the stations outcome, beside the case's status)
ANSWERS = {
    "urban": "已安排维修队现场处置，相关设施已恢复使用。",
    "transport": "已会同交警部门优化信号配时并增设标线。",
    "education": "已协调学校调整放学时段并增加托管服务。",
    "health": "已督促社区卫生服务中心延长门诊时间。",
    "ecology": "已责令企业整改，执法人员复查达标。",
    "agriculture": "已协调农技人员上门指导并落实补贴。",
    "social": "已将符合条件的老人纳入居家养老服务。",
    "safety": "已组织排查隐患，加装防护设施。",
}
DEFAULT_ANSWER = "已按程序办理，并向群众当面说明办理情况。"


def _code(rng) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _i in range(10))


def _phone(rng) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def seed(ctx) -> None:
    rng = ctx.rng
    city = ctx.made["city"]
    staff = User.objects.filter(username="city").first()
    unit_user = User.objects.filter(username="unit").first()
    units = list(Organisation.objects.handling_units().filter(region=city).order_by("pk"))
    if not units:
        return
    demo_unit = unit_user.organisation if unit_user else units[0]
    today = timezone.localdate()

    # Townships run their own governments, and the 12345 hotline takes a recorded hand-off.
    townships = list(Region.objects.filter(kind=Region.Kind.TOWNSHIP).order_by("path"))
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{t.parent.name}{t.name}{'办事处' if t.name.endswith('街道') else '人民政府'}",
                short_name=t.name,
                kind=Organisation.Kind.TOWNSHIP,
                region=t,
            )
            for t in Region.objects.filter(kind=Region.Kind.TOWNSHIP).select_related("parent")
        ]
        + [
            Organisation(
                name="安阳市12345政务服务便民热线",
                short_name="12345热线",
                kind=Organisation.Kind.HOTLINE,
                region=city,
            )
        ],
        ignore_conflicts=True,
    )
    township_gov = {
        o.region_id: o for o in Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP)
    }

    cases: list[Case] = []
    steps: list[tuple[int, list[tuple]]] = []  # (index in cases, [(from, to, by, at, why, unit)])
    changed: dict[int, Opinion] = {}  # 2024 opinions whose unit or settling day the loop set

    def unit_for(o: Opinion) -> Organisation:
        if o.forwarded_to_id:
            return o.forwarded_to
        gov = township_gov.get(o.region_id)
        return gov if gov is not None and rng.random() < 0.4 else rng.choice(units)

    # --- 2024: every constituent opinion through its case --------------------------------------
    review = {Activity.Kind.BUDGET_REVIEW, Activity.Kind.LEGISLATION}
    legacy = (
        Opinion.objects.filter(received_on__year=2024)
        .exclude(activity__kind__in=review)
        .select_related("forwarded_to", "taken_by")
        .order_by("pk")
    )
    for o in legacy:
        day = o.received_on
        settled = o.closed_on or min(day + dt.timedelta(days=20), today)
        case = Case(opinion=o, code=_code(rng), phone=_phone(rng), created_at=_at(day, 9))
        trail = [("", S.NEW, None, _at(day, 9), "群众反映（代表收集）", None)]
        if o.status in (O.SOLVED, O.FORWARDED):
            unit = unit_for(o)
            if o.forwarded_to_id != unit.pk:
                o.forwarded_to = unit
                changed[o.pk] = o
            sent = min(day + dt.timedelta(days=rng.randint(1, 3)), settled)
            due = calendar.deadline_after_working_days(sent, 15, start_label="转办日")
            case.unit, case.dispatched_at, case.due = unit, _at(sent, 10), due.date
            case.due_explained = due.explanation[:300]
            trail.append((S.NEW, S.PROPOSED, o.taken_by.user, _at(sent, 9), "建议转办", None))
            trail.append((S.PROPOSED, S.DISPATCHED, staff, _at(sent, 10), "请按期答复", unit))
            if o.status == O.FORWARDED:
                case.status = S.DISPATCHED
            else:
                # Nine in ten units answer in time; the opinion settles on the answer's day.
                if rng.random() < 0.9:
                    answered = max(min(settled, due.date), sent)
                else:
                    answered = due.date + dt.timedelta(days=rng.randint(1, 6))
                if o.closed_on != answered:
                    o.closed_on = answered
                    changed[o.pk] = o
                case.status, case.outcome = S.ANSWERED, Case.Outcome.SOLVED
                case.answer = ANSWERS.get(o.topic, DEFAULT_ANSWER)
                case.answered_at, case.answered_on_time = _at(answered, 15), answered <= due.date
                trail.append((S.DISPATCHED, S.ANSWERED, None, _at(answered, 15), case.answer, unit))
                roll = rng.random()
                if roll < 0.82:
                    by_call = rng.random() < 0.55
                    case.status, case.by_call = S.SOLVED, by_call
                    case.satisfaction = rng.choices(
                        list(Case.Satisfaction.values), weights=[78, 19, 3]
                    )[0]
                    confirmed = answered + dt.timedelta(days=rng.randint(1, 10))
                    case.confirmed_at = _at(confirmed, 11)
                    how = "电话回访" if by_call else "群众本人"
                    trail.append(
                        (S.ANSWERED, S.SOLVED, staff if by_call else None, case.confirmed_at,
                         f"已解决（{how}）", None)
                    )  # fmt: skip
                else:
                    case.status = S.NOT_CONFIRMED
                    trail.append(
                        (S.ANSWERED, S.NOT_CONFIRMED, None, _at(answered + dt.timedelta(days=16), 3),
                         "群众逾期未确认", None)
                    )  # fmt: skip
        elif o.status == O.SUGGESTION:
            case.status = S.SUGGESTION
            case.answer = "已转为代表建议，提交本级人大常委会。"
            trail.append(
                (S.NEW, S.SUGGESTION, o.taken_by.user, _at(settled, 10), case.answer, None)
            )
        elif o.status == O.CLOSED:
            case.status = S.CLOSED
            case.answer = "已向群众解释说明相关政策。"
            trail.append((S.NEW, S.CLOSED, o.taken_by.user, _at(settled, 10), case.answer, None))
        cases.append(case)
        steps.append((len(cases) - 1, trail))
    Opinion.objects.bulk_update(
        list(changed.values()), ["forwarded_to", "closed_on"], batch_size=2000
    )

    # --- 2026 to date: residents' opinions from the cards, in every state --------------------
    demo_person = Person.objects.filter(user=ctx.made.get("deputy_user")).first()
    seats = list(
        Mandate.objects.serving()
        .filter(region__path__startswith=city.path, person__user__isnull=False)
        .values_list("person_id", "region_id")[:200]
    )
    if demo_person is not None:
        seats.insert(0, (demo_person.pk, None))
    regions = {r.pk: r for r in Region.objects.filter(path__startswith=city.path)}
    by_county = defaultdict(list)
    for t in townships:
        by_county[t.parent_id].append(t)
    start = dt.date(today.year, 1, 5)
    fresh: list[Opinion] = []
    plan = []
    n_fresh = 160 if today.year > 2024 else 0
    for i in range(n_fresh):
        person_id, region_id = seats[i % len(seats)] if i % 4 else seats[0]
        region = regions.get(region_id) if region_id else None
        county = region.parent if region is not None and region.kind == "township" else region
        pool = by_county.get(county.pk if county else None) or townships
        where = rng.choice(pool)
        day = start + dt.timedelta(days=rng.randint(0, max((today - start).days, 0)))
        topic = rng.choice(list(ANSWERS))
        fresh.append(
            Opinion(
                channel=Opinion.Channel.ONLINE,
                topic=topic,
                summary=rng.choice(
                    [
                        "小区路灯不亮，夜间出行不便",
                        "学校门口早晚高峰拥堵",
                        "村道破损需要修补",
                        "社区缺少老年活动场所",
                        "河道有垃圾漂浮",
                        "菜市场周边占道经营",
                    ]
                ),  # fmt: skip
                region=where,
                taken_by_id=person_id,
                received_on=day,
            )
        )
        plan.append((day, i))
    fresh = Opinion.objects.bulk_create(fresh, batch_size=2000)
    for o, (day, i) in zip(fresh, plan, strict=True):
        case = Case(opinion=o, code=_code(rng), phone=_phone(rng), created_at=_at(day, 20))
        trail = [("", S.NEW, None, _at(day, 20), "群众扫码提交（手机号已验证）", None)]
        age = (today - day).days
        stage = i % 5 if age > 20 else i % 3
        unit = demo_unit if i % 3 == 0 else rng.choice(units)
        if stage >= 1:
            sent = min(day + dt.timedelta(days=1), today)
            due = calendar.deadline_after_working_days(sent, 15, start_label="转办日")
            case.status, case.unit, case.dispatched_at = S.DISPATCHED, unit, _at(sent, 10)
            case.due, case.due_explained = due.date, due.explanation[:300]
            o.status, o.forwarded_to = O.FORWARDED, unit
            trail.append((S.NEW, S.PROPOSED, o.taken_by.user, _at(sent, 9), "建议转办", None))
            trail.append((S.PROPOSED, S.DISPATCHED, staff, _at(sent, 10), "请按期答复", unit))
        if stage >= 3:
            answered = min(sent + dt.timedelta(days=rng.randint(3, 18)), today)
            case.status, case.outcome = S.ANSWERED, Case.Outcome.SOLVED
            case.answer = ANSWERS[o.topic]
            case.answered_at, case.answered_on_time = _at(answered, 15), answered <= case.due
            o.status, o.closed_on, o.outcome_note = O.SOLVED, answered, case.answer
            trail.append((S.DISPATCHED, S.ANSWERED, None, case.answered_at, case.answer, unit))
        if stage == 4:
            case.status, case.satisfaction = S.SOLVED, Case.Satisfaction.SATISFIED
            case.confirmed_at = _at(min(answered + dt.timedelta(days=2), today), 12)
            trail.append(
                (S.ANSWERED, S.SOLVED, None, case.confirmed_at, "已解决（群众本人）", None)
            )
        cases.append(case)
        steps.append((len(cases) - 1, trail))
    Opinion.objects.bulk_update(
        fresh, ["status", "forwarded_to", "closed_on", "outcome_note"], batch_size=2000
    )

    made = Case.objects.bulk_create(cases, batch_size=2000)
    rows = []
    for index, trail in steps:
        for frm, to, by, at, why, unit in trail:
            rows.append(
                CaseStep(
                    case=made[index], from_status=frm, to_status=to, by=by, at=at, reason=why,
                    unit=unit,
                )
            )  # fmt: skip
    CaseStep.objects.bulk_create(rows, batch_size=5000)

    # --- WeChat groups: deputies who took opinions there showed themselves in a group ----------
    wechat = (
        Opinion.objects.filter(channel=Opinion.Channel.WECHAT)
        .values_list("taken_by_id", "region_id")
        .distinct()
        .order_by("taken_by_id")
    )
    groups, seen = [], set()
    for person_id, region_id in wechat:
        region = regions.get(region_id)
        if region is None or person_id in seen:
            continue
        seen.add(person_id)
        if region.kind != Region.Kind.TOWNSHIP:
            pool = by_county.get(region.pk) or townships
            region = pool[person_id % len(pool)]
        groups.append(
            WeChatGroup(
                person_id=person_id,
                name=f"{region.name}居民议事群",
                region=region,
                joined_on=dt.date(2024, 1, 10) + dt.timedelta(days=person_id % 60),
                size=80 + person_id % 400,
            )
        )
    WeChatGroup.objects.bulk_create(groups, ignore_conflicts=True, batch_size=2000)

    # --- cards: the demo deputy's, and every station's ------------------------------------------
    cards = [Card(person=demo_person, token=_code(rng) + "DP")] if demo_person else []
    cards += [Card(station=s, token=_code(rng) + "ST") for s in Station.objects.order_by("pk")]
    Card.objects.bulk_create(cards, ignore_conflicts=True)
    ctx.say(
        f"  {len(made)} opinion cases ({n_fresh} from residents this year), "
        f"{len(groups)} deputies in WeChat groups, {len(cards)} QR cards"
    )
