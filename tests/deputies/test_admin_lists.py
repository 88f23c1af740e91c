"""The roster's admin lists: search, filters, and a query count that does not grow with rows."""

import pytest
from django.db.models import Q

from deputies.models import Level, Mandate
from deputies.services import mandate_end
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db


def make_roster(n, linzhou, wenfeng, start=0):
    """n deputies: alternately in 林州市 and 文峰区, with expertise, some at two levels."""
    for i in range(start, start + n):
        region = linzhou if i % 2 else wenfeng
        person = make_deputy(region=region, name=f"代表{i:03d}", expertise=("法律", "审计"))
        if i % 3 == 0:
            township = region.children.order_by("code").first()
            from deputies import services

            term = services.term_get_or_create(level=Level.TOWNSHIP, region=township, number=18)
            services.mandate_create(person=person, term=term, region=township)


@pytest.mark.parametrize("url", ["/admin/deputies/person/", "/admin/deputies/mandate/"])
def test_changelist_queries_do_not_grow_with_the_roster(
    client, city_staff, linzhou, wenfeng, django_assert_num_queries, url
):
    client.force_login(city_staff)
    make_roster(3, linzhou, wenfeng)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    make_roster(27, linzhou, wenfeng, start=3)
    # Person list: session, user, the page's COUNT, the page, its mandates, its expertise, and
    # the filters' choices (regions, expertise). Mandate list: the page joined with person,
    # term, congress and regions, instead of the two prefetches.
    with django_assert_num_queries(len(three)):
        response = client.get(url)
    assert response.status_code == 200
    assert "代表029" in response.content.decode()


def test_person_list_filters_by_level_status_county_and_expertise(
    client, city_staff, linzhou, wenfeng
):
    make_roster(6, linzhou, wenfeng)
    lawyer = make_deputy(region=linzhou, name="消防专家", expertise=("消防",))
    client.force_login(city_staff)

    def names(query):
        response = client.get("/admin/deputies/person/" + query)
        assert response.status_code == 200
        return sorted(str(p) for p in response.context["cl"].result_list)

    assert names("?mandates__level__exact=township") == ["代表000", "代表003"]
    assert names("?region=410581") == ["代表001", "代表003", "代表005", "消防专家"]
    from deputies.models import Expertise

    fire = Expertise.objects.get(name="消防")
    assert names(f"?expertise__id__exact={fire.pk}") == ["消防专家"]
    mandate_end(
        mandate=lawyer.mandates.get(),
        status=Mandate.Status.RESIGNED,
        date=lawyer.mandates.get().start_date,
        reason="工作调动",
        by=city_staff,
    )
    assert names("?mandates__status__exact=resigned") == ["消防专家"]
    assert names("?q=消防") == ["消防专家"]
    assert names(f"?q={lawyer.mobile}") == ["消防专家"]


def test_mandate_list_filters_by_level_and_county(client, county_staff, linzhou, wenfeng):
    make_roster(6, linzhou, wenfeng)
    client.force_login(county_staff)
    response = client.get("/admin/deputies/mandate/?level__exact=township")
    shown = response.context["cl"].result_list
    assert [m.person.name for m in shown] == ["代表003"]  # 代表000 is 文峰区's


def test_foreign_keys_to_big_tables_use_autocomplete():
    from django.contrib import admin

    from deputies.models import Mandate, Person

    person_admin = admin.site._registry[Person]
    mandate_admin = admin.site._registry[Mandate]
    assert set(mandate_admin.autocomplete_fields) == {"person", "term", "region"}
    # The portal account is no longer a form field (a list of every account): it changes
    # through its own recorded step, by login name.
    from django.contrib.admin.utils import flatten_fieldsets

    assert "user" not in flatten_fieldsets(person_admin.fieldsets)
    assert "portal_account" in person_admin.readonly_fields
    assert mandate_admin.list_select_related


def test_the_overview_counts_persons_and_mandates_separately(
    client, city_staff, linzhou, wenfeng, django_assert_num_queries
):
    make_roster(6, linzhou, wenfeng)  # 6 city mandates, 2 of them also at a township
    client.force_login(city_staff)
    # session, user, the user's two permission lists (the admin's sidebar), the user's region,
    # then the counts: by level, totals, persons at several levels
    with django_assert_num_queries(8):
        response = client.get("/admin/deputies/person/overview/")
    overview = response.context["overview"]
    by_level = {row.level: (row.persons, row.mandates) for row in overview.levels}
    assert by_level[Level.CITY] == (6, 6)
    assert by_level[Level.TOWNSHIP] == (2, 2)
    assert (overview.persons, overview.mandates, overview.persons_with_several) == (6, 8, 2)
    body = response.content.decode()
    assert "代表名册概况" in body and "其中 2 名代表同时担任两级以上人大代表" in body
    assert Mandate.objects.filter(Q(level=Level.CITY)).count() == 6


def test_the_person_list_is_headed_by_the_persons_name_not_a_things(client, city_staff, linzhou):
    make_deputy(region=linzhou, name="林州代表", expertise=("法律",))
    client.force_login(city_staff)
    body = client.get("/admin/deputies/person/").content.decode()
    assert "姓名</a>" in body and "名称</a>" not in body
    body = client.get("/admin/deputies/expertise/").content.decode()
    assert "名称</a>" in body  # a tag still has a 名称
