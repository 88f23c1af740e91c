"""Who may see and do what with the roster: each role, allowed and denied, the outsider included.

| role            | admin | roster in admin      | import/export   | /deputies/me/     | phone, ID      |
| city staff      | yes   | the whole city       | yes             | 404 (no record)   | in full        |
| county staff    | yes   | their county only    | their county    | 404               | in full        |
| deputy          | no    | —                    | no              | their own, full   | own: full      |
| unit staff      | no    | —                    | no              | 404               | masked         |
| evaluator       | no    | —                    | no              | 404               | masked         |
| outsider        | no    | —                    | no              | 404               | masked         |
"""

import pytest

from tests.factories import make_deputy

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/deputies/person/",
    "/admin/deputies/mandate/",
    "/admin/deputies/person/overview/",
    "/admin/deputies/person/import/",
    "/admin/deputies/person/export/",
    "/admin/deputies/person/template/",
]


@pytest.fixture
def roster(linzhou, wenfeng):
    return {
        "linzhou": make_deputy(region=linzhou, name="林州代表", mobile="13800001111"),
        "wenfeng": make_deputy(region=wenfeng, name="文峰代表", mobile="13800002222"),
    }


@pytest.fixture
def everyone(city_staff, county_staff, deputy_user, unit_staff, evaluator, outsider):
    return {
        "city": city_staff,
        "county": county_staff,
        "deputy": deputy_user,
        "unit": unit_staff,
        "evaluator": evaluator,
        "outsider": outsider,
    }


def test_committee_staff_reach_every_roster_page_of_the_admin(client, everyone, roster):
    for role in ("city", "county"):
        client.force_login(everyone[role])
        for url in ADMIN_PAGES:
            assert client.get(url).status_code == 200, (role, url)


@pytest.mark.parametrize("role", ["deputy", "unit", "evaluator", "outsider"])
def test_nobody_else_reaches_the_admin(client, everyone, roster, role):
    client.force_login(everyone[role])
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/admin/login/"), url
    response = client.post("/admin/deputies/person/export/", {"format": "0", "resource": "0"})
    assert response.status_code == 302


def test_anonymous_visitors_are_sent_to_log_in(client, roster):
    for url in ADMIN_PAGES:
        assert client.get(url).url.startswith("/admin/login/")
    assert client.get("/deputies/me/").url.startswith("/accounts/login/")


def test_city_staff_see_every_county_county_staff_only_their_own(client, everyone, roster):
    client.force_login(everyone["city"])
    body = client.get("/admin/deputies/person/").content.decode()
    assert "林州代表" in body and "文峰代表" in body
    client.force_login(everyone["county"])
    body = client.get("/admin/deputies/person/").content.decode()
    assert "林州代表" in body and "文峰代表" not in body
    body = client.get("/admin/deputies/mandate/").content.decode()
    assert "林州代表" in body and "文峰代表" not in body


def test_county_staff_cannot_open_or_change_another_countys_deputy(client, everyone, roster):
    client.force_login(everyone["county"])
    other = roster["wenfeng"]
    response = client.get(f"/admin/deputies/person/{other.pk}/change/")
    assert response.status_code == 302  # "does not exist" for them
    response = client.post(
        f"/admin/deputies/person/{other.pk}/change/", {"name": "改名"}, follow=True
    )
    other.refresh_from_db()
    assert other.name == "文峰代表"
    own = roster["linzhou"]
    assert client.get(f"/admin/deputies/person/{own.pk}/change/").status_code == 200


def test_the_overview_counts_only_the_users_region(client, everyone, roster):
    client.force_login(everyone["county"])
    overview = client.get("/admin/deputies/person/overview/").context["overview"]
    assert (overview.persons, overview.mandates) == (1, 1)
    client.force_login(everyone["city"])
    overview = client.get("/admin/deputies/person/overview/").context["overview"]
    assert (overview.persons, overview.mandates) == (3, 3)  # with the deputy fixture's own


def test_a_deputy_sees_their_own_record_in_full_and_nobody_elses(client, everyone, roster):
    client.force_login(everyone["deputy"])
    person = everyone["deputy"].deputy
    response = client.get("/deputies/me/")
    body = response.content.decode()
    assert response.status_code == 200
    assert person.mobile in body and person.id_number in body
    assert "安阳市第十五届人民代表大会" in body
    assert "林州代表" not in body and "文峰代表" not in body


@pytest.mark.parametrize("role", ["city", "county", "unit", "evaluator", "outsider"])
def test_the_own_record_page_is_404_for_anyone_without_one(client, everyone, role):
    client.force_login(everyone[role])
    assert client.get("/deputies/me/").status_code == 404


def test_phone_and_id_numbers_are_masked_for_roles_that_do_not_need_them(everyone, roster):
    deputy = roster["linzhou"]
    for role in ("city", "county"):
        assert deputy.mobile_for(everyone[role]) == "13800001111"
        assert deputy.id_number_for(everyone[role]) == deputy.id_number
    for role in ("deputy", "unit", "evaluator", "outsider"):
        assert deputy.mobile_for(everyone[role]) == "138****1111"
        assert deputy.id_number_for(everyone[role]).count("*") == 10
    own = everyone["deputy"].deputy
    assert own.mobile_for(everyone["deputy"]) == own.mobile


def test_the_deputy_portal_links_to_the_own_record_only_for_deputies(client, everyone):
    client.force_login(everyone["deputy"])
    assert "/deputies/me/" in client.get("/portal/").content.decode()
    client.force_login(everyone["unit"])
    assert "/deputies/me/" not in client.get("/portal/").content.decode()


def test_county_staff_cannot_make_accounts_above_their_own_rights(client, county_staff, anyang):
    from anping.accounts.models import User

    client.force_login(county_staff)
    base = {
        "username": "newstaff",
        "password1": "x-Very-long-pass-91",
        "password2": "x-Very-long-pass-91",
    }
    response = client.post(
        "/admin/accounts/user/add/", {**base, "role": "city_staff", "region": anyang.pk}
    )
    body = response.content.decode()
    assert "只有市级工作人员才能创建市级工作人员账号" in body
    assert "只能为账号指定您管辖的区域" in body
    assert not User.objects.filter(username="newstaff").exists()
    response = client.post(
        "/admin/accounts/user/add/",
        {**base, "role": "county_staff", "region": county_staff.region.pk},
    )
    assert response.status_code == 302
    assert User.objects.get(username="newstaff").region == county_staff.region
