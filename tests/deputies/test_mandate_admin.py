"""Mandates in the admin: entered inside one's region, ended only through the recorded step."""

import datetime as dt

import pytest

from anping.errors import NotAllowed
from deputies import services
from deputies.models import Level, Mandate, MandateChange
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db


def end(client, mandate, **data):
    payload = {"status": "resigned", "date": "2024-06-01", "reason": "工作调动", **data}
    return client.post(f"/admin/deputies/mandate/{mandate.pk}/end/", payload)


def test_county_staff_end_a_mandate_of_their_region_and_the_change_is_recorded(
    client, county_staff, linzhou
):
    mandate = make_deputy(region=linzhou, name="林州代表").mandates.get()
    client.force_login(county_staff)
    assert (
        "记录辞职、罢免或去世"
        in client.get(f"/admin/deputies/mandate/{mandate.pk}/change/").content.decode()
    )
    response = end(client, mandate)
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert (mandate.status, mandate.end_date) == (Mandate.Status.RESIGNED, dt.date(2024, 6, 1))
    change = MandateChange.objects.get()
    assert (change.from_status, change.to_status, change.by, change.reason) == (
        "serving",
        "resigned",
        county_staff,
        "工作调动",
    )
    # Ended: no button, and the page itself refuses (the step's predicate, `may_end_mandate`).
    page = client.get(f"/admin/deputies/mandate/{mandate.pk}/change/").content.decode()
    assert "记录辞职、罢免或去世" not in page
    response = client.post(
        f"/admin/deputies/mandate/{mandate.pk}/end/",
        {"status": "deceased", "date": "2024-07-01", "reason": "x"},
        follow=True,
    )
    assert "该代表职务已终止" in response.content.decode()
    assert MandateChange.objects.count() == 1
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.RESIGNED


def test_county_staff_cannot_end_another_countys_mandate(client, county_staff, wenfeng):
    mandate = make_deputy(region=wenfeng, name="文峰代表").mandates.get()
    client.force_login(county_staff)
    assert end(client, mandate).status_code == 404
    mandate.refresh_from_db()
    assert mandate.is_serving
    with pytest.raises(NotAllowed):
        services.mandate_end(
            mandate=mandate,
            status="resigned",
            date=dt.date(2024, 6, 1),
            reason="x",
            by=county_staff,
        )


def test_deputies_cannot_end_mandates_through_the_service(deputy_user):
    mandate = deputy_user.deputy.mandates.get()
    with pytest.raises(NotAllowed):
        services.mandate_end(
            mandate=mandate,
            status="resigned",
            date=dt.date(2024, 6, 1),
            reason="x",
            by=deputy_user,
        )


def test_a_mandate_added_in_the_admin_takes_its_level_from_the_term_and_stays_in_scope(
    client, county_staff, linzhou, wenfeng
):
    person = make_deputy(region=linzhou, name="林州代表")
    town = linzhou.children.order_by("code").first()
    term = services.term_get_or_create(level=Level.TOWNSHIP, region=town, number=18)
    other_town = wenfeng.children.order_by("code").first()
    client.force_login(county_staff)
    data = {"person": person.pk, "term": term.pk, "electoral_unit": "第一选区"}
    response = client.post("/admin/deputies/mandate/add/", {**data, "region": other_town.pk})
    assert "不在您管辖的区域内" in response.content.decode()
    response = client.post("/admin/deputies/mandate/add/", {**data, "region": town.pk})
    assert response.status_code == 302
    assert person.mandates.get(term=term).level == Level.TOWNSHIP


def person_form(term, region, **extra):
    return {
        "name": "新代表",
        "gender": "F",
        "ethnicity": "汉族",
        "birth_date": "1980-01-02",
        "mobile": "13700000000",
        "mandates-TOTAL_FORMS": "1",
        "mandates-INITIAL_FORMS": "0",
        "mandates-MIN_NUM_FORMS": "1",
        "mandates-MAX_NUM_FORMS": "1000",
        "mandates-0-term": term.pk,
        "mandates-0-region": region.pk,
        "mandates-0-electoral_unit": "黄华镇选区",
        **extra,
    }


def test_staff_add_a_deputy_with_a_mandate_in_one_form(client, county_staff, linzhou, wenfeng):
    town = linzhou.children.order_by("code").first()
    term = services.term_get_or_create(level=Level.COUNTY, region=town, number=17)
    client.force_login(county_staff)
    # Without a mandate the deputy would vanish from every list: the form asks for one.
    response = client.post(
        "/admin/deputies/person/add/", person_form(term, town, **{"mandates-TOTAL_FORMS": "0"})
    )
    assert response.status_code == 200 and not Mandate.objects.exists()
    other = services.term_get_or_create(
        level=Level.COUNTY, region=wenfeng.children.first(), number=17
    )
    response = client.post("/admin/deputies/person/add/", person_form(other, town))
    assert "不属于" in response.content.decode() and not Mandate.objects.exists()
    response = client.post("/admin/deputies/person/add/", person_form(term, town))
    assert response.status_code == 302
    mandate = Mandate.objects.get(person__name="新代表")
    assert (mandate.level, mandate.region, mandate.status) == (Level.COUNTY, town, "serving")


def test_county_staff_change_their_own_congress_terms_and_sessions_not_the_citys(
    client, county_staff, linzhou, anyang
):
    city_term = services.term_get_or_create(level=Level.CITY, region=linzhou, number=15)
    county_term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    client.force_login(county_staff)
    data = {
        "congress": city_term.congress.pk,
        "number": 16,
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    assert client.post(f"/admin/deputies/term/{city_term.pk}/change/", data).status_code == 403
    city_term.refresh_from_db()
    assert city_term.number == 15
    response = client.post("/admin/deputies/term/add/", data)
    assert "不在您管辖的区域内" in response.content.decode()
    data = {
        **data,
        "congress": county_term.congress.pk,
        "number": 18,
        "sessions-TOTAL_FORMS": "1",
        "sessions-0-number": "1",
        "sessions-0-start_date": "2026-12-20",
        "sessions-0-end_date": "2026-12-23",
    }
    assert client.post("/admin/deputies/term/add/", data).status_code == 302
    assert county_term.congress.terms.get(number=18).sessions.count() == 1
