"""Constituent opinions of the 2024 demo: 2,000+ collected, 1,600+ solved; the legislation
consultation's 54 and the budget reviews' 62 (85% adopted); 265 ideas from publicity sessions;
the demo deputy's own five. Moved here from stations/demo.py as it was."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from stations.models import Activity, Opinion, OpinionTransition

from .activities import Made
from .data import LAST, _date
from .world import World

TOPIC_TEXTS = {
    Opinion.Topic.INDUSTRY: [
        "建议加大对钢铁企业超低排放改造的支持",
        "希望为中小企业数字化转型提供补贴和培训",
        "建议引导传统产业向新材料方向升级",
    ],
    Opinion.Topic.BUSINESS: [
        "企业开办手续仍需多头跑，建议一窗通办",
        "建议缩短工程建设项目审批时限",
        "希望清理拖欠民营企业账款",
    ],
    Opinion.Topic.ECOLOGY: [
        "洹河沿岸垃圾较多，建议加强日常保洁",
        "建议治理村边坑塘黑臭水体",
        "希望增加社区周边绿化",
    ],
    Opinion.Topic.URBAN: [
        "老旧小区楼道照明损坏，建议纳入改造",
        "小区周边停车难，建议增设停车泊位",
        "建议加快背街小巷路面修复",
    ],
    Opinion.Topic.TRANSPORT: [
        "村里到镇上公交班次太少，建议加密",
        "学校门口早晚高峰拥堵，建议设置临时停车区",
        "建议在路口增设红绿灯",
    ],
    Opinion.Topic.EDUCATION: [
        "希望新建小区配套幼儿园尽快开园",
        "建议延长课后服务时间",
        "乡村学校缺少音体美教师",
    ],
    Opinion.Topic.HEALTH: [
        "村卫生室药品不全，建议增加常用药",
        "建议推广家庭医生签约上门服务",
        "希望医保异地结算更方便",
    ],
    Opinion.Topic.AGRICULTURE: [
        "建议修缮田间机耕道",
        "希望提供小麦良种和技术指导",
        "农产品销售难，建议搭建电商平台",
    ],
    Opinion.Topic.SOCIAL: [
        "建议在社区增设老年助餐点",
        "希望提高农村低保标准",
        "建议为独居老人安装紧急呼叫设备",
    ],
    Opinion.Topic.SAFETY: [
        "沿街小商铺消防设施缺失，建议排查",
        "电动车楼道充电隐患大，建议建集中充电棚",
        "建议加强校园周边治安巡逻",
    ],
}
LEGISLATION_TEXTS = [
    "建议明确小型生产经营场所的认定标准",
    "建议细化“三合一”场所人员住宿的禁止性规定",
    "建议规定电动自行车集中充电设施的配置要求",
    "建议明确乡镇和街道的消防安全监管职责",
    "建议增加对房屋出租人消防安全责任的规定",
    "建议对违法行为设置梯次处罚",
]
BUDGET_TEXTS = [
    "建议压减一般性支出，保障基本民生",
    "建议细化政府投资项目的绩效目标",
    "建议加强政府债务还本付息的风险评估",
    "建议提高国有资本经营预算收益上缴比例",
    "建议将亿元以上政府投资项目提前报送审查",
]


def seed_opinions(w: World, campaign, made_activities: Made) -> int:
    """The opinions and their outcome changes. Returns how many opinions."""
    rng, city, staff, units, home, demo_person = (
        w.rng,
        w.city,
        w.staff,
        w.units,
        w.home,
        w.demo_person,
    )
    activities_made, attendees = made_activities.activities, made_activities.attendees
    legislation_idx, budget_idx = made_activities.legislation, made_activities.budget
    publicity_idx, mine = made_activities.publicity, made_activities.mine
    opinions: list[Opinion] = []
    topics = list(TOPIC_TEXTS)
    S = Opinion.Status

    def opinion(
        channel,
        topic,
        text,
        region,
        taker,
        day,
        *,
        activity=None,
        station=None,
        status=S.SOLVED,
        unit=None,
    ):
        opinions.append(
            Opinion(
                channel=channel,
                topic=topic,
                summary=text,
                region=region,
                taken_by_id=taker,
                received_on=day,
                activity=activity,
                station=station,
                campaign=campaign,
                status=status,
                forwarded_to=unit,
                outcome_note="" if status == S.RECORDED else "已按程序办理",
                closed_on=None
                if status in (S.RECORDED, S.FORWARDED)
                else min(day + dt.timedelta(days=rng.randint(5, 40)), LAST),
                created_by=staff,
            )
        )

    def settle():
        roll = rng.random()
        if roll < 0.835:
            # About a third of the solved were first forwarded to a department.
            return S.SOLVED, rng.choice(units) if rng.random() < 0.3 else None
        if roll < 0.88:
            return S.SUGGESTION, None
        if roll < 0.94:
            return S.CLOSED, None
        if roll < 0.985:
            return S.FORWARDED, rng.choice(units)
        return S.RECORDED, None

    for n in range(54):
        a = activities_made[legislation_idx[n % 4]]
        members = attendees[legislation_idx[n % 4]]
        if not members:  # a small demo roster may leave an activity without deputies
            continue
        opinion(
            Opinion.Channel.ONLINE,
            Opinion.Topic.LEGISLATION,
            LEGISLATION_TEXTS[n % len(LEGISLATION_TEXTS)],
            city,
            members[n % len(members)],
            a.date,
            activity=a,
            status=S.ADOPTED if n % 9 else S.NOT_ADOPTED,
        )
    for n in range(62):
        idx = budget_idx[n % 9]
        members = attendees[idx]
        if not members:
            continue
        opinion(
            Opinion.Channel.ONLINE,
            Opinion.Topic.FISCAL,
            BUDGET_TEXTS[n % len(BUDGET_TEXTS)],
            city,
            members[n % len(members)],
            activities_made[idx].date,
            activity=activities_made[idx],
            status=S.ADOPTED if n % 7 else S.NOT_ADOPTED,
        )
    for n in range(265):
        idx = publicity_idx[n % len(publicity_idx)]
        if not attendees[idx]:
            continue
        a = activities_made[idx]
        topic = rng.choice([Opinion.Topic.INDUSTRY, Opinion.Topic.BUSINESS, Opinion.Topic.ECOLOGY])
        status, unit = settle()
        opinion(
            Opinion.Channel.RECEPTION,
            topic,
            rng.choice(TOPIC_TEXTS[topic]),
            a.region,
            rng.choice(attendees[idx]),
            a.date,
            activity=a,
            station=a.station,
            status=status,
            unit=unit,
        )
    reception_idx = [
        i
        for i, a in enumerate(activities_made)
        if a.kind
        in (
            Activity.Kind.RECEPTION,
            Activity.Kind.STATION_EVENT,
            Activity.Kind.INSPECTION,
            Activity.Kind.SURVEY,
        )
        and attendees[i]
    ]
    for _n in range(1080):
        idx = rng.choice(reception_idx)
        a = activities_made[idx]
        topic = rng.choice(topics)
        status, unit = settle()
        channel = Opinion.Channel.STATION if a.station_id else Opinion.Channel.RECEPTION
        opinion(
            channel,
            topic,
            rng.choice(TOPIC_TEXTS[topic]),
            a.region,
            rng.choice(attendees[idx]),
            a.date,
            activity=a,
            station=a.station,
            status=status,
            unit=unit,
        )
    everyone = sorted(home)
    for _n in range(640):
        taker = rng.choice(everyone)
        topic = rng.choice(topics)
        status, unit = settle()
        channel = rng.choice(
            [Opinion.Channel.WECHAT] * 3 + [Opinion.Channel.HOTLINE, Opinion.Channel.ONLINE]
        )
        opinion(
            channel,
            topic,
            rng.choice(TOPIC_TEXTS[topic]),
            home[taker],
            taker,
            _date(rng),
            status=status,
            unit=unit,
        )
    for n, (topic, status) in enumerate(
        [
            (Opinion.Topic.URBAN, S.SOLVED),
            (Opinion.Topic.TRANSPORT, S.FORWARDED),
            (Opinion.Topic.EDUCATION, S.RECORDED),
            (Opinion.Topic.SOCIAL, S.SUGGESTION),
            (Opinion.Topic.SAFETY, S.SOLVED),
        ]
    ):
        opinion(
            Opinion.Channel.WECHAT if n % 2 else Opinion.Channel.STATION,
            topic,
            TOPIC_TEXTS[topic][n % 3],
            mine,
            demo_person.pk,
            dt.date(2024, 3 + n, 12),
            status=status,
            unit=units[11] if status == S.FORWARDED else None,
        )
    made = Opinion.objects.bulk_create(opinions, batch_size=2000)
    tz = timezone.get_current_timezone()

    def on(day: dt.date, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)

    transitions = []
    for o in made:
        if o.status == S.RECORDED:
            continue
        settled = o.closed_on or min(o.received_on + dt.timedelta(days=3), LAST)
        if o.forwarded_to_id:
            transitions.append(
                OpinionTransition(
                    opinion=o,
                    from_status=S.RECORDED,
                    to_status=S.FORWARDED,
                    unit_id=o.forwarded_to_id,
                    reason="转交职能部门办理",
                    by=staff,
                    at=on(min(o.received_on + dt.timedelta(days=2), settled), 9),
                )
            )
            if o.status == S.SOLVED:
                transitions.append(
                    OpinionTransition(
                        opinion=o,
                        from_status=S.FORWARDED,
                        to_status=S.SOLVED,
                        reason="部门已办结，群众认可",
                        by=staff,
                        at=on(settled, 16),
                    )
                )
            continue
        transitions.append(
            OpinionTransition(
                opinion=o,
                from_status=S.RECORDED,
                to_status=o.status,
                reason=o.outcome_note,
                by=staff,
                at=on(settled),
            )
        )
    OpinionTransition.objects.bulk_create(transitions, batch_size=5000)
    return len(made)
