"""Every roster admin form and inline, as a county's staff (林州市): each foreign key submitted
with another county's (殷都区) value writes nothing, whatever else the form holds."""

import pytest
from django.contrib import admin

from anping.accounts.admin_scoping import ReadOnlyScopedAdmin
from anping.regions.models import Region
from deputies import models, services
from deputies.models import Level
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db


def management(prefix, total="1", initial="0"):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def world(linzhou):
    yindu = Region.objects.get(code="410505")
    mine_town, their_town = linzhou.children.order_by("code")[0], yindu.children.order_by("code")[0]
    mine = make_deputy(region=linzhou, name="林州代表")
    theirs = make_deputy(region=yindu, name="殷都代表", level=Level.COUNTY, term_number=17)
    return {
        "mine": mine,
        "theirs": theirs,
        "my_town": mine_town,
        "their_town": their_town,
        "my_term": services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17),
        "their_term": theirs.mandates.get().term,
        "their_township_term": services.term_get_or_create(
            level=Level.TOWNSHIP, region=their_town, number=18
        ),
    }


def snapshot():
    return {
        name: sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))
        for name, model in [
            ("person", models.Person),
            ("mandate", models.Mandate),
            ("congress", models.Congress),
            ("term", models.Term),
            ("session", models.Session),
            ("expertise", models.Expertise),
            ("links", models.AccountLink),
        ]
    }


def cases(w):
    """(admin URL, form data) pairs, each with exactly one out-of-scope foreign key."""
    mine_mandate = w["mine"].mandates.get()
    mandate = {"person": w["mine"].pk, "term": w["my_term"].pk, "region": w["my_town"].pk}
    person = {
        "name": "新代表",
        "gender": "F",
        "ethnicity": "汉族",
        "birth_date": "1980-01-02",
        **management("mandates"),
    }
    inline = {"mandates-0-term": w["my_term"].pk, "mandates-0-region": w["my_town"].pk}
    change_person = {
        **person,
        "name": "林州代表",
        **management("mandates", total="2", initial="1"),
        "mandates-0-id": mine_mandate.pk,
        "mandates-0-person": w["mine"].pk,
        "mandates-0-term": mine_mandate.term_id,
        "mandates-0-region": mine_mandate.region_id,
        "mandates-1-person": w["mine"].pk,
        "mandates-1-term": w["my_term"].pk,
        "mandates-1-region": w["my_town"].pk,
    }
    session = {"number": 9, "start_date": "2026-01-10", "end_date": "2026-01-12"}
    sessions = management("sessions", total="0")
    mandate_url = f"/admin/deputies/mandate/{mine_mandate.pk}/change/"
    person_url = f"/admin/deputies/person/{w['mine'].pk}/change/"
    return [
        ("/admin/deputies/mandate/add/", {**mandate, "person": w["theirs"].pk}),
        ("/admin/deputies/mandate/add/", {**mandate, "region": w["their_town"].pk}),
        ("/admin/deputies/mandate/add/", {**mandate, "term": w["their_township_term"].pk}),
        (mandate_url, {**mandate, "person": w["theirs"].pk}),
        (mandate_url, {**mandate, "region": w["their_town"].pk}),
        (
            "/admin/deputies/person/add/",
            {**person, **inline, "mandates-0-region": w["their_town"].pk},
        ),
        (
            "/admin/deputies/person/add/",
            {**person, **inline, "mandates-0-term": w["their_term"].pk},
        ),
        (person_url, {**change_person, "mandates-1-region": w["their_town"].pk}),
        (person_url, {**change_person, "mandates-1-term": w["their_township_term"].pk}),
        ("/admin/deputies/congress/add/", {"level": Level.TOWNSHIP, "region": w["their_town"].pk}),
        (
            "/admin/deputies/term/add/",
            {"congress": w["their_term"].congress_id, "number": 18, **sessions},
        ),
        ("/admin/deputies/session/add/", {**session, "term": w["their_term"].pk}),
        ("/admin/deputies/expertise/add/", {"name": "航空"}),
    ]


def test_no_out_of_scope_foreign_key_is_written_through_any_roster_admin_form(
    client, county_staff, world
):
    client.force_login(county_staff)
    before = snapshot()
    for url, data in cases(world):
        response = client.post(url, data)
        assert response.status_code in (200, 403), (url, data, response.status_code)
        assert snapshot() == before, (url, data)


def test_the_same_forms_with_in_scope_values_do_write(client, county_staff, world):
    """The counter-test: the cases fail for their one foreign key, not for anything else."""
    client.force_login(county_staff)
    w = world
    good = {"person": w["mine"].pk, "term": w["my_term"].pk, "region": w["my_town"].pk}
    assert client.post("/admin/deputies/mandate/add/", good).status_code == 302
    data = {"level": Level.TOWNSHIP, "region": w["my_town"].pk}
    assert client.post("/admin/deputies/congress/add/", data).status_code == 302
    data = {
        "number": 9,
        "start_date": "2026-01-10",
        "end_date": "2026-01-12",
        "term": w["my_term"].pk,
    }
    assert client.post("/admin/deputies/session/add/", data).status_code == 302


def test_every_writing_roster_admin_is_walked():
    walked = {"mandate", "person", "congress", "term", "session", "expertise"}
    registered = {
        model._meta.model_name
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "deputies"
        and not isinstance(model_admin, ReadOnlyScopedAdmin)
        and model_admin.save_service is not None
    }
    assert registered == walked
