"""Liaison stations: kinds and their rules, co-builders, and deputies stationed for periods,
including deputies of other cities."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from anping.errors import DomainError, NotAllowed
from anping.regions.models import Region
from deputies import services as deputy_services
from deputies.models import Level, Person
from stations import selectors, services
from stations.models import Station, Stationing
from tests.factories import PersonFactory

from .factories import make_station

pytestmark = pytest.mark.django_db


@pytest.fixture
def aviation(anyang):
    tangyin = Region.objects.get(code="410523")
    return make_station(
        region=tangyin, kind=Station.Kind.PROFESSIONAL, name="豫北航空经济协作区人大代表联络站"
    )


@pytest.fixture
def hebi_deputy(anyang) -> Person:
    """A provincial deputy of 鹤壁市: not in Anyang's roster."""
    person = PersonFactory(name="杨志刚")
    term = deputy_services.term_get_or_create(
        level=Level.PROVINCIAL, region=Region.objects.get(code="410600"), number=14
    )
    deputy_services.mandate_create(
        person=person, term=term, region=Region.objects.get(code="410600")
    )
    return person


def test_city_staff_station_a_deputy_of_another_city(city_staff, aviation, hebi_deputy):
    services.station_station_deputy(
        station=aviation, person=hebi_deputy, start_date=dt.date(2024, 5, 8), by=city_staff
    )
    figures = selectors.year_figures(user=city_staff, year=2024)
    assert figures["visiting"] == [{"station__name": "豫北航空经济协作区人大代表联络站", "n": 1}]


def test_overlapping_periods_are_refused(city_staff, aviation, hebi_deputy):
    services.station_station_deputy(
        station=aviation,
        person=hebi_deputy,
        start_date=dt.date(2024, 5, 1),
        end_date=dt.date(2024, 8, 31),
        by=city_staff,
    )
    with pytest.raises(DomainError):
        services.station_station_deputy(
            station=aviation, person=hebi_deputy, start_date=dt.date(2024, 7, 1), by=city_staff
        )
    services.station_station_deputy(
        station=aviation, person=hebi_deputy, start_date=dt.date(2024, 9, 1), by=city_staff
    )
    assert Stationing.objects.count() == 2


@pytest.mark.parametrize("role", ["county", "deputy", "unit", "evaluator", "outsider"])
def test_only_staff_over_the_station_may_station_deputies(roles, role, aviation, hebi_deputy):
    # 林州市 staff do not run a station in 汤阴县.
    with pytest.raises(NotAllowed):
        services.station_station_deputy(
            station=aviation, person=hebi_deputy, start_date=dt.date(2024, 5, 8), by=roles[role]
        )


def test_a_demonstration_point_has_the_four_standard_functions(linzhou):
    point = Station(
        name="黄华镇全过程人民民主基层示范点",
        kind=Station.Kind.DEMO_POINT,
        region=linzhou,
        address="黄华镇党群服务中心",
        does_liaison=True,
        does_consultation=True,
    )
    with pytest.raises(ValidationError):
        point.clean()
    with pytest.raises(IntegrityError):
        point.save()


def test_a_professional_station_names_its_industry(linzhou):
    with pytest.raises(ValidationError):
        Station(name="x", kind=Station.Kind.PROFESSIONAL, region=linzhou, address="x").clean()


def test_staff_station_deputies_found_in_the_admin(client, city_staff, aviation, hebi_deputy):
    client.force_login(city_staff)
    url = f"/admin/stations/station/{aviation.pk}/deputies/?include_provincial=on&name=杨志刚"
    assert "杨志刚" in client.get(url).content.decode()
    response = client.post(url, {"person": [hebi_deputy.pk], "start_date": "2024-05-08"})
    assert response.status_code == 302
    assert Stationing.objects.get().person == hebi_deputy


def test_the_public_directory_lists_active_stations_without_staff_data(client, aviation):
    make_station(region=aviation.region, name="停用的联络站", is_active=False)
    body = client.get("/stations/directory/").content.decode()
    assert "豫北航空经济协作区人大代表联络站" in body
    assert "停用的联络站" not in body


def test_county_staff_see_only_their_stations(county_staff, linzhou, aviation):
    mine = make_station(region=linzhou.children.first())
    assert list(Station.objects.visible_to(county_staff)) == [mine]
