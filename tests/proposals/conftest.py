"""Fixtures of the suggestion tests: a city session, three handling units with their staff, an
evaluator in the pool, and a deputy who co-signs."""

import datetime as dt

import pytest

from anping.accounts.models import User
from anping.orgs.models import Organisation
from deputies.models import Session, Term
from proposals.models import EvaluatorAppointment
from tests.conftest import make_user
from tests.factories import make_deputy


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def city_term(deputy_user) -> Term:
    return deputy_user.deputy.mandates.get().term


@pytest.fixture
def session(city_term) -> Session:
    return Session.objects.create(
        term=city_term, number=3, start_date=dt.date(2024, 1, 10), end_date=dt.date(2024, 1, 13)
    )


@pytest.fixture
def unit2(anyang):
    return Organisation.objects.create(
        name="安阳市交通运输局", kind=Organisation.Kind.HANDLING_UNIT, region=anyang
    )


@pytest.fixture
def unit3(anyang):
    return Organisation.objects.create(
        name="安阳市财政局", kind=Organisation.Kind.HANDLING_UNIT, region=anyang
    )


@pytest.fixture
def other_unit_staff(unit2) -> User:
    return make_user("unit2", User.Role.UNIT_STAFF, organisation=unit2, first_name="钱进")


@pytest.fixture
def cosigner_user(wenfeng, deputy_user) -> User:
    """A third city deputy (文峰区), invited to co-sign."""
    user = make_user("deputy3", User.Role.DEPUTY, region=wenfeng.parent, first_name="陈红")
    make_deputy(region=wenfeng, user=user, name="陈红")
    return user


@pytest.fixture
def pool(evaluator, city_term):
    EvaluatorAppointment.objects.create(user=evaluator, term=city_term, field="城市建设")
    return evaluator


@pytest.fixture
def linzhou_unit(linzhou):
    return Organisation.objects.create(
        name="林州市住房和城乡建设局", kind=Organisation.Kind.HANDLING_UNIT, region=linzhou
    )


@pytest.fixture
def linzhou_unit2(linzhou):
    return Organisation.objects.create(
        name="林州市交通运输局", kind=Organisation.Kind.HANDLING_UNIT, region=linzhou
    )


@pytest.fixture
def linzhou_unit_staff(linzhou_unit) -> User:
    return make_user("lzunit", User.Role.UNIT_STAFF, organisation=linzhou_unit, first_name="周平")


@pytest.fixture
def linzhou_unit2_staff(linzhou_unit2) -> User:
    return make_user("lzunit2", User.Role.UNIT_STAFF, organisation=linzhou_unit2, first_name="吴刚")
