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
    response = end(client, mandate, status="deceased")
    assert "该代表职务已终止" in response.content.decode()
    assert MandateChange.objects.count() == 1


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
