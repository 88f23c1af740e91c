"""Handling units and committees are written through `anping.orgs.services`: a county's staff
place them only in their own county, never for the city or another county."""

import pytest

from anping.orgs.models import Organisation
from anping.regions.models import Region
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ADD = "/admin/orgs/organisation/add/"


@pytest.fixture
def yindu(anyang):
    return Region.objects.get(code="410505")


def unit_form(region, name="林州市交通运输局", **extra):
    return {"name": name, "kind": Organisation.Kind.HANDLING_UNIT, "region": region.pk, **extra}


def test_county_staff_cannot_make_a_unit_for_the_city(client, county_staff, anyang):
    client.force_login(county_staff)
    response = client.post(ADD, unit_form(anyang, name="安阳市交通运输局"))
    assert response.status_code == 200  # the form again, with the error
    assert not Organisation.objects.filter(name="安阳市交通运输局").exists()


def test_county_staff_cannot_make_a_unit_for_another_county(client, county_staff, yindu):
    client.force_login(county_staff)
    client.post(ADD, unit_form(yindu, name="殷都区交通运输局"))
    assert not Organisation.objects.filter(name="殷都区交通运输局").exists()


def test_county_staff_make_a_unit_of_their_county(client, county_staff, linzhou):
    client.force_login(county_staff)
    assert client.post(ADD, unit_form(linzhou)).status_code == 302
    assert Organisation.objects.get(name="林州市交通运输局").region == linzhou


def test_county_staff_see_the_citys_units_but_cannot_change_or_remove_them(
    client, county_staff, unit
):
    client.force_login(county_staff)
    assert unit.name in client.get("/admin/orgs/organisation/").content.decode()
    change = f"/admin/orgs/organisation/{unit.pk}/change/"
    client.post(change, unit_form(unit.region, name="改名"))
    client.post(f"/admin/orgs/organisation/{unit.pk}/delete/", {"post": "yes"})
    unit.refresh_from_db()
    assert unit.name == "安阳市住房和城乡建设局"


def test_county_staff_cannot_move_their_unit_out_of_the_county(client, county_staff, linzhou):
    own = Organisation.objects.create(
        name="林州市民政局", kind=Organisation.Kind.HANDLING_UNIT, region=linzhou
    )
    client.force_login(county_staff)
    client.post(
        f"/admin/orgs/organisation/{own.pk}/change/",
        unit_form(Region.objects.get(code="410500"), name="林州市民政局"),
    )
    own.refresh_from_db()
    assert own.region == linzhou


def test_the_service_refuses_a_unit_outside_the_scope(county_staff, yindu):
    from anping.errors import NotAllowed
    from anping.orgs import services

    unit = Organisation(name="殷都区民政局", kind=Organisation.Kind.HANDLING_UNIT, region=yindu)
    with pytest.raises(NotAllowed, match="只能在您管辖的区域内"):
        services.organisation_save(organisation=unit, by=county_staff)
    assert not Organisation.objects.filter(name="殷都区民政局").exists()


def test_city_staff_make_and_remove_units_anywhere(client, city_staff, yindu):
    client.force_login(city_staff)
    assert client.post(ADD, unit_form(yindu, name="殷都区民政局")).status_code == 302
    made = Organisation.objects.get(name="殷都区民政局")
    client.post(f"/admin/orgs/organisation/{made.pk}/delete/", {"post": "yes"})
    assert not Organisation.objects.filter(pk=made.pk).exists()


def test_a_unit_with_staff_cannot_be_removed_only_deactivated(client, city_staff, unit_staff):
    unit = unit_staff.organisation
    client.force_login(city_staff)
    response = client.post(
        f"/admin/orgs/organisation/{unit.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert Organisation.objects.filter(pk=unit.pk).exists()
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["deputy_user", "unit_staff", "evaluator"])
def test_nobody_else_writes_organisations(client, request, role, anyang):
    client.force_login(request.getfixturevalue(role))
    response = client.post(ADD, unit_form(anyang, name="安阳市某局"))
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert not Organisation.objects.filter(name="安阳市某局").exists()


def test_every_signed_in_role_sees_the_units_but_a_stranger_none(unit, deputy_user, db):
    assert list(Organisation.objects.visible_to(deputy_user)) == [unit]
    assert not Organisation.objects.visible_to(make_user("nobody")).exists()
