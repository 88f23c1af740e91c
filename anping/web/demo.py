"""Demo data shared by every app: regions, organisations and the demo accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.anyang import COUNTIES, load_anyang
from anping.regions.models import Region

DEMO_PASSWORD = "anping-demo-2026"

CITY_UNITS = [
    "安阳市发展和改革委员会",
    "安阳市教育局",
    "安阳市科学技术局",
    "安阳市工业和信息化局",
    "安阳市公安局",
    "安阳市民政局",
    "安阳市司法局",
    "安阳市财政局",
    "安阳市人力资源和社会保障局",
    "安阳市自然资源和规划局",
    "安阳市生态环境局",
    "安阳市住房和城乡建设局",
    "安阳市城市管理局",
    "安阳市交通运输局",
    "安阳市水利局",
    "安阳市农业农村局",
    "安阳市商务局",
    "安阳市文化广电和旅游局",
    "安阳市卫生健康委员会",
    "安阳市退役军人事务局",
    "安阳市应急管理局",
    "安阳市审计局",
    "安阳市市场监督管理局",
    "安阳市医疗保障局",
    "安阳市消防救援支队",
]


@dataclass
class DemoContext:
    """What the per-app demo builders share: a seeded random source and what was made so far."""

    rng: random.Random
    stdout: object
    deputies: int
    password_hash: str = ""
    made: dict = field(default_factory=dict)

    def say(self, line: str) -> None:
        self.stdout.write(line)


def seed(ctx: DemoContext) -> None:
    city = load_anyang()
    ctx.made["city"] = city
    ctx.password_hash = make_password(DEMO_PASSWORD)

    committees = [
        Organisation(
            name="安阳市人大常委会",
            short_name="市人大常委会",
            kind=Organisation.Kind.COMMITTEE,
            region=city,
        )
    ]
    units = [
        Organisation(
            name=n,
            short_name=n.removeprefix("安阳市"),
            kind=Organisation.Kind.HANDLING_UNIT,
            region=city,
            contact_person="联络员",
            contact_phone=f"0372-{2100000 + i * 137}",
        )
        for i, n in enumerate(CITY_UNITS)
    ]
    for code, (name, _townships) in COUNTIES.items():
        county = Region.objects.get(code=code)
        committees.append(
            Organisation(
                name=f"{name}人大常委会",
                short_name=f"{name}人大",
                kind=Organisation.Kind.COMMITTEE,
                region=county,
            )
        )
        for dept in ("住房和城乡建设局", "教育局", "交通运输局", "农业农村局"):
            units.append(
                Organisation(
                    name=f"{name}{dept}",
                    short_name=dept,
                    kind=Organisation.Kind.HANDLING_UNIT,
                    region=county,
                )
            )
    Organisation.objects.bulk_create(committees + units, ignore_conflicts=True)
    ctx.made["units"] = list(
        Organisation.objects.handling_units().filter(region=city).order_by("pk")
    )

    linzhou = Region.objects.get(code="410581")
    housing = Organisation.objects.get(name="安阳市住房和城乡建设局")
    accounts = [
        dict(
            username="admin",
            first_name="系统管理员",
            is_superuser=True,
            is_staff=True,
            region=None,
            role="",
        ),
        dict(
            username="city",
            first_name="王静",
            role=User.Role.CITY_STAFF,
            region=city,
            is_staff=True,
        ),
        dict(
            username="linzhou",
            first_name="李敏",
            role=User.Role.COUNTY_STAFF,
            region=linzhou,
            is_staff=True,
        ),
        dict(
            username="unit",
            first_name="赵强",
            role=User.Role.UNIT_STAFF,
            organisation=housing,
            region=city,
        ),
        dict(username="evaluator", first_name="孙立", role=User.Role.EVALUATOR, region=city),
    ]
    for fields in accounts:
        User.objects.update_or_create(
            username=fields.pop("username"), defaults={**fields, "password": ctx.password_hash}
        )
    ctx.say("  regions, organisations and staff accounts")
