"""Builders for livelihood tests: a round with candidates, its poll, and many voters at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anping.accounts.models import User
from anping.orgs.models import Organisation
from deputies.models import Mandate, Person, Term
from livelihood import services
from livelihood.models import Candidate, Poll, Round
from tests.conftest import make_user
from tests.factories import make_deputy

TITLES = [
    "老旧小区改造",
    "城区道路积水点治理",
    "中小学课后服务",
    "社区养老服务中心",
    "农村饮水安全提升",
    "公办幼儿园扩容",
    "背街小巷照明",
    "公共停车位建设",
    "口袋公园建设",
    "食品安全快检室",
    "乡镇卫生院提质",
    "城乡公交一体化",
    "残疾儿童康复救助",
    "农贸市场改造",
    "充电桩进社区",
]


def city_term(region) -> Term:
    """The city's 15th term (made on first use), whatever region in the city is given."""
    person = make_deputy(region=region)
    return person.mandates.get().term


def make_round(*, term: Term, unit: Organisation, candidates: int = 5, year: int = 2024) -> Round:
    round_ = Round.objects.create(
        term=term,
        year=year,
        title=f"{year}年{term.congress.region.name}民生实事项目",
        collection_start=dt.date(year - 1, 10, 1),
        collection_end=dt.date(year - 1, 11, 30),
    )
    Candidate.objects.bulk_create(
        Candidate(
            round=round_,
            number=i + 1,
            title=TITLES[i % len(TITLES)],
            description="项目说明",
            unit=unit,
            target="年底前完成",
            funds=Decimal("1000"),
            timeline="3月启动，11月完成",
        )
        for i in range(candidates)
    )
    return round_


def make_poll(*, round_: Round, by: User, **settings) -> Poll:
    fields = dict(places=3, max_marks=3, quorum_numerator=1, quorum_denominator=2)
    fields.update(settings)
    return services.poll_save_settings(poll=Poll(round=round_, **fields), by=by)


def many_deputies(
    term: Term, region, n: int, *, with_users: bool = False, prefix="v"
) -> list[Person]:
    """n serving deputies of the term, made in bulk (with accounts if asked)."""
    people = Person.objects.bulk_create(
        Person(
            name=f"代表{prefix}{i:04d}",
            gender=Person.Gender.MALE,
            birth_date=dt.date(1970, 1, 1),
            mobile=f"188{i:08d}",
        )
        for i in range(n)
    )
    Mandate.objects.bulk_create(
        Mandate(person=p, term=term, level=term.congress.level, region=region) for p in people
    )
    if with_users:
        users = User.objects.bulk_create(
            User(username=f"{prefix}{i:04d}", role=User.Role.DEPUTY, region=region)
            for i in range(n)
        )
        for p, u in zip(people, users, strict=True):
            p.user = u
        Person.objects.bulk_update(people, ["user"])
    return people


def deputy_account(person: Person, username: str) -> User:
    user = make_user(username, User.Role.DEPUTY, region=person.mandates.first().region)
    person.user = user
    person.save(update_fields=["user"])
    return user
