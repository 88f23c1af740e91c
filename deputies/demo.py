"""Demo roster: a realistic, deterministic Anyang at five levels (about 9,700 mandates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from anping.accounts.models import User
from anping.regions.models import Region

from .idnumbers import make_id_number
from .models import Congress, Expertise, Level, Mandate, Person, RosterImport, Session, Term

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍红建国志海军文新利春梅晓东林辉鹏飞宇浩然子涵思雨欣怡博文俊杰建华丽娟卫东红梅永刚振华学军淑珍"
EXPERTISE = [
    "法律",
    "消防",
    "财会",
    "审计",
    "统计",
    "国资",
    "资产评估",
    "金融",
    "考古",
    "航空",
    "电子信息",
    "电子商务",
    "农业",
    "文旅",
    "教育",
    "医疗卫生",
    "生态环境",
    "城乡建设",
    "交通运输",
    "新能源",
]
PARTIES = ["中共党员"] * 14 + [
    "民革党员",
    "民盟盟员",
    "民建会员",
    "农工党党员",
    "九三学社社员",
    "群众",
    "群众",
    "群众",
]
EDUCATION = ["研究生", "大学本科", "大学本科", "大学本科", "大学专科", "高中", "中专"]
SECTORS = [
    "党政机关",
    "企业负责人",
    "专业技术人员",
    "工人",
    "农民",
    "基层干部",
    "教育工作者",
    "医务工作者",
    "解放军",
]
POSTS = [
    "{r}人民医院主任医师",
    "{r}第一中学校长",
    "{r}农业合作社理事长",
    "安阳钢铁集团高级工程师",
    "{r}律师事务所主任",
    "{r}消防救援大队大队长",
    "{r}会计师事务所所长",
    "{r}村党支部书记",
    "{r}供电公司工人",
    "{r}电子商务协会会长",
    "殷墟博物馆研究员",
    "豫北航空经济协作区管委会主任",
    "{r}农商银行行长",
    "{r}审计局副局长",
    "光远新材工程师",
]

# Mandates per level in Anyang's roster of about 9,700 (roughly the real proportions).
SHARE = {
    Level.NATIONAL: 12,
    Level.PROVINCIAL: 66,
    Level.CITY: 470,
    Level.COUNTY: 2560,
    Level.TOWNSHIP: 6592,
}
BATCH = 5000
TERM_NUMBER = {
    Level.NATIONAL: 14,
    Level.PROVINCIAL: 14,
    Level.CITY: 15,
    Level.COUNTY: 17,
    Level.TOWNSHIP: 18,
}
TERM_START = {
    Level.NATIONAL: dt.date(2023, 3, 5),
    Level.PROVINCIAL: dt.date(2023, 1, 12),
    Level.CITY: dt.date(2022, 1, 8),
    Level.COUNTY: dt.date(2021, 12, 20),
    Level.TOWNSHIP: dt.date(2021, 11, 15),
}


def _terms(ctx) -> dict[tuple[str, int], Term]:
    """One current term per congress, with its yearly sessions (the city's: 第一次 … 第五次会议)."""
    regions = list(Region.objects.order_by("path"))
    this_year_end = dt.date(timezone.localdate().year, 12, 31)
    terms: dict[tuple[str, int], Term] = {}
    kind_level = {
        Region.Kind.COUNTRY: Level.NATIONAL,
        Region.Kind.PROVINCE: Level.PROVINCIAL,
        Region.Kind.CITY: Level.CITY,
        Region.Kind.COUNTY: Level.COUNTY,
        Region.Kind.TOWNSHIP: Level.TOWNSHIP,
    }
    for region in regions:
        level = kind_level[region.kind]
        if region.kind == Region.Kind.CITY and region.code != "410500":
            continue
        congress, _ = Congress.objects.get_or_create(level=level, region=region)
        start = TERM_START[level]
        term, _ = Term.objects.get_or_create(
            congress=congress,
            number=TERM_NUMBER[level],
            defaults={
                "start_date": start,
                "end_date": start.replace(year=start.year + 5) - dt.timedelta(days=1),
            },
        )
        # The first session opens the term; the others sit each January after it, so that
        # every congress has a session in 2024 and in the current year (the demo's two years).
        first_january = start.year + (1 if start.month > 6 else 0)
        for n in range(1, 6):
            day = start if n == 1 else dt.date(first_january + n - 1, 1, 10 + n)
            if day > this_year_end:
                break
            Session.objects.get_or_create(
                term=term,
                number=n,
                defaults={"start_date": day, "end_date": day + dt.timedelta(days=3)},
            )
        terms[(level, region.pk)] = term
    return terms


# Seats held by someone already seated a level up, in the same county (a city deputy elected
# by 林州市 who also sits in 林州市's congress; a county deputy who also sits in their township's):
# a few hundred in a roster of 9,700, so persons and mandates differ as in the real one.
OVERLAP = {
    # upper level → (lower level, share of the upper seats that also hold a lower one)
    Level.NATIONAL: (Level.CITY, 0.3),
    Level.PROVINCIAL: (Level.CITY, 0.3),
    Level.CITY: (Level.COUNTY, 0.3),
    Level.COUNTY: (Level.TOWNSHIP, 0.06),
}


@dataclass
class Seat:
    level: str
    region: Region  # the mandate's region: a county for the upper levels, else a township
    holder: int | None = None  # index of the seat whose person also holds this one


def _seats(rng, total: int, counties: list[Region], townships: list[Region]) -> list[Seat]:
    """The mandates to hand out, level by level in Anyang's proportions, with overlaps."""
    scale = total / sum(SHARE.values())
    seats: list[Seat] = []
    for level, share in SHARE.items():
        pool = counties if level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY) else townships
        seats.extend(Seat(level, rng.choice(pool)) for _ in range(max(1, round(share * scale))))
    # Free lower seats by the region they can be shared in: the county for a county seat
    # (its region is a township of that county), the township itself for a township seat.
    free: dict[tuple[str, int], list[int]] = {}
    for i, seat in enumerate(seats):
        if seat.level == Level.COUNTY:
            free.setdefault((seat.level, seat.region.parent_id), []).append(i)
        elif seat.level in (Level.CITY, Level.TOWNSHIP):
            free.setdefault((seat.level, seat.region.pk), []).append(i)
    for upper, (lower, share) in OVERLAP.items():
        for i, seat in enumerate(seats):
            if seat.level != upper or rng.random() >= share:
                continue
            # A county or township seat's own region is where the lower seat is shared.
            candidates = free.get((lower, seat.region.pk))
            if candidates:
                seats[candidates.pop(rng.randrange(len(candidates)))].holder = i
    return seats


