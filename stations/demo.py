"""Demo data for Anyang's 2024 "deputies in action" campaign (为人民履职、为中原添彩), shaped so
that the figures of the city's report of 23 September 2024 come out of the records: 300+
inspections and surveys, 2,000+ opinions of which 1,600+ solved, 5 professional stations
co-built by city and county with 4 provincial deputies from 鹤壁市 and 濮阳市 in one, 15 city
groups with 135 deputies, 89 county and township groups in 6 categories with 1,085 deputies,
65 law and fire-safety deputies in a legislation consultation with 54 suggestions, 107 deputies
in 9 budget reviews with 60+ opinions 85% adopted, 160+ publicity sessions with 265 ideas,
94 deputies in 11 stations hearing 12 department heads, and 12 measures all carried out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies import services as deputy_services
from deputies.models import Expertise, Level, Mandate, Person

from .models import (
    Activity,
    Campaign,
    DepartmentReport,
    Group,
    Measure,
    MeasureChange,
    Membership,
    Opinion,
    OpinionTransition,
    Participation,
    Station,
    Stationing,
    StationLead,
)

YEAR = 2024
FIRST = dt.date(2024, 1, 8)
LAST = dt.date(2024, 9, 20)  # the report's "截至9月份"

CAMPAIGN = "为人民履职、为中原添彩·人大代表在行动"
MEASURES = [
    ("传达学习全省动员会精神，制定主题活动实施方案", "办公室"),
    ("发动全市五级人大代表全员参与主题活动", "代表工作委员会"),
    ("新设5个专业代表联络站，实行市、县两级共建共管", "代表工作委员会"),
    ("组建代表专业（产业）小组并开展小组活动", "代表工作委员会"),
    ("组织法学、消防界代表参与消防安全管理条例立法", "法制委员会"),
    ("组织财会、审计等专业代表参与预算审查监督", "预算工作委员会"),
    ("规范全过程人民民主基层示范点建设并培训负责人", "代表工作委员会"),
    ("严把重点建议确定、督办、评价“三个关口”", "代表工作委员会"),
    ("组织代表参与民生实事项目落实情况调研监督", "财政经济委员会"),
    ("开展“践行红旗渠精神”等三项活动，组织代表深入基层宣讲", "代表工作委员会"),
    ("组织代表加入村、社区民声微信群，拓展民意收集渠道", "代表工作委员会"),
    ("组织代表进驻联络站，听取政府部门负责人报告工作", "代表工作委员会"),
]
SPECIAL = ["办公室", "代表工作委员会", "法制委员会", "财政经济委员会", "预算工作委员会"]

CITY_GROUPS = [
    ("航空产业专业小组", "航空产业", ["航空"]),
    ("电子信息专业小组", "电子信息", ["电子信息"]),
    ("文旅考古专业小组", "文旅考古", ["考古", "文旅"]),
    ("战略性新兴产业专业小组", "战略性新兴产业", ["新能源", "电子信息"]),
    ("低空经济专业小组", "低空经济", ["航空"]),
    ("数字经济专业小组", "数字经济", ["电子信息", "电子商务"]),
    ("金融服务专业小组", "金融服务", ["金融", "财会"]),
    ("现代农业专业小组", "现代农业", ["农业"]),
    ("先进制造业专业小组", "先进制造", ["新能源"]),
    ("生态环保专业小组", "生态环境保护", ["生态环境"]),
    ("城乡建设专业小组", "城乡建设", ["城乡建设", "交通运输"]),
    ("教育科技专业小组", "教育科技", ["教育"]),
    ("医疗卫生专业小组", "医疗卫生", ["医疗卫生"]),
    ("法治建设专业小组", "法治建设", ["法律", "消防"]),
    ("财经审计专业小组", "财政经济", ["财会", "审计", "统计", "国资"]),
]
CATEGORY_NAMES = {
    Group.Category.ECOMMERCE: ("电商", ["电子商务"]),
    Group.Category.AGRICULTURE: ("农业", ["农业"]),
    Group.Category.SERVICES: ("三产服务", ["金融", "文旅"]),
    Group.Category.INDUSTRY: ("工业", ["新能源", "电子信息"]),
    Group.Category.CULTURE_TOURISM: ("文旅", ["文旅", "考古"]),
    Group.Category.SOCIAL: ("社会事业", ["教育", "医疗卫生"]),
}
PROFESSIONAL_STATIONS = [
    ("考古小镇专业代表联络站", "410505", "殷墟考古小镇"),
    ("低空经济专业代表联络站", "410522", "低空经济产业"),
    ("数字经济专业代表联络站", "410502", "数字经济产业园"),
    ("金融经济专业代表联络站", "410503", "金融集聚区"),
    ("豫北航空经济协作区人大代表联络站", "410523", "豫北航空经济协作区"),
]
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
HEAD_POSTS = ["局长", "主任", "副局长", "党组书记、局长"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _date(rng, first=FIRST, last=LAST) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def seed(ctx) -> None:
    rng = ctx.rng
    city: Region = ctx.made["city"]
    staff = User.objects.filter(username="city").first()
    regions = {r.pk: r for r in Region.objects.all()}
    counties = sorted(
        (r for r in regions.values() if r.kind == Region.Kind.COUNTY and r.parent_id == city.pk),
        key=lambda r: r.code,
    )
    townships = defaultdict(list)
    for r in regions.values():
        if r.kind == Region.Kind.TOWNSHIP:
            townships[r.parent_id].append(r)
    county_of = {}
    for r in regions.values():
        if r.kind == Region.Kind.COUNTY:
            county_of[r.pk] = r
        elif r.kind == Region.Kind.TOWNSHIP:
            county_of[r.pk] = regions[r.parent_id]

    # --- organisations: the city committee's working bodies -------------------------------
    committee = Organisation.objects.get(name="安阳市人大常委会")
    county_committee = {
        o.region_id: o for o in Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE)
    }
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"安阳市人大常委会{n}" if n == "办公室" else f"安阳市人大{n}",
                short_name=n,
                kind=Organisation.Kind.SPECIAL_COMMITTEE,
                region=city,
            )
            for n in SPECIAL
        ],
        ignore_conflicts=True,
    )
    special = {
        o.short_name: o
        for o in Organisation.objects.filter(kind=Organisation.Kind.SPECIAL_COMMITTEE, region=city)
    }
    units = list(ctx.made["units"])

    # --- the roster, as this module needs it ----------------------------------------------
    expertise = {e.name: e.pk for e in Expertise.objects.all()}
    skills = defaultdict(set)
    for pid, eid in Person.expertise.through.objects.values_list("person_id", "expertise_id"):
        skills[pid].add(eid)
    serving = list(
        Mandate.objects.filter(status=Mandate.Status.SERVING, region__path__startswith=city.path)
        .values_list("person_id", "level", "region_id")
        .order_by("pk")
    )
    high = sorted(
        {p for p, lv, _r in serving if lv in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY)}
    )
    city_level = sorted({p for p, lv, _r in serving if lv == Level.CITY})
    by_county = defaultdict(set)  # county id → persons with a county or township seat there
    by_township = defaultdict(set)
    home = {}  # person → a region where they sit
    for p, lv, r in serving:
        home.setdefault(p, regions[r])
        if lv in (Level.COUNTY, Level.TOWNSHIP):
            by_county[county_of[r].pk].add(p)
            if regions[r].kind == Region.Kind.TOWNSHIP:
                by_township[r].add(p)
    by_county = {k: sorted(v) for k, v in by_county.items()}
    by_township = {k: sorted(v) for k, v in by_township.items()}
    demo_person = Person.objects.get(user=ctx.made["deputy_user"])

    def with_skill(pool, names):
        wanted = {expertise[n] for n in names if n in expertise}
        return [p for p in pool if skills[p] & wanted]

    # --- campaign and its 12 measures, all carried out ------------------------------------
    campaign = Campaign.objects.create(
        name=CAMPAIGN,
        year=YEAR,
        region=city,
        description="按照“注重全员参与，突出专业优势，抓实规定动作，守正创新出彩”的总体思路，"
        "在“全、专、实、新”上发力。",
    )
    measures = Measure.objects.bulk_create(
        [
            Measure(
                campaign=campaign,
                number=i,
                title=title,
                owner=special[owner],
                deadline=dt.date(2024, 9, 30) if i > 1 else dt.date(2024, 3, 31),
                status=Measure.Status.DONE,
                done_on=dt.date(2024, 3, 20) if i == 1 else _date(rng, dt.date(2024, 5, 1)),
            )
            for i, (title, owner) in enumerate(MEASURES, start=1)
        ]
    )
    MeasureChange.objects.bulk_create(
        [
            MeasureChange(
                measure=m,
                from_status=Measure.Status.PLANNED,
                to_status=Measure.Status.DONE,
                reason="按期落实到位",
                by=staff,
            )
            for m in measures
        ]
    )
    for m in measures:  # `at` is set on insert; the demo's changes happened in 2024
        MeasureChange.objects.filter(measure=m).update(
            at=dt.datetime.combine(m.done_on, dt.time(17), tzinfo=timezone.get_current_timezone())
        )
    measure = {m.number: m for m in measures}

    # --- professional groups: 15 city groups (135 deputies), 89 lower groups (1,085) -------
    groups: list[Group] = []
    plan: list[list[int]] = []
    free = [p for p in high if p != demo_person.pk]
    rng.shuffle(free)
    taken: set[int] = set()
    for i, (name, field, skill_names) in enumerate(CITY_GROUPS):
        fit = [p for p in with_skill(free, skill_names) if p not in taken][:9]
        rest = [p for p in free if p not in taken and p not in fit]
        members = fit + rest[: 9 - len(fit)]
        if i == 0:
            members = [demo_person.pk] + members[:8]
        taken.update(members)
        groups.append(
            Group(
                name=name,
                level=Group.Level.CITY,
                region=city,
                field=field,
                leader_id=members[0] if members else None,  # a small roster runs out
                established_on=dt.date(2024, 4, 10),
            )
        )
        plan.append(members)
    lower_taken: set[int] = set()
    categories = list(CATEGORY_NAMES)
    n_lower = 0
    county_quota = [10] * 8 + [9]  # 89 groups in the nine counties
    members_left = 1085
    for ci, county in enumerate(counties):
        pool = [p for p in by_county.get(county.pk, []) if p not in lower_taken]
        rng.shuffle(pool)
        quota = county_quota[ci]
        for gi in range(quota):
            category = categories[gi % len(categories)]
            label, skill_names = CATEGORY_NAMES[category]
            left_groups = 89 - n_lower
            size = max(1, round(members_left / left_groups))
            fit = [p for p in with_skill(pool, skill_names) if p not in lower_taken][:size]
            rest = [p for p in pool if p not in lower_taken and p not in fit]
            members = fit + rest[: size - len(fit)]
            lower_taken.update(members)
            members_left -= len(members)
            n_lower += 1
            if gi < 3:
                region, level = county, Group.Level.COUNTY
                name = f"{county.name}{label}代表专业小组" + ("" if gi < 6 else f"（{gi}）")
            else:
                region = townships[county.pk][gi % len(townships[county.pk])]
                level = Group.Level.TOWNSHIP
                name = f"{region.name}{label}代表小组"
            groups.append(
                Group(
                    name=name,
                    level=level,
                    region=region,
                    field=label,
                    category=category,
                    leader_id=members[0] if members else None,
                    established_on=dt.date(2024, 4, 20),
                )
            )
            plan.append(members)
    seen_names: set[tuple[int, str]] = set()
    for group in groups:
        while (group.region.pk, group.name) in seen_names:
            group.name = group.name.replace("代表小组", "代表二组", 1)
        seen_names.add((group.region.pk, group.name))
    Group.objects.bulk_create(groups)
    through = Group.expertise.through
    links = []
    for group in groups:
        names = (
            dict((n, s) for n, _f, s in CITY_GROUPS).get(group.name)
            or CATEGORY_NAMES[group.category][1]
        )
        links += [through(group_id=group.pk, expertise_id=expertise[n]) for n in names]
    through.objects.bulk_create(links, ignore_conflicts=True)
    Membership.objects.bulk_create(
        [
            Membership(group=g, person_id=p, joined_on=g.established_on)
            for g, members in zip(groups, plan, strict=True)
            for p in members
        ],
        ignore_conflicts=True,
    )

    # --- liaison stations ------------------------------------------------------------------
    stations: list[Station] = []
    for name, code, industry in PROFESSIONAL_STATIONS:
        county = Region.objects.get(code=code)
        stations.append(
            Station(
                name=name,
                kind=Station.Kind.PROFESSIONAL,
                region=county,
                industry=industry,
                address=f"{county.name}{industry}管委会一楼",
                contact_person="联络员",
                contact_phone=f"0372-{rng.randint(2000000, 5999999)}",
                reception_schedule="每月15日 9:00–11:30",
                established_on=dt.date(2024, 4, 28),
            )
        )
    regional: dict[int, Station] = {}
    for county in counties:
        for t in townships[county.pk]:
            station = Station(
                name=f"{t.name}人大代表联络站",
                kind=Station.Kind.REGIONAL,
                region=t,
                address=f"{county.name}{t.name}便民服务中心二楼",
                contact_person="站长",
                contact_phone=f"0372-{rng.randint(2000000, 5999999)}",
                reception_schedule="每月10日、25日 上午",
                established_on=dt.date(2019, 6, 1),
            )
            stations.append(station)
            regional[t.pk] = station
    demo_points = []
    for county in counties:
        t = townships[county.pk][0]
        point = Station(
            name=f"{t.name}全过程人民民主基层示范点",
            kind=Station.Kind.DEMO_POINT,
            region=t,
            address=f"{county.name}{t.name}党群服务中心",
            contact_person="负责人",
            contact_phone=f"0372-{rng.randint(2000000, 5999999)}",
            reception_schedule="每周三全天",
            does_liaison=True,
            does_consultation=True,
            does_supervision=True,
            does_promotion=True,
            established_on=dt.date(2023, 5, 1),
        )
        stations.append(point)
        demo_points.append(point)
    Station.objects.bulk_create(stations)
    builders = Station.co_builders.through
    co = []
    for s in stations[:5]:
        co.append(builders(station_id=s.pk, organisation_id=committee.pk))
        co.append(builders(station_id=s.pk, organisation_id=county_committee[s.region_id].pk))
    for s in stations[5:]:
        co.append(
            builders(
                station_id=s.pk, organisation_id=county_committee[county_of[s.region_id].pk].pk
            )
        )
    builders.objects.bulk_create(co, ignore_conflicts=True)
    StationLead.objects.bulk_create(
        [
            StationLead(
                station=p,
                name=rng.choice(SURNAMES) + rng.choice("建国卫东秀英丽华志强"),
                post="示范点负责人",
                trained_on=dt.date(2024, 5, 14),
                training_days=3,
            )
            for p in demo_points
        ]
    )

    # Four provincial deputies of 鹤壁市 and 濮阳市, stationed at the aviation-zone station.
    hebi = Region.objects.get(code="410600")
    puyang = Region.objects.get(code="410900")
    province = Region.objects.get(code="410000")
    provincial_term = deputy_services.term_get_or_create(
        level=Level.PROVINCIAL, region=province, number=14
    )
    visitors = []
    for name, region, post in [
        ("杨志刚", hebi, "鹤壁市航空物流园区管委会主任"),
        ("宋丽娟", hebi, "鹤壁市某航空器材公司董事长"),
        ("吕建华", puyang, "濮阳市通用航空产业协会会长"),
        ("崔卫东", puyang, "濮阳市工业园区党工委书记"),
    ]:
        person = Person.objects.create(
            name=name,
            gender=Person.Gender.FEMALE if name == "宋丽娟" else Person.Gender.MALE,
            birth_date=dt.date(rng.randint(1966, 1982), rng.randint(1, 12), rng.randint(1, 28)),
            party="中共党员",
            education="大学本科",
            employer_post=post,
            sector="企业负责人",
        )
        deputy_services.mandate_create(
            person=person,
            term=provincial_term,
            region=region,
            electoral_unit=f"{region.name}代表团",
        )
        visitors.append(person)
    aviation = stations[4]
    stationings = [
        Stationing(
            station=aviation,
            person=p,
            start_date=dt.date(2024, 5, 8),
            end_date=dt.date(2024, 12, 31),
            note="跨区域联合建站",
        )
        for p in visitors
    ]

    # --- activities ------------------------------------------------------------------------
    activities: list[Activity] = []
    attendees: list[list[int]] = []

    def add(
        kind, title, date, region, members, *, org=None, group=None, station=None, m=None, place=""
    ):
        if org is None and group is None and station is None:
            org = committee if region.pk == city.pk else county_committee[county_of[region.pk].pk]
        activities.append(
            Activity(
                kind=kind,
                title=title,
                date=date,
                region=region,
                location=place,
                committee=org,
                group=group,
                station=station,
                measure=m,
                created_by=staff,
            )
        )
        attendees.append(sorted(set(members)))
        return len(activities) - 1

    def sample(pool, k):
        return rng.sample(pool, min(k, len(pool)))

    # Inspections and surveys: 142 + 176, by the city, the counties and the groups.
    subjects = [
        "重点项目建设",
        "营商环境",
        "乡村振兴",
        "生态环境保护",
        "老旧小区改造",
        "中小学建设",
        "文物保护",
        "食品安全",
        "安全生产",
        "农田水利",
        "养老服务",
        "医疗服务",
    ]
    for kind, count, verb in [
        (Activity.Kind.INSPECTION, 142, "视察"),
        (Activity.Kind.SURVEY, 176, "调研"),
    ]:
        for _ in range(count):
            roll = rng.random()
            subject = rng.choice(subjects)
            if roll < 0.3:
                add(
                    kind,
                    f"市人大代表{verb}{subject}",
                    _date(rng),
                    city,
                    sample(city_level, rng.randint(8, 15)),
                    m=measure[2],
                )
            elif roll < 0.55:
                gi = rng.randrange(len(CITY_GROUPS))
                add(
                    kind,
                    f"{groups[gi].name}{verb}{subject}",
                    _date(rng),
                    city,
                    plan[gi],
                    group=groups[gi],
                    m=measure[4],
                )
            else:
                county = rng.choice(counties)
                add(
                    kind,
                    f"{county.name}人大代表{verb}{subject}",
                    _date(rng),
                    county,
                    sample(by_county[county.pk], rng.randint(8, 14)),
                    m=measure[2],
                )
    # The national and provincial deputies living in Anyang inspect and survey together twice.
    upper = sorted({p for p, lv, _r in serving if lv in (Level.NATIONAL, Level.PROVINCIAL)})
    add(
        Activity.Kind.INSPECTION,
        "驻安全国和省人大代表集中视察重点项目建设",
        dt.date(2024, 3, 26),
        city,
        sample(upper, int(len(upper) * 0.9)),
        m=measure[2],
    )
    add(
        Activity.Kind.SURVEY,
        "驻安全国和省人大代表专题调研优化营商环境",
        dt.date(2024, 6, 18),
        city,
        sample(upper, int(len(upper) * 0.8)),
        m=measure[2],
    )
    for i in range(6):
        add(
            Activity.Kind.LAW_ENFORCEMENT,
            [
                "《中华人民共和国安全生产法》执法检查",
                "《河南省大气污染防治条例》执法检查",
                "《中华人民共和国食品安全法》执法检查",
                "《安阳市城市市容和环境卫生管理条例》执法检查",
                "《中华人民共和国消防法》执法检查",
                "《中华人民共和国农业法》执法检查",
            ][i],
            _date(rng),
            city,
            sample(city_level, 12),
        )

    # Legislation: 65 law and fire-safety deputies across research, drafting and review.
    lawyers = with_skill(
        sorted(set(city_level) | set(p for c in counties for p in by_county[c.pk])),
        ["法律", "消防"],
    )
    rng.shuffle(lawyers)
    law65 = lawyers[:65]
    legislation_idx = []
    for i, (title, day) in enumerate(
        [
            ("《安阳市小型生产经营场所消防安全管理条例》立法调研", dt.date(2024, 3, 12)),
            ("《安阳市小型生产经营场所消防安全管理条例》草案起草座谈", dt.date(2024, 4, 17)),
            ("《安阳市小型生产经营场所消防安全管理条例》草案论证会", dt.date(2024, 5, 22)),
            ("《安阳市小型生产经营场所消防安全管理条例》征求代表意见会", dt.date(2024, 6, 19)),
        ]
    ):
        legislation_idx.append(
            add(
                Activity.Kind.LEGISLATION,
                title,
                day,
                city,
                law65[i * 17 : i * 17 + 17] + law65[64:],
                org=special["法制委员会"],
                m=measure[5],
            )
        )

    # Budget reviews: 9 reviews, 107 deputies with financial expertise first.
    money = with_skill(
        city_level + sorted(set(p for c in counties for p in by_county[c.pk])),
        ["财会", "审计", "统计", "国资", "资产评估", "金融"],
    )
    others = [p for p in city_level if p not in set(money)]
    budget107 = (money + others)[:107]
    budget_idx = []
    for i, title in enumerate(
        [
            "2024年预算草案初步审查",
            "2024年计划草案初步审查",
            "2023年决算草案审查",
            "2024年预算调整方案审查",
            "亿元以上政府投资项目审查调研（一）",
            "亿元以上政府投资项目审查调研（二）",
            "政府债务还本付息情况专项审查",
            "国有资产管理情况报告审查",
            "2024年上半年预算执行情况审查",
        ]
    ):
        day = [
            dt.date(2024, 1, 9),
            dt.date(2024, 1, 10),
            dt.date(2024, 6, 12),
            dt.date(2024, 7, 16),
            dt.date(2024, 4, 9),
            dt.date(2024, 5, 14),
            dt.date(2024, 6, 25),
            dt.date(2024, 8, 20),
            dt.date(2024, 8, 27),
        ][i]
        budget_idx.append(
            add(
                Activity.Kind.BUDGET_REVIEW,
                title,
                day,
                city,
                budget107[i * 12 : i * 12 + 14] + budget107[105:],
                org=special["预算工作委员会"],
                m=measure[6],
            )
        )

    # Publicity: 163 sessions in townships.
    publicity_idx = []
    themes = [
        "践行红旗渠精神，助力建设现代化区域中心强市",
        "我为强市建设做贡献",
        "我为强市建设献一策",
    ]
    all_townships = [t for c in counties for t in townships[c.pk]]
    for i in range(163):
        t = all_townships[i % len(all_townships)]
        pool = by_township.get(t.pk) or by_county[t.parent_id]
        publicity_idx.append(
            add(
                Activity.Kind.PUBLICITY,
                f"“{themes[i % 3]}”主题宣讲（{t.name}）",
                _date(rng, dt.date(2024, 4, 1)),
                t,
                sample(pool, rng.randint(3, 6)),
                station=regional[t.pk],
                m=measure[10],
            )
        )

    # Station events: 94 deputies in 11 stations heard 12 department heads.
    event_stations = stations[:5] + [regional[townships[c.pk][1].pk] for c in counties[:6]]
    city_pool = [p for p in city_level if p != demo_person.pk]
    rng.shuffle(city_pool)
    heard = [demo_person.pk] + city_pool[:93]
    events_idx = []
    for i in range(12):
        station = event_stations[i % 11]
        chunk = heard[i * 8 : i * 8 + 8] if i < 11 else heard[88:94]
        unit = units[i]
        events_idx.append(
            (
                add(
                    Activity.Kind.STATION_EVENT,
                    f"{unit.short_name or unit.name}负责人向代表报告工作",
                    _date(rng, dt.date(2024, 5, 10)),
                    station.region,
                    chunk,
                    station=station,
                    m=measure[12],
                ),
                unit,
            )
        )
    stationings += [
        Stationing(station=event_stations[i // 9 % 11], person_id=p, start_date=dt.date(2024, 5, 1))
        for i, p in enumerate(heard)
    ]

    # Livelihood supervision: 32 supervisions, 200+ city deputies.
    livelihood_pool = city_level[:]
    rng.shuffle(livelihood_pool)
    for i in range(32):
        add(
            Activity.Kind.LIVELIHOOD,
            f"民生实事项目落实情况监督（第{i + 1}次）",
            _date(rng, dt.date(2024, 3, 15)),
            city,
            livelihood_pool[(i * 7) % 200 : (i * 7) % 200 + 9],
            m=measure[9],
        )

    # Training, reports to voters, and the receptions that reach every township deputy.
    add(
        Activity.Kind.TRAINING,
        "全过程人民民主基层示范点负责人专题培训（3天）",
        dt.date(2024, 5, 14),
        city,
        sample(city_level, 20),
        m=measure[7],
    )
    for county in counties:
        add(
            Activity.Kind.TRAINING,
            f"{county.name}人大代表履职培训",
            _date(rng),
            county,
            sample(by_county[county.pk], 40),
        )
    for i in range(40):
        county = counties[i % len(counties)]
        add(
            Activity.Kind.REPORT,
            f"{county.name}代表向选民述职（第{i // len(counties) + 1}批）",
            _date(rng, dt.date(2024, 6, 1)),
            county,
            sample(by_county[county.pk], 6),
        )
    for t in all_townships:
        pool = list(by_township.get(t.pk, []))
        rng.shuffle(pool)
        pool = pool[: int(len(pool) * 0.96)]  # a few take part in nothing: coverage is not 100%
        for j in range(0, len(pool), 18):
            add(
                Activity.Kind.RECEPTION,
                f"{t.name}人大代表联络站接待选民日",
                _date(rng),
                t,
                pool[j : j + 18],
                station=regional[t.pk],
                m=measure[2],
            )
    # The demo deputy's own year: a reception and a report to voters.
    mine = county_of.get(home[demo_person.pk].pk, counties[0])
    add(
        Activity.Kind.RECEPTION,
        f"{townships[mine.pk][0].name}人大代表联络站接待选民日",
        dt.date(2024, 7, 10),
        townships[mine.pk][0],
        [demo_person.pk] + sample(city_level, 5),
        station=regional[townships[mine.pk][0].pk],
    )
    add(
        Activity.Kind.REPORT,
        "市人大代表向原选区选民述职",
        dt.date(2024, 9, 12),
        mine,
        [demo_person.pk] + sample(city_level, 3),
    )
    activities_made = Activity.objects.bulk_create(activities, batch_size=1000)
    Participation.objects.bulk_create(
        [
            Participation(activity=a, person_id=p, date=a.date)
            for a, members in zip(activities_made, attendees, strict=True)
            for p in members
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    DepartmentReport.objects.bulk_create(
        [
            DepartmentReport(
                activity=activities_made[i],
                unit=unit,
                head_name=rng.choice(SURNAMES) + rng.choice("建国卫东志强海涛明辉"),
                head_post=rng.choice(HEAD_POSTS),
                topic=f"{unit.short_name or unit.name}2024年重点工作推进情况",
            )
            for i, unit in events_idx
        ]
    )
    Stationing.objects.bulk_create(stationings, ignore_conflicts=True)

    # --- opinions: 2,000+ collected, 1,600+ solved ---------------------------------------
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
    ctx.say(
        f"  {len(groups)} groups, {len(stations)} stations, {len(activities_made)} activities, "
        f"{sum(len(a) for a in attendees)} participations, {len(made)} opinions (2024)"
    )
