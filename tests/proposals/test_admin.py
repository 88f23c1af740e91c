"""Staff in the admin: scoped lists in constant queries, review and assignment pages calling the
services, bulk actions."""

import pytest
from django.urls import reverse

from proposals.models import Assignment, Suggestion

from . import factories as f

pytestmark = pytest.mark.django_db


def test_changelist_in_constant_queries_and_scoped_to_the_region(
    client, deputy_user, other_deputy_user, city_staff, county_staff, django_assert_num_queries
):
    for i in range(3):
        f.submitted(deputy_user, title=f"文峰区第{i}件")
    f.submitted(other_deputy_user, title="林州市的建议")
    f.draft(deputy_user, title="代表自己的草稿")
    url = reverse("admin:proposals_suggestion_changelist")
    client.force_login(city_staff)
    client.get(url)
    # session, user, the user's region (scope), the county filter's regions, count, two for the
    # user's permissions (actions), the page of suggestions (+lead, region); the year filter
    # lists the last six years without a query
    with django_assert_num_queries(8) as ctx:
        page = client.get(url).content.decode()
    assert all(f"文峰区第{i}件" in page for i in range(3)) and "林州市的建议" in page
    assert "代表自己的草稿" not in page
    for i in range(5):
        f.submitted(deputy_user, title=f"更多第{i}件")
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url)
    client.force_login(county_staff)
    page = client.get(url).content.decode()
    assert "林州市的建议" in page and "文峰区第" not in page


def test_staff_review_and_assign_through_the_admin(
    client, deputy_user, city_staff, unit_staff, unit2
):
    a = f.submitted(deputy_user)
    b = f.submitted(deputy_user, title="关于增设公交线路的建议")
    client.force_login(city_staff)
    client.post(reverse("admin:proposals_suggestion_review", args=[a.pk]), {"decision": "register"})
    client.post(
        reverse("admin:proposals_suggestion_changelist"),
        {"action": "register_selected", "_selected_action": [b.pk]},
    )
    assert set(Suggestion.objects.values_list("number", flat=True)) == {1, 2}
    response = client.post(
        reverse("admin:proposals_suggestion_changelist"),
        {"action": "assign_selected", "_selected_action": [a.pk, b.pk]},
    )
    assign_url = response.url
    assert "ids=" in assign_url
    page = client.get(assign_url).content.decode()
    assert "关于增设公交线路的建议" in page
    client.post(
        assign_url, {"mode": "lead", "lead": unit_staff.organisation_id, "co_units": [unit2.pk]}
    )
    assert Assignment.objects.filter(role="lead", unit=unit_staff.organisation).count() == 2
    assert Assignment.objects.filter(role="co", unit=unit2).count() == 2
    page = client.get(reverse("admin:proposals_suggestion_change", args=[a.pk])).content.decode()
    assert "交办" in page and "安阳市住房和城乡建设局" in page


def test_decline_needs_a_reason_in_the_admin(client, deputy_user, city_staff):
    s = f.submitted(deputy_user)
    client.force_login(city_staff)
    page = client.post(
        reverse("admin:proposals_suggestion_review", args=[s.pk]),
        {"decision": "decline", "reason": ""},
    ).content.decode()
    assert "请说明理由" in page
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.SUBMITTED


def test_other_roles_cannot_use_the_staff_pages(client, deputy_user, unit_staff, outsider):
    s = f.submitted(deputy_user)
    for user in (deputy_user, unit_staff, outsider):
        client.force_login(user)
        response = client.get(reverse("admin:proposals_suggestion_review", args=[s.pk]))
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_suggestion_page_saves_nothing(client, deputy_user, city_staff):
    s = f.submitted(deputy_user)
    client.force_login(city_staff)
    url = reverse("admin:proposals_suggestion_change", args=[s.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page
    client.post(url, {"title": "改过的标题", "status": "closed"})
    s.refresh_from_db()
    assert (s.title, s.status) == (f.TITLE, Suggestion.Status.SUBMITTED)