def seed(ctx) -> None:
    rng = ctx.rng
    terms = _terms(ctx)
    expertise = [Expertise.objects.get_or_create(name=n)[0] for n in EXPERTISE]
    regions = {r.pk: r for r in Region.objects.order_by("path")}
    city = ctx.made["city"]
    counties = [r for r in regions.values() if r.kind == Region.Kind.COUNTY]
    townships = [r for r in regions.values() if r.kind == Region.Kind.TOWNSHIP]
    country = next(r for r in regions.values() if r.kind == Region.Kind.COUNTRY)
    province = next(r for r in regions.values() if r.kind == Region.Kind.PROVINCE)

    seats = _seats(rng, max(ctx.deputies, 20), counties, townships)
    persons: list[Person] = []
    owner: list[int] = []  # seat index → index of its person in `persons`
    used_ids: set[str] = set()
    used_mobiles: set[str] = set()

    def new_person(region: Region) -> int:
        male = rng.random() < 0.72
        birth = dt.date(rng.randint(1958, 1995), rng.randint(1, 12), rng.randint(1, 28))
        county = region if region.kind != Region.Kind.TOWNSHIP else regions[region.parent_id]
        code = county.code if county.kind == Region.Kind.COUNTY else "410502"
        seq = len(persons) * 2 + 1
        id_number = make_id_number(code, birth, seq, male)
        while id_number in used_ids:
            seq += 2
            id_number = make_id_number(code, birth, seq, male)
        used_ids.add(id_number)
        mobile = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
        while mobile in used_mobiles:
            mobile = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
        used_mobiles.add(mobile)
        persons.append(
            Person(
                name=rng.choice(SURNAMES)
                + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))),
                gender="M" if male else "F",
                ethnicity="汉族" if rng.random() < 0.97 else rng.choice(["回族", "满族", "蒙古族"]),
                birth_date=birth,
                party=rng.choice(PARTIES),
                education=rng.choice(EDUCATION),
                employer_post=rng.choice(POSTS).format(r=region.name),
                sector=rng.choice(SECTORS),
                mobile=mobile,
                id_number=id_number,
            )
        )
        return len(persons) - 1

    for seat in seats:
        if seat.holder is None:
            owner.append(new_person(seat.region))
        else:
            owner.append(owner[seat.holder])  # holders come first: upper levels are listed first

    for start in range(0, len(persons), BATCH):
        Person.objects.bulk_create(persons[start : start + BATCH])
    through = Person.expertise.through
    links = [
        through(person_id=p.pk, expertise_id=e.pk)
        for p in persons
        for e in rng.sample(expertise, rng.choice((0, 1, 1, 2)))
    ]
    through.objects.bulk_create(links, batch_size=BATCH)

    mandates = []
    for i, seat in enumerate(seats):
        level, region = seat.level, seat.region
        congress_region = {
            Level.NATIONAL: country,
            Level.PROVINCIAL: province,
            Level.CITY: city,
            Level.COUNTY: regions.get(region.parent_id),
            Level.TOWNSHIP: region,
        }[level]
        term = terms[(level, congress_region.pk)]
        unit = {
            Level.NATIONAL: "河南代表团",
            Level.PROVINCIAL: "安阳市代表团",
            Level.CITY: f"{region.name}代表团",
            Level.COUNTY: f"{region.name}选区",
            Level.TOWNSHIP: f"第{rng.randint(1, 12)}选区",
        }[level]
        mandates.append(
            Mandate(
                person=persons[owner[i]],
                term=term,
                level=level,
                region=region,
                electoral_unit=unit,
                start_date=term.start_date,
            )
        )
    Mandate.objects.bulk_create(mandates, batch_size=BATCH)

    # Portal accounts for the city deputies (they vote and write suggestions on their phones).
    # One password hash for all: hashing thousands of passwords would take minutes.
    city_term = terms[(Level.CITY, city.pk)]
    city_people = [m.person for m in mandates if m.term_id == city_term.pk]
    users = [
        User(
            username=p.mobile,
            first_name=p.name,
            role=User.Role.DEPUTY,
            region=city,
            password=ctx.password_hash,
        )
        for p in city_people
    ]
    User.objects.bulk_create(users, batch_size=BATCH, ignore_conflicts=True)
    by_name = {}
    mobiles = [p.mobile for p in city_people]
    for start in range(0, len(mobiles), BATCH):
        by_name.update(
            (u.username, u)
            for u in User.objects.filter(username__in=mobiles[start : start + BATCH])
        )
    for p in city_people:
        p.user = by_name.get(p.mobile)
    Person.objects.bulk_update(city_people, ["user"], batch_size=BATCH)
    first = city_people[0]
    User.objects.filter(username="deputy").delete()
    first.user.username = "deputy"
    first.user.save(update_fields=["username"])
    ctx.made["city_term"] = city_term
    ctx.made["deputy_user"] = first.user
    _import_history(city)
    ctx.say(f"  {len(persons)} deputies holding {len(mandates)} mandates at five levels")


