"""Demo suggestions: a realistic year of Anyang's city deputies' suggestions, from the session in
January to today, in every state: registered, assigned (some due soon, some overdue), answered
A/B/C/D with commitments, feedback, handled again, evaluated, key suggestions under supervision;
plus last year's, so that the duplicate finder has earlier problems to propose.

Rows are built in memory along a dated timeline and written with bulk_create (a few seconds on
SQLite); deadlines come from the same clock as the services, and every step has its history row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from anping.accounts.models import User
from deputies.models import Mandate, Session

from . import clock
from .models import (
    Assignment,
    Commitment,
    ContactRecord,
    CoSigner,
    Evaluation,
    EvaluatorAppointment,
    Feedback,
    NumberSeries,
    Reply,
    Shingle,
    Suggestion,
    SupervisionEvent,
    Transition,
)
from .similar import grams

S = Suggestion.Status
A = Transition.Action

# (category, unit short names that handle it, subject, problem, proposal)
TOPICS = [
    (
        "urban",
        ["住房和城乡建设局"],
        "老旧小区加装电梯",
        "老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难",
        "简化加装电梯审批流程，加大财政补贴力度，推广“代建代管”模式",
    ),
    (
        "urban",
        ["住房和城乡建设局", "城市管理局"],
        "城区雨污分流改造",
        "部分老城区雨污合流，汛期路面积水严重，污水溢流影响环境",
        "制定雨污分流三年计划，优先改造易涝点周边管网",
    ),
    (
        "urban",
        ["城市管理局"],
        "背街小巷环境整治",
        "背街小巷路面破损、照明不足、垃圾清运不及时",
        "建立背街小巷长效管护机制，落实路长制",
    ),
    (
        "urban",
        ["自然资源和规划局", "住房和城乡建设局"],
        "城市口袋公园建设",
        "中心城区公园绿地分布不均，居民就近休闲空间不足",
        "利用边角地、闲置地建设口袋公园，做到“推窗见绿”",
    ),
    (
        "transport",
        ["交通运输局"],
        "增开殷墟景区旅游公交专线",
        "殷墟博物馆开馆后游客激增，公交线路少，停车困难",
        "增开火车站至殷墟的旅游专线，节假日加密班次",
    ),
    (
        "transport",
        ["交通运输局", "公安局"],
        "农村公路安全设施提升",
        "部分农村公路缺少护栏、标志标线，急弯陡坡事故多发",
        "实施农村公路生命安全防护工程，完善警示标志",
    ),
    (
        "transport",
        ["交通运输局"],
        "中小学生通学公交",
        "城郊学校学生上下学交通不便，家长接送造成校门口拥堵",
        "开通定制通学公交，错峰运行",
    ),
    (
        "education",
        ["教育局"],
        "城区学位供给",
        "城区新建小区集中入住，部分学校大班额问题突出",
        "加快配套学校建设，科学调整学区划分",
    ),
    (
        "education",
        ["教育局", "人力资源和社会保障局"],
        "职业教育产教融合",
        "职业院校专业设置与我市产业需求衔接不够",
        "围绕钢铁、装备制造、航空产业共建实训基地",
    ),
    (
        "education",
        ["教育局"],
        "乡村教师队伍稳定",
        "乡村学校教师流失严重，音体美专业教师短缺",
        "提高乡村教师生活补助，推进城乡教师交流轮岗",
    ),
    (
        "health",
        ["卫生健康委员会"],
        "基层医疗服务能力提升",
        "乡镇卫生院设备老化，全科医生不足，群众看病仍往城里跑",
        "推进县域医共体建设，加强全科医生培养",
    ),
    (
        "health",
        ["医疗保障局"],
        "异地就医直接结算",
        "外出务工人员异地就医报销手续繁琐",
        "扩大异地就医直接结算定点医院范围，简化备案",
    ),
    (
        "health",
        ["民政局", "卫生健康委员会"],
        "社区居家养老服务",
        "老龄化加剧，社区养老服务设施不足，助餐服务覆盖率低",
        "建设社区养老服务中心，推广老年助餐点",
    ),
    (
        "rural",
        ["农业农村局"],
        "高标准农田建设后期管护",
        "部分高标准农田建成后管护主体不明确，设施损毁",
        "明确管护责任，设立管护资金",
    ),
    (
        "rural",
        ["水利局"],
        "农村饮水安全保障",
        "部分村庄自来水水压不足，水质不稳定，夏季高峰期断水",
        "实施农村供水规模化改造，推进城乡供水一体化",
    ),
    (
        "rural",
        ["农业农村局", "商务局"],
        "农村电商发展",
        "农产品上行渠道不畅，冷链物流设施缺乏",
        "建设县级电商服务中心和冷链集配中心，培育电商带头人",
    ),
    (
        "rural",
        ["农业农村局", "文化广电和旅游局"],
        "林州红旗渠沿线乡村旅游",
        "红旗渠沿线村庄民宿经济起步快，但配套设施薄弱",
        "统一规划沿线旅游线路，支持民宿规范发展",
    ),
    (
        "ecology",
        ["生态环境局"],
        "钢铁企业超低排放改造",
        "部分企业超低排放改造进度滞后，秋冬季污染天气频发",
        "加大改造资金支持，实施差异化管控",
    ),
    (
        "ecology",
        ["生态环境局", "水利局"],
        "安阳河生态治理",
        "安阳河部分河段水质波动，岸线生态脆弱",
        "推进河道生态修复，加强入河排污口监管",
    ),
    (
        "economy",
        ["发展和改革委员会", "工业和信息化局"],
        "低空经济产业发展",
        "豫北航空经济协作区起步阶段配套政策不足",
        "出台低空经济扶持政策，建设通用机场及配套设施",
    ),
    (
        "economy",
        ["工业和信息化局"],
        "中小企业数字化转型",
        "中小企业数字化水平低，转型成本高",
        "设立数字化转型专项资金，建设工业互联网平台",
    ),
    (
        "economy",
        ["商务局", "市场监督管理局"],
        "优化营商环境",
        "企业开办、项目审批环节仍有堵点，涉企检查多",
        "推行“一件事一次办”，规范涉企行政检查",
    ),
    (
        "economy",
        ["财政局", "发展和改革委员会"],
        "政府投资项目资金保障",
        "部分在建项目资金拨付滞后，影响工程进度",
        "建立项目资金动态监测机制",
    ),
    (
        "governance",
        ["司法局"],
        "基层公共法律服务",
        "村（社区）法律顾问作用发挥不充分",
        "完善法律顾问考核，推进公共法律服务进村入户",
    ),
    (
        "governance",
        ["应急管理局", "消防救援支队"],
        "小型生产经营场所消防安全",
        "“九小场所”消防设施不足，隐患整改不到位",
        "落实《小型生产经营场所消防安全管理条例》，开展常态化检查",
    ),
    (
        "education",
        ["文化广电和旅游局"],
        "殷墟甲骨文文化传承",
        "甲骨文文化进校园、进社区活动形式单一",
        "开发甲骨文研学课程，建设文化传承基地",
    ),
    (
        "health",
        ["退役军人事务局"],
        "退役军人就业创业服务",
        "退役军人就业渠道窄，创业扶持政策知晓率低",
        "建立退役军人就业创业孵化基地",
    ),
]
BODY = (
    "{place}{problem}，群众反映强烈。经调研，{cause}。为此建议：一是{proposal}；"
    "二是明确责任单位和完成时限，加强督促检查；三是及时向社会公开进展，接受群众监督。"
)
CAUSES = [
    "主要原因是投入不足、部门协同不够",
    "主要是规划滞后、配套政策不完善",
    "既有历史欠账，也有管理机制不健全的问题",
    "资金、土地等要素保障不到位是主要制约",
]
REPLIES = {
    "A": "经研究，您提出的建议已予采纳。我单位已会同相关部门制定实施方案，{subject}工作已基本完成，群众反映的问题得到解决。",
    "B": "经研究，您提出的建议很有针对性，我单位已将{subject}列入年度工作计划，正在积极推进，具体安排见承诺事项。",
    "C": "您提出的{subject}问题确实存在，但受资金和用地等条件限制，目前暂时难以全面解决，我们将积极争取上级支持，创造条件逐步解决。",
    "D": "感谢您对{subject}工作的关心，您的建议对我们改进工作很有参考价值，我们将在今后工作中统筹考虑。",
}
COMMITMENTS = [
    "完成实施方案编制并报批",
    "争取专项资金并开工建设",
    "完成第一批项目验收",
    "建立长效管护机制",
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class _Builder:
    def __init__(self, ctx, today: dt.date):
        self.ctx, self.rng, self.today = ctx, ctx.rng, today
        self.transitions: list[Transition] = []
        self.city = User.objects.filter(username="city").first()

    def step(self, s, action, before, after, when, by=None, label="", reason=""):
        self.transitions.append(
            Transition(
                suggestion=s,
                action=action,
                from_status=before,
                to_status=after,
                by=by,
                by_label=label or (by.get_full_name() if by else ""),
                at=when,
                reason=reason,
            )
        )


def seed(ctx) -> None:
    term = ctx.made.get("city_term")
    units_all = ctx.made.get("units") or []
    if term is None or not units_all:
        return
    rng = ctx.rng
    today = timezone.localdate()
    b = _Builder(ctx, today)
    units = {u.short_name or u.name: u for u in units_all}
    mandates = list(
        Mandate.objects.filter(term=term).select_related("person__user", "region").order_by("pk")
    )
    deputy_user = ctx.made.get("deputy_user")
    demo_person = next(
        (m for m in mandates if m.person.user_id == getattr(deputy_user, "pk", None)), mandates[0]
    )
    linzhou_mandates = [m for m in mandates if m.region.name == "林州市"]
    sessions = list(Session.objects.filter(term=term, start_date__lte=today).order_by("start_date"))
    this_session = sessions[-1] if sessions else None
    last_session = sessions[-2] if len(sessions) > 1 else None
    city_staff = b.city
    unit_user = User.objects.filter(username="unit").first()
    evaluator = User.objects.filter(username="evaluator").first()

    plans = []  # (suggestion, mandate, topic, filed date, session or None)
    counters: dict[str, int] = defaultdict(int)

    def plan(mandate, topic, filed: dt.date, session, year: int):
        category, _units, subject, problem, proposal = topic
        place = mandate.region.name if rng.random() < 0.5 else "我市"
        title = f"关于{'加快' if rng.random() < 0.5 else '推进'}{place if place != '我市' else ''}{subject}的建议"
        body = BODY.format(
            place=place, problem=problem, cause=rng.choice(CAUSES), proposal=proposal
        )
        if session is not None:
            key, prefix = f"session:{session.pk}", session.short_label
        else:
            c = term.congress
            from deputies.models import chinese_number

            key = f"recess:{term.pk}:{year}"
            prefix = f"{c.short_name}{chinese_number(term.number)}届人大闭会期间{year}年"
        s = Suggestion(
            lead=mandate.person,
            term=term,
            region=mandate.region,
            title=title[:200],
            body=body,
            category=category,
            status=S.SUBMITTED,
            period=Suggestion.Period.SESSION if session else Suggestion.Period.RECESS,
            session=session,
            year=year,
            created_at=_at(filed, 9),
            submitted_at=_at(filed, 10),
        )
        plans.append((s, mandate, topic, filed, session, key, prefix))

    # Last year's session: the problems of this year's may have been raised before.
    if last_session is not None:
        for i in range(min(80, 2 * len(mandates) // 5 + 10)):
            plan(
                mandates[(i * 7) % len(mandates)],
                TOPICS[i % len(TOPICS)],
                last_session.start_date + dt.timedelta(days=i % 3),
                last_session,
                last_session.start_date.year,
            )
    if this_session is not None:
        n = min(260, len(mandates) // 2 + 20)
        for i in range(n):
            m = (
                demo_person
                if i < 5
                else (
                    linzhou_mandates[i % len(linzhou_mandates)]
                    if linzhou_mandates and i % 9 == 0
                    else rng.choice(mandates)
                )
            )
            plan(
                m,
                rng.choice(TOPICS),
                this_session.start_date + dt.timedelta(days=rng.randint(0, 3)),
                this_session,
                this_session.start_date.year,
            )
        start, span = (
            this_session.end_date + dt.timedelta(days=10),
            (today - this_session.end_date).days - 12,
        )
    else:
        start, span = today - dt.timedelta(days=200), 190
    for i in range(max(0, min(70, span // 3))):
        filed = start + dt.timedelta(days=rng.randint(0, max(1, span)))
        m = demo_person if i < 2 else rng.choice(mandates)
        plan(m, rng.choice(TOPICS), min(filed, today), None, filed.year)

    Suggestion.objects.bulk_create([p[0] for p in plans], batch_size=500)

    assignments, replies_plan, feedbacks, contacts, cosigners = [], [], [], [], []
    key_ids, shingles = [], []
    for s, mandate, topic, filed, session, key, prefix in plans:
        for g in grams(s.title, s.body):
            shingles.append(Shingle(suggestion=s, gram=g, year=s.year))
        s.gram_count = len(grams(s.title, s.body))
        lead_label = mandate.person.name
        b.step(s, A.CREATE, "", S.DRAFT, s.created_at, label=lead_label)
        if rng.random() < 0.3:
            partner = rng.choice(mandates)
            if partner.person_id != s.lead_id:
                cosigners.append(
                    CoSigner(
                        suggestion=s,
                        person=partner.person,
                        status=CoSigner.Status.CONFIRMED,
                        invited_at=s.created_at,
                        responded_at=s.created_at,
                    )
                )
                b.step(
                    s,
                    A.INVITE,
                    S.DRAFT,
                    S.DRAFT,
                    s.created_at,
                    label=lead_label,
                    reason=partner.person.name,
                )
                b.step(
                    s,
                    A.COSIGN,
                    S.DRAFT,
                    S.DRAFT,
                    s.submitted_at,
                    label=partner.person.name,
                    reason=partner.person.name,
                )
        b.step(s, A.SUBMIT, S.DRAFT, S.SUBMITTED, s.submitted_at, label=lead_label)
        reg_day = filed + dt.timedelta(days=rng.randint(2, 8))
        if reg_day > today - dt.timedelta(days=1):
            continue  # still awaiting review
        if rng.random() < 0.03:
            s.status, s.closed_at = S.DECLINED, _at(reg_day)
            b.step(
                s,
                A.DECLINE,
                S.SUBMITTED,
                S.DECLINED,
                s.closed_at,
                city_staff,
                reason="属于个人具体诉求，已转有关部门按来信处理",
            )
            continue
        counters[key] += 1
        s.series, s.number, s.number_label = key, counters[key], f"{prefix}第{counters[key]}号"
        s.status, s.registered_at = S.REGISTERED, _at(reg_day)
        b.step(
            s,
            A.REGISTER,
            S.SUBMITTED,
            S.REGISTERED,
            s.registered_at,
            city_staff,
            reason=s.number_label,
        )
        if session is None:
            d = clock.recess_assign_deadline(start=reg_day)
            s.assign_by, s.assign_by_basis = d.date, d.basis
        assign_day = reg_day + dt.timedelta(days=rng.randint(2, 10))
        if assign_day > today:
            continue
        lead_unit = units.get(topic[1][0]) or rng.choice(units_all)
        if s.lead_id == demo_person.person_id or rng.random() < 0.18:
            lead_unit = units.get("住房和城乡建设局", lead_unit)
        co = [units[n] for n in topic[1][1:] if n in units and units[n] != lead_unit]
        a = Assignment(
            suggestion=s, unit=lead_unit, role=Assignment.Role.LEAD, round=1, start_date=assign_day
        )
        due, window = clock.assignment_deadlines(a)
        a.due_date, a.due_basis, a.send_back_until, a.send_back_basis = (
            due.date,
            due.basis,
            window.date,
            window.basis,
        )
        assignments.append(a)
        co_rows = []
        for u in co:
            c = Assignment(
                suggestion=s, unit=u, role=Assignment.Role.CO, round=1, start_date=assign_day
            )
            cdue, cwin = clock.assignment_deadlines(c)
            c.due_date, c.due_basis, c.send_back_until, c.send_back_basis = (
                cdue.date,
                cdue.basis,
                cwin.date,
                cwin.basis,
            )
            opinion_day = assign_day + dt.timedelta(days=rng.randint(10, 28))
            if opinion_day <= today:
                c.status, c.opinion, c.opinion_at, c.done_at = (
                    Assignment.Status.DONE,
                    f"{u.name}同意主办单位意见，将在职责范围内积极配合。",
                    _at(opinion_day),
                    _at(opinion_day),
                )
            assignments.append(c)
            co_rows.append(c)
        s.status, s.assigned_at, s.due_date = S.ASSIGNED, _at(assign_day), a.due_date
        b.step(
            s,
            A.ASSIGN,
            S.REGISTERED,
            S.ASSIGNED,
            s.assigned_at,
            city_staff,
            reason="；".join(
                [f"主办单位：{lead_unit.name}", *[f"协办单位：{c.unit.name}" for c in co_rows]]
            ),
        )
        if rng.random() < 0.05 and session is not None:
            key_ids.append(s)
        answer_day = assign_day + dt.timedelta(days=rng.randint(25, 95))
        if answer_day > today or rng.random() < 0.04:
            continue  # still being handled (some of them overdue)
        replies_plan.append((s, a, answer_day, co_rows))

    Suggestion.objects.bulk_update(
        [p[0] for p in plans],
        [
            "status",
            "series",
            "number",
            "number_label",
            "registered_at",
            "assigned_at",
            "due_date",
            "assign_by",
            "assign_by_basis",
            "closed_at",
            "gram_count",
        ],
        batch_size=500,
    )
    for key, last in counters.items():
        NumberSeries.objects.update_or_create(key=key, defaults={"last_number": last})
    CoSigner.objects.bulk_create(cosigners, batch_size=500, ignore_conflicts=True)
    Shingle.objects.bulk_create(shingles, batch_size=2000, ignore_conflicts=True)
    Assignment.objects.bulk_create(assignments, batch_size=500)

    replies, commitments, rehandle = [], [], []
    grades = ["A"] * 5 + ["B"] * 4 + ["C"] * 2 + ["D"]
    for s, a, answer_day, co_rows in replies_plan:
        contact_day = answer_day - dt.timedelta(days=rng.randint(3, 15))
        contacts.append(
            ContactRecord(
                assignment=a,
                contacted_on=contact_day,
                method=rng.choice(["phone", "visit", "meeting"]),
                notes="与代表当面沟通办理思路，听取代表意见",
                by=unit_user or city_staff,
            )
        )
        b.step(
            s,
            A.CONTACT,
            S.ASSIGNED,
            S.ASSIGNED,
            _at(contact_day),
            label=f"联络员（{a.unit.name}）",
            reason=f"{a.unit.name}：与代表沟通办理思路",
        )
        grade = rng.choice(grades)
        r = Reply(
            suggestion=s,
            assignment=a,
            round=1,
            text=REPLIES[grade].format(subject=s.title.removeprefix("关于").removesuffix("的建议")),
            grade=grade,
            author=unit_user or city_staff,
            signed_by="单位主要负责人",
            replied_on=answer_day,
            created_at=_at(answer_day, 15),
        )
        replies.append(r)
        a.status, a.done_at = Assignment.Status.DONE, _at(answer_day, 15)
        for c in co_rows:
            if c.status == Assignment.Status.OPEN:
                c.status, c.done_at = Assignment.Status.DONE, a.done_at
        s.status, s.answered_at, s.due_date = S.ANSWERED, a.done_at, None
        b.step(
            s,
            A.REPLY,
            S.ASSIGNED,
            S.ASSIGNED,
            a.done_at,
            label=f"联络员（{a.unit.name}）",
            reason=f"{a.unit.name}：{r.get_grade_display()}",
        )
        b.step(s, A.ANSWER, S.ASSIGNED, S.ANSWERED, a.done_at, label=f"联络员（{a.unit.name}）")
        fb_day = answer_day + dt.timedelta(days=rng.randint(3, 25))
        if fb_day > today or (s.lead_id == demo_person.person_id and rng.random() < 0.6):
            continue  # awaiting the deputy's feedback
        roll = rng.random()
        verdict = "satisfied" if roll < 0.72 else ("basic" if roll < 0.92 else "not_satisfied")
        comment = {
            "satisfied": "",
            "basic": "希望加快进度",
            "not_satisfied": "答复空泛，没有具体措施",
        }[verdict]
        feedbacks.append(
            Feedback(
                suggestion=s,
                deputy=s.lead,
                round=1,
                verdict=verdict,
                comment=comment,
                given_at=_at(fb_day),
            )
        )
        b.step(
            s,
            A.FEEDBACK,
            S.ANSWERED,
            S.ANSWERED,
            _at(fb_day),
            label=s.lead.name,
            reason=Feedback.Verdict(verdict).label + (f"：{comment}" if comment else ""),
        )
        if verdict == "not_satisfied":
            rehandle.append((s, a, fb_day, comment))
        else:
            s.status, s.closed_at = S.CLOSED, _at(fb_day)
            b.step(s, A.CLOSE, S.ANSWERED, S.CLOSED, s.closed_at, label=s.lead.name)

    Reply.objects.bulk_create(replies, batch_size=500)
    for r in replies:
        if r.grade == "B":
            for i in range(rng.randint(1, 2)):
                due = r.replied_on + dt.timedelta(days=rng.randint(60, 240))
                c = Commitment(
                    reply=r,
                    unit_id=r.assignment.unit_id,
                    text=COMMITMENTS[(r.pk + i) % len(COMMITMENTS)],
                    due_date=due,
                )
                if due < today and rng.random() < 0.6:
                    c.status, c.evidence, c.done_on, c.reported_by = (
                        Commitment.Status.DONE,
                        "已完成，附验收报告和现场照片",
                        due - dt.timedelta(days=rng.randint(0, 20)),
                        unit_user,
                    )
                commitments.append(c)
    Commitment.objects.bulk_create(commitments, batch_size=500)
    ContactRecord.objects.bulk_create(contacts, batch_size=500)
    Feedback.objects.bulk_create(feedbacks, batch_size=500)

    # Not satisfied: handled again, with its own deadline; some answered again already.
    again = []
    for s, a, fb_day, comment in rehandle:
        s.round, s.status = 2, S.REHANDLING
        b.step(
            s,
            A.REHANDLE,
            S.ANSWERED,
            S.REHANDLING,
            _at(fb_day, 11),
            label=s.lead.name,
            reason=f"代表不满意：{comment}",
        )
        na = Assignment(
            suggestion=s,
            unit_id=a.unit_id,
            role=a.role,
            round=2,
            start_date=fb_day + dt.timedelta(days=1),
        )
        due, _w = clock.assignment_deadlines(na)
        na.due_date, na.due_basis = due.date, due.basis
        s.due_date = na.due_date
        again.append(na)
    Assignment.objects.bulk_create(again, batch_size=500)

    # Evaluations: the evaluator's pool appointment, cases with and without a verdict.
    evaluations = []
    if evaluator is not None:
        EvaluatorAppointment.objects.get_or_create(
            user=evaluator, term=term, defaults={"field": "公共管理"}
        )
        basics = [f for f in feedbacks if f.verdict == "basic"][:4]
        for s, *_rest in rehandle[:4]:
            evaluations.append(
                Evaluation(
                    suggestion=s,
                    reason=Evaluation.Reason.NOT_SATISFIED,
                    status=Evaluation.Status.ASSIGNED,
                    evaluator=evaluator,
                    requested_by=city_staff,
                    created_at=s.closed_at or timezone.now(),
                )
            )
            b.step(
                s,
                A.EVALUATION_SEND,
                s.status,
                s.status,
                timezone.now(),
                city_staff,
                reason=f"代表不满意 → {evaluator.get_full_name()}",
            )
        for i, f in enumerate(basics):
            done = i % 2 == 0
            evaluations.append(
                Evaluation(
                    suggestion=f.suggestion,
                    reason=Evaluation.Reason.BASIC,
                    status=Evaluation.Status.DONE if done else Evaluation.Status.ASSIGNED,
                    evaluator=evaluator,
                    requested_by=city_staff,
                    verdict="proper" if done else "",
                    opinion="办理程序规范，答复内容具体，承诺事项按期推进。" if done else "",
                    decided_at=timezone.now() if done else None,
                )
            )
            b.step(
                f.suggestion,
                A.EVALUATION_SEND,
                S.CLOSED,
                S.CLOSED,
                f.given_at + dt.timedelta(days=7),
                city_staff,
                reason=f"基本满意（工作人员抽取） → {evaluator.get_full_name()}",
            )
        Evaluation.objects.bulk_create(evaluations)

    # Key suggestions: chosen, a supervising leader, supervision events.
    events = []
    for s in key_ids[:12]:
        s.is_key, s.key_chosen_at, s.key_supervisor = (
            True,
            s.assigned_at + dt.timedelta(days=5),
            city_staff,
        )
        b.step(
            s,
            A.KEY,
            s.status,
            s.status,
            s.key_chosen_at,
            city_staff,
            reason="市人大常委会主任会议确定为年度重点督办建议",
        )
        b.step(
            s,
            A.SUPERVISOR,
            s.status,
            s.status,
            s.key_chosen_at,
            city_staff,
            reason=city_staff.get_full_name() if city_staff else "",
        )
        day = timezone.localdate(s.key_chosen_at) + dt.timedelta(days=20)
        if day <= today and city_staff is not None:
            events.append(
                SupervisionEvent(
                    suggestion=s,
                    kind="meeting",
                    held_on=day,
                    description="召开重点建议督办座谈会，听取承办单位办理进展汇报",
                    by=city_staff,
                )
            )
            b.step(
                s,
                A.SUPERVISION,
                s.status,
                s.status,
                _at(day),
                city_staff,
                reason="督办座谈会：听取承办单位办理进展汇报",
            )
    SupervisionEvent.objects.bulk_create(events)

    Assignment.objects.bulk_update([a for a in assignments], ["status", "done_at"], batch_size=500)
    Suggestion.objects.bulk_update(
        [p[0] for p in plans],
        [
            "status",
            "answered_at",
            "due_date",
            "closed_at",
            "round",
            "is_key",
            "key_chosen_at",
            "key_supervisor",
        ],
        batch_size=500,
    )
    Transition.objects.bulk_create(b.transitions, batch_size=1000)

    # The demo deputy: a draft of their own, and an invitation to co-sign awaiting them.
    other = next(
        (m for m in mandates if m.person.user_id and m.person_id != demo_person.person_id), None
    )
    if deputy_user is not None:
        mine = Suggestion.objects.create(
            lead=demo_person.person,
            term=term,
            region=demo_person.region,
            title="关于在老城区增设便民停车位的建议（草稿）",
            body="老城区停车位严重不足，占道停车现象普遍。建议利用闲置空地建设立体停车场，推行错时共享停车。",
            category="urban",
        )
        Transition.objects.create(
            suggestion=mine,
            action=A.CREATE,
            to_status=S.DRAFT,
            by=deputy_user,
            by_label=demo_person.person.name,
        )
        if other is not None:
            theirs = Suggestion.objects.create(
                lead=other.person,
                term=term,
                region=other.region,
                title="关于支持豫北航空经济协作区人才引进的建议",
                body="协作区航空专业人才缺口大，建议出台专项人才政策，在住房、子女入学方面给予支持。",
                category="economy",
            )
            Transition.objects.create(
                suggestion=theirs,
                action=A.CREATE,
                to_status=S.DRAFT,
                by=other.person.user,
                by_label=other.person.name,
            )
            CoSigner.objects.create(suggestion=theirs, person=demo_person.person)
    ctx.say(
        f"  {len(plans)} suggestions ({len(replies)} answered, {len(feedbacks)} rated, {len(rehandle)} handled again, {len(evaluations)} evaluations, {len(events)} supervision events)"
    )
