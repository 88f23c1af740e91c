"""Every foreign key a staff page of the suggestions accepts is checked against the writer's
scope in the service, not only the suggestion's own region: units, supervising leaders, the
earlier suggestion of a repeat, the target of a merge. Refused writes change nothing; the
look-alike page lists only suggestions the staff member may see."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from anping.errors import NotAllowed
from proposals import services
from proposals.models import Assignment, RepeatLink, Suggestion

from . import factories as f

pytestmark = pytest.mark.django_db


def test_county_staff_cannot_assign_to_units_outside_their_region(
    client, county_staff, other_deputy_user, unit, linzhou_unit, linzhou_unit2
):
    s = f.registered(other_deputy_user, county_staff)
    with pytest.raises(NotAllowed):
        services.suggestion_assign(suggestion=s, by=county_staff, lead=unit)
    with pytest.raises(NotAllowed):
        services.suggestion_assign(
            suggestion=s, by=county_staff, lead=linzhou_unit, co_units=[unit]
        )
    with pytest.raises(NotAllowed):
        services.suggestion_assign(suggestion=s, by=county_staff, split_units=[linzhou_unit, unit])
    client.force_login(county_staff)
    url = reverse("admin:proposals_suggestion_assign") + f"?ids={s.pk}"
    page = client.get(url).content.decode()
    # The form offers only the county's own units.
    assert linzhou_unit.name in page and unit.name not in page
    page = client.post(url, {"mode": "lead", "lead": unit.pk}).content.decode()
    assert "errorlist" in page
    client.post(url, {"mode": "lead", "lead": linzhou_unit.pk, "co_units": [unit.pk]})
    assert not Assignment.objects.exists()
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.REGISTERED
    client.post(url, {"mode": "lead", "lead": linzhou_unit.pk, "co_units": [linzhou_unit2.pk]})
    assert Assignment.objects.filter(suggestion=s).count() == 2


def test_county_staff_cannot_reassign_to_a_unit_outside_their_region(
    client, county_staff, other_deputy_user, unit, linzhou_unit_staff
):
    s = f.assigned(other_deputy_user, county_staff, linzhou_unit_staff.organisation)
    a = s.assignments.get()
    services.assignment_send_back(assignment=a, by=linzhou_unit_staff, reason="不属本单位职责")
    with pytest.raises(NotAllowed):
        services.assignment_reassign(assignment=a, unit=unit, by=county_staff)
    client.force_login(county_staff)
    client.post(
        reverse("admin:proposals_suggestion_reassign", args=[s.pk, a.pk]), {"unit": unit.pk}
    )
    assert not s.assignments.filter(status="open").exists()
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.SENT_BACK


def test_supervising_leader_must_be_in_the_writers_scope(
    client, city_staff, county_staff, other_deputy_user
):
    from tests.conftest import make_user

    colleague = make_user(
        "linzhou2", "county_staff", region=county_staff.region, first_name="何主任"
    )
    s = f.registered(other_deputy_user, county_staff)
    services.key_choose(suggestion=s, by=county_staff)
    with pytest.raises(NotAllowed):
        services.key_supervisor_set(suggestion=s, supervisor=city_staff, by=county_staff)
    client.force_login(county_staff)
    url = reverse("admin:proposals_suggestion_key", args=[s.pk])
    page = client.get(url).content.decode()
    # People's names (and region), not login names; only accounts the writer may see.
    assert "何主任（林州市）" in page and ">linzhou2<" not in page
    assert "王静" not in page
    client.post(url, {"supervisor": city_staff.pk})
    assert Suggestion.objects.get(pk=s.pk).key_supervisor is None
    client.post(url, {"supervisor": colleague.pk})
    assert Suggestion.objects.get(pk=s.pk).key_supervisor == colleague


def test_repeat_and_merge_need_both_suggestions_in_scope(
    county_staff, city_staff, deputy_user, other_deputy_user
):
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0), tick=False):
        elsewhere_earlier = f.submitted(deputy_user)
    mine = f.submitted(other_deputy_user)
    elsewhere = f.submitted(deputy_user)
    with pytest.raises(NotAllowed):
        services.repeat_confirm(
            suggestion=mine, earlier=elsewhere_earlier, similarity=0.9, by=county_staff
        )
    assert not RepeatLink.objects.exists()
    with pytest.raises(NotAllowed):
        services.suggestion_merge(duplicate=mine, into=elsewhere, by=county_staff)
    assert Suggestion.objects.get(pk=mine.pk).status == Suggestion.Status.SUBMITTED


def test_look_alike_page_lists_only_the_region_s_suggestions(
    client, city_staff, county_staff, deputy_user, other_deputy_user
):
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0), tick=False):
        old_elsewhere = f.submitted(deputy_user, title=f.TITLE + "（往年文峰区）")
        services.suggestion_register(suggestion=old_elsewhere, by=city_staff)
    elsewhere = f.submitted(deputy_user, title=f.TITLE + "（文峰区）")
    services.suggestion_register(suggestion=elsewhere, by=city_staff)
    mine = f.submitted(other_deputy_user)
    url = reverse("admin:proposals_suggestion_similar", args=[mine.pk])
    client.force_login(county_staff)
    page = client.get(url).content.decode()
    for other in (old_elsewhere, elsewhere):
        assert other.title not in page
        assert Suggestion.objects.get(pk=other.pk).number_label not in page
    assert "张华" not in page
    client.force_login(city_staff)
    page = client.get(url).content.decode()
    assert elsewhere.title in page and old_elsewhere.title in page and "张华" in page
