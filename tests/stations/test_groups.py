"""Professional groups: members matched by expertise, added by staff of the group's region."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from anping.errors import DomainError, NotAllowed
from stations import selectors, services
from stations.models import Group, Membership
from tests.factories import make_deputy

from .factories import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecommerce(linzhou):
    return make_group(
        region=linzhou, name="林州市电商代表专业小组", category=Group.Category.ECOMMERCE
    )


@pytest.mark.parametrize("role", ["city", "county"])
def test_staff_of_the_region_add_members_once(roles, role, ecommerce, linzhou_deputy):
    added = services.group_add_members(group=ecommerce, persons=[linzhou_deputy], by=roles[role])
    again = services.group_add_members(group=ecommerce, persons=[linzhou_deputy], by=roles[role])
    assert (added, again) == (1, 0)
    assert list(ecommerce.memberships.values_list("person__name", flat=True)) == ["郁林英"]


@pytest.mark.parametrize("role", ["deputy", "unit", "evaluator", "outsider"])
def test_others_cannot_add_members(roles, role, ecommerce, linzhou_deputy):
    with pytest.raises(NotAllowed):
        services.group_add_members(group=ecommerce, persons=[linzhou_deputy], by=roles[role])
    assert not Membership.objects.exists()


def test_county_staff_cannot_touch_a_city_group(anyang, county_staff, linzhou_deputy):
    city_group = make_group(region=anyang, name="航空产业专业小组", field="航空产业")
    with pytest.raises(NotAllowed):
        services.group_add_members(group=city_group, persons=[linzhou_deputy], by=county_staff)


def test_county_staff_cannot_add_a_deputy_of_another_county(
    county_staff, ecommerce, wenfeng_deputy
):
    with pytest.raises(NotAllowed):
        services.group_add_members(group=ecommerce, persons=[wenfeng_deputy], by=county_staff)


def test_a_deputy_may_be_in_several_groups(city_staff, anyang, linzhou_deputy, ecommerce):
    other = make_group(
        region=ecommerce.region, name="林州市农业代表专业小组", category=Group.Category.AGRICULTURE
    )
    services.group_add_members(group=ecommerce, persons=[linzhou_deputy], by=city_staff)
    services.group_add_members(group=other, persons=[linzhou_deputy], by=city_staff)
    assert linzhou_deputy.memberships.count() == 2


def test_lower_level_groups_need_a_category(linzhou):
    group = Group(name="无类别小组", level=Group.Level.COUNTY, region=linzhou, field="电商")
    with pytest.raises(ValidationError) as raised:
        group.clean()
    assert "category" in raised.value.message_dict
    with pytest.raises(IntegrityError):  # the database says so too
        group.save()


def test_matches_are_deputies_with_the_groups_expertise_not_yet_members(
    city_staff, linzhou, ecommerce
):
    from deputies.models import Expertise

    ecommerce.expertise.add(Expertise.objects.get_or_create(name="电子商务")[0])
    township = linzhou.children.first()
    fits = make_deputy(region=township, level="county", term_number=17, expertise=("电子商务",))
    member = make_deputy(region=township, level="county", term_number=17, expertise=("电子商务",))
    make_deputy(region=township, level="county", term_number=17, expertise=("法律",))
    Membership.objects.create(group=ecommerce, person=member)
    assert list(selectors.group_matches(group=ecommerce, user=city_staff)) == [fits]


def test_staff_add_matching_deputies_in_one_step_from_the_admin(
    client, county_staff, linzhou, ecommerce
):
    from deputies.models import Expertise

    ecommerce.expertise.add(Expertise.objects.get_or_create(name="电子商务")[0])
    township = linzhou.children.first()
    a = make_deputy(
        region=township, level="county", term_number=17, expertise=("电子商务",), name="甲"
    )
    b = make_deputy(
        region=township, level="county", term_number=17, expertise=("电子商务",), name="乙"
    )
    client.force_login(county_staff)
    url = f"/admin/stations/group/{ecommerce.pk}/matches/"
    page = client.get(url).content.decode()
    assert "甲" in page and "乙" in page
    response = client.post(url, {"person": [a.pk, b.pk]})
    assert response.status_code == 302
    assert set(ecommerce.memberships.values_list("person_id", flat=True)) == {a.pk, b.pk}


def test_county_staff_see_only_their_regions_groups(anyang, county_staff, city_staff, ecommerce):
    make_group(region=anyang, name="航空产业专业小组", field="航空产业")
    assert list(Group.objects.visible_to(county_staff)) == [ecommerce]
    assert Group.objects.visible_to(city_staff).count() == 2


def test_matches_page_is_404_outside_the_scope(client, county_staff, anyang):
    city_group = make_group(region=anyang, name="航空产业专业小组", field="航空产业")
    client.force_login(county_staff)
    assert client.get(f"/admin/stations/group/{city_group.pk}/matches/").status_code == 404


def test_an_empty_choice_is_refused(city_staff, ecommerce):
    with pytest.raises(DomainError):
        services.group_add_members(group=ecommerce, persons=[], by=city_staff)


def test_a_deputy_sees_the_groups_they_lead_or_belong_to_once(
    deputy_user, me, anyang, linzhou, ecommerce
):
    led = make_group(region=anyang, name="航空产业专业小组", field="航空产业", leader=me)
    Membership.objects.create(group=led, person=me)  # leads it and is a member: one row
    member_of = make_group(
        region=linzhou, name="林州市农业小组", category=Group.Category.AGRICULTURE
    )
    Membership.objects.create(group=member_of, person=me)
    assert sorted(g.name for g in Group.objects.visible_to(deputy_user)) == sorted(
        [led.name, member_of.name]
    )