def _import_history(city: Region) -> None:
    """A few past roster imports for the admin's history: 林州市's staff sent a workbook with
    errors, then the corrected one; the city's staff imported the city deputies."""
    import hashlib

    from django.utils import timezone

    users = {u.username: u for u in User.objects.filter(username__in=["city", "linzhou"])}
    if len(users) < 2:
        return
    shanghai = timezone.get_default_timezone()
    history = [
        ("city", "安阳市第十五届人大代表名册.xlsx", dt.datetime(2022, 1, 20, 9, 12), 0, (486, 486)),
        ("linzhou", "林州市代表名册（报送）.xlsx", dt.datetime(2022, 2, 14, 15, 3), 7, (0, 0)),
        (
            "linzhou",
            "林州市代表名册（修改后）.xlsx",
            dt.datetime(2022, 2, 15, 10, 41),
            0,
            (412, 431),
        ),
    ]
    RosterImport.objects.filter(by__in=users.values()).delete()
    for username, name, at, errors, (persons, mandates) in history:
        user = users[username]
        record = RosterImport.objects.create(
            by=user,
            region_id=user.region_id,
            file_name=name,
            file_size=40_000 + 95 * (mandates or 420),
            sha256=hashlib.sha256(name.encode()).hexdigest(),
            outcome=RosterImport.Outcome.REFUSED if errors else RosterImport.Outcome.IMPORTED,
            rows=mandates or 431,
            error_rows=errors,
            persons_created=persons,
            mandates_created=mandates,
        )
        RosterImport.objects.filter(pk=record.pk).update(at=at.replace(tzinfo=shanghai))
