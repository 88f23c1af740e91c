"""Demo suggestions of Anyang's city deputies, in two years a reader can follow:

- 2024, complete: the third session of the 15th congress in January 2024 and the recess
  suggestions of the year, each registered (or not registered, with a reason), assigned,
  answered A/B/C/D with commitments, and rated by its deputy; those rated not satisfied were
  handled again and answered a second time; some were evaluated, and key suggestions were
  supervised. The 2024 year page and report have suggestions beside the year's activities.
- the current year to date: the session in January and recess suggestions up to today, in
  every state (awaiting review, registered, assigned with some due soon and some overdue,
  answered and awaiting feedback, handled again, with an evaluator, key suggestions), so that
  `/reports/` opens on a month with suggestions and the duplicate finder finds 2024's problems.

`seed` runs the steps in order (`_Demo`: plan the years, write the suggestions, register and
assign, answer and rate, handle again, evaluate, key suggestions, then the demo deputy's own
draft and invitation). Rows are built in memory along a dated timeline and written with
bulk_create; deadlines come from the same clock as the services, and every step has its
history row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from anping.accounts.models import User
from deputies.models import Mandate, Session, chinese_number

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
# The complete year, beside the activities, opinions and votes of the stations and livelihood
# demos; and the last day of its recess suggestions (so that each is handled within the year).
COMPLETE_YEAR = 2024
COMPLETE_RECESS_UNTIL = dt.date(2024, 9, 30)

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


@dataclass
class _Plan:
    """One suggestion on its way: its row, who filed it on what, when, in which series, and
    whether its year is complete (every step done) or runs to today."""

    s: Suggestion
    mandate: Mandate
    topic: tuple
    filed: dt.date
    session: Session | None
    key: str
    prefix: str
    complete: bool


class _Demo:
    """The demo's steps, run in order by `seed`; each reads what the ones before it built."""

    def __init__(self, ctx, term, units_all):
        self.ctx, self.rng, self.term = ctx, ctx.rng, term
        self.today = timezone.localdate()
        self.units_all = units_all
        self.units = {u.short_name or u.name: u for u in units_all}
        self.mandates = list(
            Mandate.objects.filter(term=term)
            .select_related("person__user", "region")
            .order_by("pk")
        )
        self.deputy_user = ctx.made.get("deputy_user")
        self.demo_person = next(
            (m for m in self.mandates if m.person.user_id == getattr(self.deputy_user, "pk", None)),
            self.mandates[0],
        )
        self.linzhou = [m for m in self.mandates if m.region.name == "林州市"]
        self.city_staff = User.objects.filter(username="city").first()
        self.unit_user = User.objects.filter(username="unit").first()
        self.evaluator = User.objects.filter(username="evaluator").first()
        self.transitions: list[Transition] = []
        self.plans: list[_Plan] = []
        self.counters: dict[str, int] = defaultdict(int)
        self.assignments: list[Assignment] = []
        self.cosigners: list[CoSigner] = []
        self.shingles: list[Shingle] = []
        self.contacts: list[ContactRecord] = []
        self.replies: list[Reply] = []
        self.feedbacks: list[Feedback] = []
        self.answering: list[tuple] = []  # (plan, lead assignment, answer day, co-unit rows)
        self.rehandle: list[tuple] = []  # (plan, lead assignment, feedback day, comment)
        self.key_plans: list[_Plan] = []
        self.evaluations: list[Evaluation] = []
        self.events: list[SupervisionEvent] = []

    # --- helpers ------------------------------------------------------------------------------

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

    def _session_of(self, year: int) -> Session | None:
        return (
            Session.objects.filter(term=self.term, start_date__year=year)
            .order_by("start_date")
            .first()
        )

    def _deputy(self, i: int, mine: int) -> Mandate:
        """The demo deputy files the first few; every ninth comes from 林州市 (for its staff)."""
        if i < mine:
            return self.demo_person
        if self.linzhou and i % 9 == 0:
            return self.linzhou[i % len(self.linzhou)]
        return self.rng.choice(self.mandates)

    # --- 1. plan the years -------------------------------------------------------------------

    def plan(self, mandate, topic, filed: dt.date, session, complete: bool) -> None:
        rng, term = self.rng, self.term
        category, _units, subject, problem, proposal = topic
        place = mandate.region.name if rng.random() < 0.5 else "我市"
        verb = "加快" if rng.random() < 0.5 else "推进"
        title = f"关于{verb}{place if place != '我市' else ''}{subject}的建议"
        body = BODY.format(
            place=place, problem=problem, cause=rng.choice(CAUSES), proposal=proposal
        )
        year = filed.year
        if session is not None:
            key, prefix = f"session:{session.pk}", session.short_label
        else:
            c = term.congress
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
        self.plans.append(_Plan(s, mandate, topic, filed, session, key, prefix, complete))

    def plan_year(self, year: int, *, complete: bool) -> None:
        """The year's session (about half the deputies file one) and its recess suggestions:
        to the end of September in a complete year, to two days ago in the current one."""
        rng, mandates = self.rng, self.mandates
        session = self._session_of(year)
        if session is not None and session.start_date <= self.today:
            n = min(260 if not complete else 200, len(mandates) // 2 + 20)
            for i in range(n):
                filed = session.start_date + dt.timedelta(days=rng.randint(0, 3))
                self.plan(
                    self._deputy(i, 5 if not complete else 3),
                    rng.choice(TOPICS),
                    filed,
                    session,
                    complete,
                )
            start = session.end_date + dt.timedelta(days=10)
        else:
            start = max(dt.date(year, 1, 2), self.today - dt.timedelta(days=200))
        end = COMPLETE_RECESS_UNTIL if complete else self.today - dt.timedelta(days=2)
        span = (end - start).days
        for i in range(max(0, min(70, span // 3))):
            filed = start + dt.timedelta(days=rng.randint(0, span))
            self.plan(self._deputy(i, 2), rng.choice(TOPICS), filed, None, complete)

    # --- 2. write the suggestions, with co-signers and the duplicate finder's pairs ----------

    def write_suggestions(self) -> None:
        rng = self.rng
        Suggestion.objects.bulk_create([p.s for p in self.plans], batch_size=500)
        for p in self.plans:
            s = p.s
            gs = grams(s.title, s.body)
            self.shingles += [Shingle(suggestion=s, gram=g, year=s.year) for g in gs]
            s.gram_count = len(gs)
            lead = p.mandate.person.name
            self.step(s, A.CREATE, "", S.DRAFT, s.created_at, label=lead)
            if rng.random() < 0.3:
                partner = rng.choice(self.mandates)
                if partner.person_id != s.lead_id:
                    self.cosigners.append(
                        CoSigner(
                            suggestion=s,
                            person=partner.person,
                            status=CoSigner.Status.CONFIRMED,
                            invited_at=s.created_at,
                            responded_at=s.created_at,
                        )
                    )
                    name = partner.person.name
                    self.step(s, A.INVITE, S.DRAFT, S.DRAFT, s.created_at, label=lead, reason=name)
                    self.step(
                        s, A.COSIGN, S.DRAFT, S.DRAFT, s.submitted_at, label=name, reason=name
                    )
            self.step(s, A.SUBMIT, S.DRAFT, S.SUBMITTED, s.submitted_at, label=lead)

    # --- 3. review: registered (numbered) or not, then assigned to units --------------------

    def _new_assignment(self, s, unit, role, round_, start) -> Assignment:
        a = Assignment(suggestion=s, unit=unit, role=role, round=round_, start_date=start)
        due, window = clock.assignment_deadlines(a)
        a.due_date, a.due_basis = due.date, due.basis
        if window:
            a.send_back_until, a.send_back_basis = window.date, window.basis
        return a

    def register_and_assign(self) -> None:
        rng, today, staff = self.rng, self.today, self.city_staff
        for p in self.plans:
            s = p.s
            reg_day = p.filed + dt.timedelta(days=rng.randint(2, 8))
            if not p.complete and reg_day > today - dt.timedelta(days=1):
                continue  # still awaiting review
            if rng.random() < 0.03:
                s.status, s.closed_at = S.DECLINED, _at(reg_day)
                reason = "属于个人具体诉求，已转有关部门按来信处理"
                self.step(s, A.DECLINE, S.SUBMITTED, S.DECLINED, s.closed_at, staff, reason=reason)
                continue
            self.counters[p.key] += 1
            n = self.counters[p.key]
            s.series, s.number, s.number_label = p.key, n, f"{p.prefix}第{n}号"
            s.status, s.registered_at = S.REGISTERED, _at(reg_day)
            self.step(
                s, A.REGISTER, S.SUBMITTED, S.REGISTERED, s.registered_at, staff, s.number_label
            )
            if p.session is None:
                d = clock.recess_assign_deadline(start=reg_day)
                s.assign_by, s.assign_by_basis = d.date, d.basis
            assign_day = reg_day + dt.timedelta(days=rng.randint(2, 10))
            if assign_day > today:
                continue
            lead_unit = self.units.get(p.topic[1][0]) or rng.choice(self.units_all)
            if s.lead_id == self.demo_person.person_id or rng.random() < 0.18:
                lead_unit = self.units.get("住房和城乡建设局", lead_unit)
            co = [self.units[n] for n in p.topic[1][1:] if n in self.units]
            co = [u for u in co if u != lead_unit]
            a = self._new_assignment(s, lead_unit, Assignment.Role.LEAD, 1, assign_day)
            self.assignments.append(a)
            co_rows = []
            for u in co:
                c = self._new_assignment(s, u, Assignment.Role.CO, 1, assign_day)
                opinion_day = assign_day + dt.timedelta(days=rng.randint(10, 28))
                if opinion_day <= today:
                    c.status, c.opinion, c.opinion_at, c.done_at = (
                        Assignment.Status.DONE,
                        f"{u.name}同意主办单位意见，将在职责范围内积极配合。",
                        _at(opinion_day),
                        _at(opinion_day),
                    )
                self.assignments.append(c)
                co_rows.append(c)
            s.status, s.assigned_at, s.due_date = S.ASSIGNED, _at(assign_day), a.due_date
            units = [f"主办单位：{lead_unit.name}", *[f"协办单位：{c.unit.name}" for c in co_rows]]
            self.step(s, A.ASSIGN, S.REGISTERED, S.ASSIGNED, s.assigned_at, staff, "；".join(units))
            if rng.random() < 0.05 and p.session is not None:
                self.key_plans.append(p)
            answer_day = assign_day + dt.timedelta(days=rng.randint(25, 95))
            if not p.complete and (answer_day > today or rng.random() < 0.04):
                continue  # still being handled (some of them overdue)
            self.answering.append((p, a, answer_day, co_rows))
        Suggestion.objects.bulk_update(
            [p.s for p in self.plans],
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
        for key, last in self.counters.items():
            NumberSeries.objects.update_or_create(key=key, defaults={"last_number": last})
        CoSigner.objects.bulk_create(self.cosigners, batch_size=500, ignore_conflicts=True)
        Shingle.objects.bulk_create(self.shingles, batch_size=2000, ignore_conflicts=True)
        Assignment.objects.bulk_create(self.assignments, batch_size=500)

    # --- 4. the units answer (after contacting the deputy), the deputies rate the answer ----

    def _reply(self, s, a, day, grade, round_=1) -> Reply:
        rng = self.rng
        contact_day = day - dt.timedelta(days=rng.randint(3, 15))
        self.contacts.append(
            ContactRecord(
                assignment=a,
                contacted_on=contact_day,
                method=rng.choice(["phone", "visit", "meeting"]),
                notes="与代表当面沟通办理思路，听取代表意见",
                by=self.unit_user or self.city_staff,
            )
        )
        status = S.ASSIGNED if round_ == 1 else S.REHANDLING
        label = f"联络员（{a.unit.name}）"
        self.step(
            s,
            A.CONTACT,
            status,
            status,
            _at(contact_day),
            label=label,
            reason=f"{a.unit.name}：与代表沟通办理思路",
        )
        subject = s.title.removeprefix("关于").removesuffix("的建议")
        r = Reply(
            suggestion=s,
            assignment=a,
            round=round_,
            text=REPLIES[grade].format(subject=subject),
            grade=grade,
            author=self.unit_user or self.city_staff,
            signed_by="单位主要负责人",
            replied_on=day,
            created_at=_at(day, 15),
        )
        self.replies.append(r)
        a.status, a.done_at = Assignment.Status.DONE, _at(day, 15)
        s.status, s.answered_at, s.due_date = S.ANSWERED, a.done_at, None
        self.step(
            s, A.REPLY, status, status, a.done_at, label=label, reason=f"{a.unit.name}：{grade}"
        )
        self.step(s, A.ANSWER, status, S.ANSWERED, a.done_at, label=label)
        return r

    def _rate(self, s, round_, day, verdict, comment) -> None:
        self.feedbacks.append(
            Feedback(
                suggestion=s,
                deputy=s.lead,
                round=round_,
                verdict=verdict,
                comment=comment,
                given_at=_at(day),
            )
        )
        reason = Feedback.Verdict(verdict).label + (f"：{comment}" if comment else "")
        self.step(s, A.FEEDBACK, S.ANSWERED, S.ANSWERED, _at(day), label=s.lead.name, reason=reason)

    def reply_and_rate(self) -> None:
        rng, today = self.rng, self.today
        grades = ["A"] * 5 + ["B"] * 4 + ["C"] * 2 + ["D"]
        comments = {
            "satisfied": "",
            "basic": "希望加快进度",
            "not_satisfied": "答复空泛，没有具体措施",
        }
        for p, a, answer_day, co_rows in self.answering:
            s = p.s
            self._reply(s, a, answer_day, rng.choice(grades))
            for c in co_rows:
                if c.status == Assignment.Status.OPEN:
                    c.status, c.done_at = Assignment.Status.DONE, a.done_at
            fb_day = answer_day + dt.timedelta(days=rng.randint(3, 25))
            mine = s.lead_id == self.demo_person.person_id
            if not p.complete and (fb_day > today or (mine and rng.random() < 0.6)):
                continue  # awaiting the deputy's feedback
            roll = rng.random()
            verdict = "satisfied" if roll < 0.72 else ("basic" if roll < 0.92 else "not_satisfied")
            self._rate(s, 1, fb_day, verdict, comments[verdict])
            if verdict == "not_satisfied":
                self.rehandle.append((p, a, fb_day, comments[verdict]))
            else:
                s.status, s.closed_at = S.CLOSED, _at(fb_day)
                self.step(s, A.CLOSE, S.ANSWERED, S.CLOSED, s.closed_at, label=s.lead.name)
        Reply.objects.bulk_create(self.replies, batch_size=500)
        commitments = []
        for r in self.replies:
            if r.grade != "B":
                continue
            complete = r.replied_on.year <= COMPLETE_YEAR
            for i in range(rng.randint(1, 2)):
                due = r.replied_on + dt.timedelta(days=rng.randint(60, 240))
                c = Commitment(
                    reply=r,
                    unit_id=r.assignment.unit_id,
                    text=COMMITMENTS[(r.pk + i) % len(COMMITMENTS)],
                    due_date=due,
                )
                if due < today and rng.random() < (0.9 if complete else 0.6):
                    c.status, c.evidence, c.done_on, c.reported_by = (
                        Commitment.Status.DONE,
                        "已完成，附验收报告和现场照片",
                        due - dt.timedelta(days=rng.randint(0, 20)),
                        self.unit_user,
                    )
                commitments.append(c)
        Commitment.objects.bulk_create(commitments, batch_size=500)

    # --- 5. not satisfied: handled again (in a complete year: answered again and closed) ----

    def handle_again(self) -> None:
        again, second_replies = [], []
        for p, a, fb_day, comment in self.rehandle:
            s = p.s
            s.round, s.status = 2, S.REHANDLING
            self.step(
                s,
                A.REHANDLE,
                S.ANSWERED,
                S.REHANDLING,
                _at(fb_day, 11),
                label=s.lead.name,
                reason=f"代表不满意：{comment}",
            )
            na = self._new_assignment(s, a.unit, a.role, 2, fb_day + dt.timedelta(days=1))
            na.send_back_until, na.send_back_basis = None, ""
            s.due_date = na.due_date
            again.append(na)
            if p.complete:
                second_replies.append((s, na, fb_day + dt.timedelta(days=self.rng.randint(20, 40))))
        Assignment.objects.bulk_create(again, batch_size=500)
        before = len(self.replies)
        for s, na, day in second_replies:
            self._reply(s, na, day, "A", round_=2)
            later = day + dt.timedelta(days=7)
            self._rate(s, 2, later, "basic", "第二次答复措施具体，基本满意")
            s.status, s.closed_at = S.CLOSED, _at(later)
            self.step(s, A.CLOSE, S.ANSWERED, S.CLOSED, s.closed_at, label=s.lead.name)
        Reply.objects.bulk_create(self.replies[before:], batch_size=500)
        Assignment.objects.bulk_update(again, ["status", "done_at"], batch_size=500)

    # --- 6. third-party evaluation: cases with and without a verdict --------------------------

    def evaluate(self) -> None:
        ev, staff = self.evaluator, self.city_staff
        if ev is None:
            return
        EvaluatorAppointment.objects.get_or_create(
            user=ev, term=self.term, defaults={"field": "公共管理"}
        )
        open_again = [r for r in self.rehandle if not r[0].complete][:4]
        for p, *_rest in open_again:
            s = p.s
            self.evaluations.append(
                Evaluation(
                    suggestion=s,
                    reason=Evaluation.Reason.NOT_SATISFIED,
                    status=Evaluation.Status.ASSIGNED,
                    evaluator=ev,
                    requested_by=staff,
                    created_at=timezone.now(),
                )
            )
            self.step(
                s,
                A.EVALUATION_SEND,
                s.status,
                s.status,
                timezone.now(),
                staff,
                reason=f"代表不满意 → {ev.get_full_name()}",
            )
        basics = [f for f in self.feedbacks if f.verdict == "basic" and f.round == 1]
        # A complete year's evaluations have their verdict; this year's are with the evaluator.
        chosen = [f for f in basics if f.given_at.year <= COMPLETE_YEAR][:3]
        chosen += [f for f in basics if f.given_at.year > COMPLETE_YEAR][:3]
        for f in chosen:
            done = f.given_at.year <= COMPLETE_YEAR
            sent = f.given_at + dt.timedelta(days=7)
            self.evaluations.append(
                Evaluation(
                    suggestion=f.suggestion,
                    reason=Evaluation.Reason.BASIC,
                    status=Evaluation.Status.DONE if done else Evaluation.Status.ASSIGNED,
                    evaluator=ev,
                    requested_by=staff,
                    created_at=sent,
                    verdict="proper" if done else "",
                    opinion="办理程序规范，答复内容具体，承诺事项按期推进。" if done else "",
                    decided_at=sent + dt.timedelta(days=30) if done else None,
                )
            )
            self.step(
                f.suggestion,
                A.EVALUATION_SEND,
                S.CLOSED,
                S.CLOSED,
                sent,
                staff,
                reason=f"基本满意（工作人员抽取） → {ev.get_full_name()}",
            )
        Evaluation.objects.bulk_create(self.evaluations)

    # --- 7. key suggestions: chosen, a supervising leader, supervision events ----------------

    def key_suggestions(self) -> None:
        staff = self.city_staff
        if staff is None:
            return
        complete = [p for p in self.key_plans if p.complete][:6]
        current = [p for p in self.key_plans if not p.complete][:6]
        for p in complete + current:
            s = p.s
            s.is_key, s.key_chosen_at, s.key_supervisor = (
                True,
                s.assigned_at + dt.timedelta(days=5),
                staff,
            )
            reason = "市人大常委会主任会议确定为年度重点督办建议"
            self.step(s, A.KEY, s.status, s.status, s.key_chosen_at, staff, reason=reason)
            self.step(
                s,
                A.SUPERVISOR,
                s.status,
                s.status,
                s.key_chosen_at,
                staff,
                reason=staff.get_full_name(),
            )
            day = timezone.localdate(s.key_chosen_at) + dt.timedelta(days=20)
            if day <= self.today:
                self.events.append(
                    SupervisionEvent(
                        suggestion=s,
                        kind="meeting",
                        held_on=day,
                        description="召开重点建议督办座谈会，听取承办单位办理进展汇报",
                        by=staff,
                    )
                )
                self.step(
                    s,
                    A.SUPERVISION,
                    s.status,
                    s.status,
                    _at(day),
                    staff,
                    reason="督办座谈会：听取承办单位办理进展汇报",
                )
        SupervisionEvent.objects.bulk_create(self.events)
        self.key_evaluations(complete)

    def key_evaluations(self, complete) -> None:
        """Gate 3: a complete year's key suggestions, once closed, evaluated by the pool."""
        ev, staff = self.evaluator, self.city_staff
        if ev is None:
            return
        busy = {e.suggestion_id for e in self.evaluations}
        rows = []
        for p in complete:
            s = p.s
            if s.status != S.CLOSED or s.pk in busy or s.closed_at is None:
                continue
            sent = s.closed_at + dt.timedelta(days=10)
            rows.append(
                Evaluation(
                    suggestion=s,
                    reason=Evaluation.Reason.KEY,
                    status=Evaluation.Status.DONE,
                    evaluator=ev,
                    requested_by=staff,
                    created_at=sent,
                    verdict="proper",
                    opinion="重点建议办理措施具体，督办意见逐项落实，办理成效明显。",
                    decided_at=sent + dt.timedelta(days=25),
                )
            )
            self.step(
                s, A.EVALUATION_SEND, S.CLOSED, S.CLOSED, sent, staff, reason="重点建议办理评价"
            )
        Evaluation.objects.bulk_create(rows)
        self.evaluations += rows

    # --- 8. everything the steps changed, and the history -------------------------------------

    def write_the_rest(self) -> None:
        ContactRecord.objects.bulk_create(self.contacts, batch_size=500)
        Feedback.objects.bulk_create(self.feedbacks, batch_size=500)
        Assignment.objects.bulk_update(self.assignments, ["status", "done_at"], batch_size=500)
        Suggestion.objects.bulk_update(
            [p.s for p in self.plans],
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
        Transition.objects.bulk_create(self.transitions, batch_size=1000)

    # --- 9. the demo deputy: a draft of their own, and an invitation awaiting them ------------

    def demo_deputy(self) -> None:
        if self.deputy_user is None:
            return
        me = self.demo_person
        mine = Suggestion.objects.create(
            lead=me.person,
            term=self.term,
            region=me.region,
            title="关于在老城区增设便民停车位的建议（草稿）",
            body="老城区停车位严重不足，占道停车现象普遍。建议利用闲置空地建设立体停车场，推行错时共享停车。",
            category="urban",
        )
        Transition.objects.create(
            suggestion=mine,
            action=A.CREATE,
            to_status=S.DRAFT,
            by=self.deputy_user,
            by_label=me.person.name,
        )
        other = next(
            (m for m in self.mandates if m.person.user_id and m.person_id != me.person_id), None
        )
        if other is None:
            return
        theirs = Suggestion.objects.create(
            lead=other.person,
            term=self.term,
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
        CoSigner.objects.create(suggestion=theirs, person=me.person)


def seed(ctx) -> None:
    term = ctx.made.get("city_term")
    units_all = ctx.made.get("units") or []
    if term is None or not units_all:
        return
    demo = _Demo(ctx, term, units_all)
    demo.plan_year(COMPLETE_YEAR, complete=True)
    if demo.today.year > COMPLETE_YEAR:
        demo.plan_year(demo.today.year, complete=False)
    demo.write_suggestions()
    demo.register_and_assign()
    demo.reply_and_rate()
    demo.handle_again()
    demo.evaluate()
    demo.key_suggestions()
    demo.write_the_rest()
    demo.demo_deputy()
    ctx.say(
        f"  {len(demo.plans)} suggestions ({len(demo.replies)} replies, {len(demo.feedbacks)} "
        f"ratings, {len(demo.rehandle)} handled again, {len(demo.evaluations)} evaluations, "
        f"{len(demo.events)} supervision events)"
    )
