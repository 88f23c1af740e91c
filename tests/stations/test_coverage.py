"""Coverage: how many deputies (persons, and mandates per level) took part in at least one
activity in the year, by region and level, and who took part in none; for staff in their scope."""

import datetime as dt

import pytest

from deputies import services as deputy_services
from deputies.models import Level
from stations import selectors
from tests.factories import make_deputy

from .factories import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(anyang, linzhou, wenfeng):
    """林州市: a city deputy who is also a county deputy (active), a township deputy (active) and
    a county deputy who did nothing; 文峰区: a county deputy (active) and one who did nothing."""
    huanghua = linzhou.children.get(name="黄华镇")
    both = make_deputy(region=linzhou, name="双重代表")
    term = deputy_services.term_get_or_create(level=Level.COUNTY, region=huanghua, number=17)
    deputy_services.mandate_create(person=both, term=term, region=huanghua)
    township = make_deputy(region=huanghua, level=Level.TOWNSHIP, term_number=18, name="乡镇代表")
    idle_l = make_deputy(region=huanghua, level=Level.COUNTY, term_number=17, name="林州未参加")
    w_town = wenfeng.children.first()
    active_w = make_deputy(region=w_town, level=Level.COUNTY, term_number=17, name="文峰参加")
    idle_w = make_deputy(region=w_town, level=Level.COUNTY, term_number=17, name="文峰未参加")
    # A township deputy of 文峰区 who also sits in 林州市's county congress: in both rows.
    spanning = make_deputy(region=w_town, level=Level.TOWNSHIP, term_number=18, name="跨区代表")
    term = deputy_services.term_get_or_create(level=Level.COUNTY, region=huanghua, number=17)
    deputy_services.mandate_create(person=spanning, term=term, region=huanghua)
    make_activity(region=linzhou, persons=[both, township, spanning], date=dt.date(2024, 3, 5))
    make_activity(region=wenfeng, persons=[active_w], date=dt.date(2024, 11, 5))
    make_activity(region=linzhou, persons=[idle_l], date=dt.date(2023, 12, 31))  # last year
    return {"idle": {idle_l, idle_w}, "linzhou_idle": idle_l}


def test_coverage_counts_persons_and_mandates_per_level(anyang, roster):
    cov = selectors.coverage(base=anyang, year=2024)
    assert (cov["persons"], cov["persons_active"]) == (6, 4)
    levels = {t["level"]: (t["n"], t["active"]) for t in cov["level_totals"]}
    assert levels[Level.CITY] == (1, 1)
    assert levels[Level.COUNTY] == (5, 3)
    assert levels[Level.TOWNSHIP] == (2, 2)
    rows = {r.label: (r.persons, r.persons_active) for r in cov["rows"]}
    assert rows == {"林州市": (4, 3), "文峰区": (3, 2)}


def test_coverage_of_a_county_is_by_township(linzhou, roster):
    cov = selectors.coverage(base=linzhou, year=2024)
    rows = {r.label: (r.persons, r.persons_active, r.by_level[Level.COUNTY]) for r in cov["rows"]}
    assert rows["黄华镇"] == (4, 3, [3, 2])
    # The city deputy elected in 林州市 itself sits at the county, not in a township.
    assert rows["林州市本级"][:2] == (1, 1)


def test_those_who_took_part_in_none_are_listed(anyang, roster):
    assert set(selectors.idle_deputies(base=anyang, year=2024)) == roster["idle"]


def test_county_staff_see_their_county_only(client, county_staff, roster):
    client.force_login(county_staff)
    response = client.get("/admin/stations/activity/coverage/?year=2024")
    body = response.content.decode()
    assert response.context["cov"]["persons"] == 4
    assert "林州未参加" in body and "文峰未参加" not in body
    assert (
        client.get("/admin/stations/activity/coverage/?year=2024&region=410502").status_code == 404
    )


@pytest.mark.parametrize("role", ["deputy", "unit", "evaluator", "outsider"])
def test_coverage_is_for_committee_staff_only(client, roles, role):
    client.force_login(roles[role])
    response = client.get("/admin/stations/activity/coverage/")
    assert response.status_code == 302 and "/login/" in response.url


def test_the_coverage_pages_queries_do_not_grow_with_deputies(
    client, city_staff, roster, anyang, wenfeng, django_assert_num_queries
):
    client.force_login(city_staff)
    # session, user, the user's region (their scope), the base region with its parent (for
    # "up"); coverage: the regions below, by region (persons, and mandates per
    # level), persons in all, those counted in two regions; the idle: count, page, their
    # mandates (prefetch); the admin's permission checks (user, group permissions).
    with django_assert_num_queries(13):
        client.get("/admin/stations/activity/coverage/?year=2024")
    for i in range(30):
        person = make_deputy(
            region=wenfeng.children.first(), level=Level.TOWNSHIP, term_number=18, name=f"新代表{i}"
        )
        if i % 2:
            make_activity(region=wenfeng, persons=[person], date=dt.date(2024, 6, 1))
    with django_assert_num_queries(13):
        client.get("/admin/stations/activity/coverage/?year=2024")
