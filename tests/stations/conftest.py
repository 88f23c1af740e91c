"""Fixtures for the stations tests: the deputies behind the shared accounts, and a few more."""

import pytest

from anping.orgs.models import Organisation
from deputies.models import Person
from tests.factories import make_deputy


@pytest.fixture
def me(deputy_user) -> Person:
    """The Person of the shared `deputy` account (a city deputy elected in 文峰区)."""
    return Person.objects.get(user=deputy_user)


@pytest.fixture
def linzhou_deputy(linzhou) -> Person:
    """A county deputy of 林州市 (no account)."""
    return make_deputy(
        region=linzhou.children.first(), level="county", term_number=17, name="郁林英"
    )


@pytest.fixture
def wenfeng_deputy(wenfeng) -> Person:
    """A county deputy of 文峰区: outside 林州市 staff's region."""
    return make_deputy(region=wenfeng.children.first(), level="county", term_number=17, name="韩磊")


@pytest.fixture
def housing(unit) -> Organisation:
    return unit


@pytest.fixture
def roles(city_staff, county_staff, deputy_user, unit_staff, evaluator, outsider):
    """Every role, by name, for the allowed/denied tables."""
    return {
        "city": city_staff,
        "county": county_staff,
        "deputy": deputy_user,
        "unit": unit_staff,
        "evaluator": evaluator,
        "outsider": outsider,
    }
