"""Every admin write of the roster goes through a service that checks the writer's scope for the
object and for every foreign key it carries: a county's staff (林州市) cannot reach another
county's (殷都区) deputies, congresses or accounts, through any form, inline or button."""

import pytest

from anping.accounts.models import User
from anping.errors import NotAllowed
from anping.notifications.models import Notification
from anping.regions.models import Region
from deputies import services
from deputies.models import AccountLink, Congress, Expertise, Level, Mandate, Person, Session, Term
from tests.conftest import make_user
from tests.factories import make_deputy

pytestmark = pytest.mark.django_db


@pytest.fixture
def yindu(anyang):
    return Region.objects.get(code="410505")


@pytest.fixture
def yindu_deputy(yindu):
    return make_deputy(region=yindu, name="殷都代表", level=Level.COUNTY, term_number=17)


@pytest.fixture
def wenfeng_staff(wenfeng):
    return make_user("wenfeng", User.Role.COUNTY_STAFF, region=wenfeng)


def town(county, n=0):
    return county.children.order_by("code")[n]


# --- 1. a mandate pulls no one into scope -----------------------------------------------------


def test_county_staff_cannot_give_another_countys_deputy_a_mandate(
    client, county_staff, linzhou, yindu_deputy
):
    term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    client.force_login(county_staff)
    data = {"person": yindu_deputy.pk, "term": term.pk, "region": town(linzhou).pk}
    response = client.post("/admin/deputies/mandate/add/", data)
    assert response.status_code == 200
    assert "不在您管辖的区域内" in response.content.decode()
    assert yindu_deputy.mandates.count() == 1
    assert not Person.objects.visible_to(county_staff).filter(pk=yindu_deputy.pk).exists()
    # The service refuses it too, whoever calls it.
    mandate = Mandate(person=yindu_deputy, term=term, region=town(linzhou))
    with pytest.raises(NotAllowed):
        services.mandate_save(by=county_staff, mandate=mandate)
    assert yindu_deputy.mandates.count() == 1


def test_city_staff_may_give_any_deputy_of_the_city_a_second_mandate(
    client, city_staff, linzhou, yindu_deputy
):
    term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    client.force_login(city_staff)
    data = {"person": yindu_deputy.pk, "term": term.pk, "region": town(linzhou).pk}
    assert client.post("/admin/deputies/mandate/add/", data).status_code == 302
    assert yindu_deputy.mandates.filter(term=term, level=Level.COUNTY).exists()


def test_a_mandate_cannot_be_moved_to_another_deputy_on_its_change_form(
    client, county_staff, linzhou, yindu_deputy
):
    mandate = make_deputy(region=linzhou, name="林州代表").mandates.get()
    client.force_login(county_staff)
    data = {"person": yindu_deputy.pk, "term": mandate.term_id, "region": linzhou.pk}
    response = client.post(f"/admin/deputies/mandate/{mandate.pk}/change/", data)
    assert "不在您管辖的区域内" in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.person.name == "林州代表"


def test_county_staff_outside_the_region_cannot_change_or_delete_the_mandate(
    client, wenfeng_staff, linzhou
):
    mandate = make_deputy(region=linzhou, name="林州代表").mandates.get()
    client.force_login(wenfeng_staff)
    data = {"person": mandate.person_id, "term": mandate.term_id, "region": linzhou.pk}
    response = client.post(f"/admin/deputies/mandate/{mandate.pk}/change/", data)
    assert response.status_code == 302 and "/admin/" in response["Location"]  # "does not exist"
    response = client.post(f"/admin/deputies/mandate/{mandate.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Mandate.objects.filter(pk=mandate.pk, region=linzhou).exists()
    with pytest.raises(NotAllowed):
        services.mandate_delete(by=wenfeng_staff, mandate=mandate)


def test_county_staff_cannot_delete_a_deputy_who_also_sits_elsewhere(
    client, county_staff, linzhou, yindu_deputy
):
    term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    services.mandate_create(person=yindu_deputy, term=term, region=town(linzhou))
    client.force_login(county_staff)
    response = client.post(
        f"/admin/deputies/person/{yindu_deputy.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "也在您管辖的区域以外任职" in response.content.decode()
    assert Person.objects.filter(pk=yindu_deputy.pk).exists()
    assert yindu_deputy.mandates.count() == 2


# --- 3. the portal account ---------------------------------------------------------------


def link(client, person, username, reason="代表本人申请"):
    return client.post(
        f"/admin/deputies/person/{person.pk}/account/", {"username": username, "reason": reason}
    )


def test_county_staff_link_and_unlink_a_deputy_account_recorded_and_notified(
    client, county_staff, linzhou
):
    person = make_deputy(region=linzhou, name="林州代表")
    account = make_user("lz-deputy", User.Role.DEPUTY, region=linzhou)
    client.force_login(county_staff)
    page = client.get(f"/admin/deputies/person/{person.pk}/change/").content.decode()
    assert 'id="portal-account-change"' in page
    response = link(client, person, "lz-deputy")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == account
    step = AccountLink.objects.get()
    assert (step.from_status, step.to_status, step.new_account, step.by, step.reason) == (
        AccountLink.Status.UNLINKED,
        AccountLink.Status.LINKED,
        account,
        county_staff,
        "代表本人申请",
    )
    assert Notification.objects.filter(recipient=account, kind="deputies.account_linked").exists()
    page = client.get(f"/admin/deputies/person/{person.pk}/change/").content.decode()
    assert "已关联门户账号" in page  # the history on the person's page
    assert Notification.objects.get(recipient=account).url == "/deputies/me/"

    response = link(client, person, "", reason="账号停用")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is None
    assert AccountLink.objects.count() == 2
    assert Notification.objects.filter(recipient=account, kind="deputies.account_unlinked").exists()


def test_county_staff_cannot_take_over_a_deputy_who_also_sits_elsewhere(
    client, county_staff, linzhou, yindu_deputy
):
    term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    services.mandate_create(person=yindu_deputy, term=term, region=town(linzhou))
    make_user("mine", User.Role.DEPUTY, region=linzhou)
    client.force_login(county_staff)
    response = link(client, yindu_deputy, "mine")
    assert response.status_code == 302
    yindu_deputy.refresh_from_db()
    assert yindu_deputy.user is None and not AccountLink.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="portal-account-change"' in page  # shown: the person is theirs in part
    assert "也在您管辖的区域以外任职" in page


def test_only_deputy_accounts_of_the_region_not_yet_linked_can_be_linked(
    client, county_staff, linzhou, yindu
):
    person = make_deputy(region=linzhou, name="林州代表")
    other = make_deputy(region=linzhou, name="另一代表")
    make_user("yd-deputy", User.Role.DEPUTY, region=yindu)
    make_user("lz-staff", User.Role.COUNTY_STAFF, region=linzhou)
    taken = make_user("taken", User.Role.DEPUTY, region=linzhou)
    other.user = taken
    other.save()
    client.force_login(county_staff)
    assert (
        "您管辖的区域内没有这个登录名的账号" in link(client, person, "yd-deputy").content.decode()
    )
    assert "只有启用的代表账号" in link(client, person, "lz-staff").content.decode()
    assert "已是另一位代表的门户账号" in link(client, person, "taken").content.decode()
    person.refresh_from_db()
    assert person.user is None and not AccountLink.objects.exists()


def test_the_person_form_cannot_set_the_portal_account(client, county_staff, linzhou):
    person = make_deputy(region=linzhou, name="林州代表")
    account = make_user("lz-deputy", User.Role.DEPUTY, region=linzhou)
    mandate = person.mandates.get()
    client.force_login(county_staff)
    data = {
        "name": "林州代表",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": "1975-05-20",
        "mobile": person.mobile,
        "id_number": person.id_number,
        "user": account.pk,
        "mandates-TOTAL_FORMS": "1",
        "mandates-INITIAL_FORMS": "1",
        "mandates-MIN_NUM_FORMS": "1",
        "mandates-MAX_NUM_FORMS": "1000",
        "mandates-0-id": mandate.pk,
        "mandates-0-person": person.pk,
        "mandates-0-term": mandate.term_id,
        "mandates-0-region": linzhou.pk,
        "mandates-0-electoral_unit": "林州市代表团",
    }
    response = client.post(f"/admin/deputies/person/{person.pk}/change/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is None
    assert person.mandates.get().electoral_unit == "林州市代表团"


def test_staff_outside_the_region_get_404_on_the_account_page(
    client, wenfeng_staff, county_staff, linzhou
):
    person = make_deputy(region=linzhou, name="林州代表")
    client.force_login(county_staff)
    make_user("lz-deputy", User.Role.DEPUTY, region=linzhou)
    assert link(client, person, "lz-deputy").status_code == 302
    client.force_login(wenfeng_staff)
    assert client.get(f"/admin/deputies/person/{person.pk}/account/").status_code == 404
    assert link(client, person, "").status_code == 404
    person.refresh_from_db()
    assert person.user.username == "lz-deputy"
    # Nor do they see the change in the list of portal account changes.
    assert list(client.get("/admin/deputies/accountlink/").context["cl"].result_list) == []
    client.force_login(county_staff)
    assert len(client.get("/admin/deputies/accountlink/").context["cl"].result_list) == 1


def test_city_staff_link_an_account_for_a_deputy_of_two_counties(
    client, city_staff, linzhou, yindu_deputy
):
    term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    services.mandate_create(person=yindu_deputy, term=term, region=town(linzhou))
    account = make_user("yd-deputy", User.Role.DEPUTY, region=Region.objects.get(code="410505"))
    client.force_login(city_staff)
    assert link(client, yindu_deputy, "yd-deputy").status_code == 302
    yindu_deputy.refresh_from_db()
    assert yindu_deputy.user == account


# --- congresses, terms, sessions, expertise ------------------------------------------------


def test_county_staff_add_a_township_congress_of_their_county_only(
    client, county_staff, linzhou, wenfeng
):
    client.force_login(county_staff)
    data = {"level": Level.TOWNSHIP, "region": town(wenfeng).pk}
    response = client.post("/admin/deputies/congress/add/", data)
    assert "不在您管辖的区域内" in response.content.decode()
    assert not Congress.objects.exists()
    data = {"level": Level.TOWNSHIP, "region": linzhou.pk}  # a county is not a township
    response = client.post("/admin/deputies/congress/add/", data, follow=True)
    assert not Congress.objects.exists()
    data = {"level": Level.TOWNSHIP, "region": town(linzhou).pk}
    assert client.post("/admin/deputies/congress/add/", data).status_code == 302
    assert Congress.objects.get().region == town(linzhou)


def test_county_staff_cannot_add_a_session_to_the_citys_term(client, county_staff, linzhou):
    city_term = services.term_get_or_create(level=Level.CITY, region=linzhou, number=15)
    client.force_login(county_staff)
    data = {"term": city_term.pk, "number": 4, "start_date": "2026-01-10", "end_date": "2026-01-12"}
    response = client.post("/admin/deputies/session/add/", data)
    assert "不在您管辖的区域内" in response.content.decode()
    assert not Session.objects.exists()
    county_term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    data = {**data, "term": county_term.pk}
    assert client.post("/admin/deputies/session/add/", data).status_code == 302
    assert Session.objects.get().term == county_term
    with pytest.raises(NotAllowed):
        services.session_save(
            by=county_staff,
            session=Session(
                term=city_term, number=5, start_date="2026-01-10", end_date="2026-01-12"
            ),
        )


def test_county_staff_cannot_delete_the_citys_term(client, county_staff, linzhou):
    city_term = services.term_get_or_create(level=Level.CITY, region=linzhou, number=15)
    client.force_login(county_staff)
    response = client.post(f"/admin/deputies/term/{city_term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Term.objects.filter(pk=city_term.pk).exists()


def test_expertise_tags_are_kept_by_city_staff(client, county_staff, city_staff):
    client.force_login(county_staff)
    assert client.post("/admin/deputies/expertise/add/", {"name": "航空"}).status_code == 403
    assert not Expertise.objects.exists()
    with pytest.raises(NotAllowed):
        services.expertise_save(by=county_staff, expertise=Expertise(name="航空"))
    client.force_login(city_staff)
    assert client.post("/admin/deputies/expertise/add/", {"name": "航空"}).status_code == 302
    tag = Expertise.objects.get(name="航空")
    response = client.post(f"/admin/deputies/expertise/{tag.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Expertise.objects.exists()


def test_mandate_changes_are_seen_only_in_the_mandates_region(
    client, county_staff, wenfeng_staff, linzhou
):
    mandate = make_deputy(region=linzhou, name="林州代表").mandates.get()
    services.mandate_end(
        mandate=mandate, status="resigned", date=mandate.start_date, reason="调动", by=county_staff
    )
    client.force_login(wenfeng_staff)
    response = client.get("/admin/deputies/mandatechange/")
    assert list(response.context["cl"].result_list) == []
    client.force_login(county_staff)
    response = client.get("/admin/deputies/mandatechange/")
    assert len(response.context["cl"].result_list) == 1
    page = client.get(f"/admin/deputies/mandate/{mandate.pk}/change/").content.decode()
    assert "调动" in page  # the history on the mandate's page


def test_the_person_page_shows_only_the_mandates_in_the_staff_members_region(
    client, county_staff, linzhou, yindu_deputy
):
    term = services.term_get_or_create(level=Level.COUNTY, region=linzhou, number=17)
    services.mandate_create(
        person=yindu_deputy, term=term, region=town(linzhou), electoral_unit="林州选区"
    )
    yindu_deputy.mandates.exclude(term=term).update(electoral_unit="殷都选区")
    client.force_login(county_staff)
    response = client.get(f"/admin/deputies/person/{yindu_deputy.pk}/change/")
    [formset] = [f.formset for f in response.context["inline_admin_formsets"]]
    assert [m.electoral_unit for m in formset.queryset] == ["林州选区"]
    assert "殷都选区" not in response.content.decode()


def test_city_staff_keep_the_provincial_congresss_terms_county_staff_do_not(
    client, city_staff, county_staff, linzhou
):
    provincial = services.term_get_or_create(level=Level.PROVINCIAL, region=linzhou, number=14)
    data = {
        "congress": provincial.congress_id,
        "number": 15,
        **{f"sessions-{k}": v for k, v in INLINE.items()},
    }
    client.force_login(county_staff)
    assert "不在您管辖的区域内" in client.post("/admin/deputies/term/add/", data).content.decode()
    assert not Term.objects.filter(number=15, congress=provincial.congress).exists()
    client.force_login(city_staff)
    assert client.post("/admin/deputies/term/add/", data).status_code == 302
    assert Term.objects.filter(number=15, congress=provincial.congress).exists()


INLINE = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
