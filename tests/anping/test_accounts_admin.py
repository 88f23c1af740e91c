"""Accounts are made, changed, removed and unlocked through `anping.accounts.services`: each role
allowed and denied, the county staff member outside the region included, the database checked."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.models import Region
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/user/add/"
PASSWORDS = {"password1": "x-Very-long-pass-91", "password2": "x-Very-long-pass-91"}


@pytest.fixture
def yindu(anyang):
    return Region.objects.get(code="410505")


@pytest.fixture
def yindu_staff(yindu):
    return make_user("yindu", User.Role.COUNTY_STAFF, region=yindu, first_name="周平")


@pytest.fixture
def linzhou_unit(linzhou):
    return Organisation.objects.create(
        name="林州市住房和城乡建设局", kind=Organisation.Kind.HANDLING_UNIT, region=linzhou
    )


def add(client, **fields):
    return client.post(ADD, {"username": "new", **PASSWORDS, **fields})


def test_county_staff_cannot_make_an_evaluator_with_no_region(client, county_staff):
    client.force_login(county_staff)
    response = add(client, role=User.Role.EVALUATOR)
    assert response.status_code == 200
    assert "请为账号指定您管辖的区域" in response.content.decode()
    assert not User.objects.filter(username="new").exists()


def test_county_staff_make_an_evaluator_of_their_region_and_still_see_it(
    client, county_staff, linzhou
):
    client.force_login(county_staff)
    assert add(client, role=User.Role.EVALUATOR, region=linzhou.pk).status_code == 302
    made = User.objects.get(username="new")
    assert (made.role, made.region, made.is_staff) == (User.Role.EVALUATOR, linzhou, False)
    assert "new" in client.get("/admin/accounts/user/").content.decode()


def test_county_staff_cannot_give_an_account_another_countys_region_or_unit(
    client, county_staff, yindu, unit
):
    client.force_login(county_staff)
    response = add(client, role=User.Role.EVALUATOR, region=yindu.pk)
    assert "只能为账号指定您管辖的区域" in response.content.decode()
    # The city's unit: outside the county, so its staff would vanish from the county's list.
    response = add(client, role=User.Role.UNIT_STAFF, organisation=unit.pk)
    assert "只能为账号指定您管辖区域内的单位" in response.content.decode()
    assert not User.objects.filter(username="new").exists()


def test_county_staff_make_unit_staff_of_a_unit_of_their_county(client, county_staff, linzhou_unit):
    client.force_login(county_staff)
    assert add(client, role=User.Role.UNIT_STAFF, organisation=linzhou_unit.pk).status_code == 302
    assert User.objects.get(username="new").organisation == linzhou_unit


def test_city_staff_make_accounts_anywhere_in_the_city(client, city_staff, yindu, unit):
    client.force_login(city_staff)
    assert add(client, role=User.Role.COUNTY_STAFF, region=yindu.pk).status_code == 302
    made = User.objects.get(username="new")
    assert made.is_staff and made.region == yindu


def test_the_service_refuses_what_the_form_would_have_caught(county_staff, yindu):
    from anping.accounts import services
    from anping.errors import NotAllowed

    account = User(username="direct", role=User.Role.EVALUATOR, region=yindu)
    with pytest.raises(NotAllowed, match="只能为账号指定您管辖的区域"):
        services.account_save(account=account, by=county_staff)
    assert not User.objects.filter(username="direct").exists()


def test_county_staff_cannot_change_an_account_outside_their_region(
    client, county_staff, yindu_staff
):
    client.force_login(county_staff)
    response = client.get(f"/admin/accounts/user/{yindu_staff.pk}/change/")
    assert response.status_code == 302  # "does not exist" for them
    client.post(f"/admin/accounts/user/{yindu_staff.pk}/delete/", {"post": "yes"}, follow=True)
    assert User.objects.filter(pk=yindu_staff.pk).exists()


def test_county_staff_cannot_move_their_own_account_to_the_city(client, county_staff, anyang):
    client.force_login(county_staff)
    response = client.post(
        f"/admin/accounts/user/{county_staff.pk}/change/",
        {
            "username": county_staff.username,
            "role": User.Role.COUNTY_STAFF,
            "region": anyang.pk,
            "is_active": "on",
        },
    )
    assert "只能为账号指定您管辖的区域" in response.content.decode()
    county_staff.refresh_from_db()
    assert county_staff.region.code == "410581"


def lock(username):
    AccessAttempt.objects.create(
        username=username,
        ip_address="10.20.30.40",
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=5,
    )


def unlock(client, *accounts):
    return client.post(
        "/admin/accounts/user/",
        {"action": "unlock", "_selected_action": [a.pk for a in accounts]},
        follow=True,
    )


@pytest.mark.parametrize("role", ["city", "county"])
def test_committee_staff_unlock_an_account_of_their_region_and_it_is_recorded(
    client, role, city_staff, county_staff, linzhou
):
    deputy = make_user("13900000001", User.Role.DEPUTY, region=linzhou)
    lock(deputy.username)
    staff = {"city": city_staff, "county": county_staff}[role]
    client.force_login(staff)
    response = unlock(client, deputy)
    assert response.status_code == 200
    assert "已解锁 1 个账号" in response.content.decode()
    assert not AccessAttempt.objects.filter(username=deputy.username).exists()
    entry = LogEntry.objects.get(object_id=str(deputy.pk))
    assert entry.user == staff and "解锁" in entry.get_change_message()
    # And the person logs in again.
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": deputy.username, "password": "pass-for-tests-1"}
    )
    assert response.status_code == 302


def test_county_staff_outside_the_region_cannot_unlock(client, yindu_staff, linzhou):
    deputy = make_user("13900000001", User.Role.DEPUTY, region=linzhou)
    lock(deputy.username)
    client.force_login(yindu_staff)
    unlock(client, deputy)
    assert AccessAttempt.objects.filter(username=deputy.username).exists()
    assert not LogEntry.objects.filter(object_id=str(deputy.pk)).exists()


@pytest.mark.parametrize("role", ["deputy_user", "unit_staff", "evaluator"])
def test_nobody_else_reaches_the_unlock_action(client, request, role, linzhou):
    deputy = make_user("13900000001", User.Role.DEPUTY, region=linzhou)
    lock(deputy.username)
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        "/admin/accounts/user/", {"action": "unlock", "_selected_action": [deputy.pk]}
    )
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert AccessAttempt.objects.filter(username=deputy.username).exists()


def test_the_lockout_page_says_who_can_unlock(client, db):
    make_user("13900000001", User.Role.DEPUTY)
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "13900000001", "password": "wrong"})
    assert response.status_code == 429
    assert "常委会工作人员解锁" in response.content.decode()


def test_the_add_form_explains_itself_in_chinese(client, city_staff):
    client.force_login(city_staff)
    body = client.get(ADD).content.decode()
    assert "填写用户名和密码、角色" in body
    assert "Enter a user name" not in body and "First, enter" not in body


def test_a_delete_action_with_one_refused_account_removes_none(client, county_staff, linzhou):
    deputy = make_user("13900000001", User.Role.DEPUTY, region=linzhou)
    client.force_login(county_staff)
    response = client.post(
        "/admin/accounts/user/",
        {
            "action": "delete_selected",
            "_selected_action": [deputy.pk, county_staff.pk],
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "不能删除您自己的账号" in response.content.decode()
    assert User.objects.filter(pk__in=[deputy.pk, county_staff.pk]).count() == 2


def test_an_add_page_with_a_bad_initial_value_opens_without_it(client, county_staff, linzhou):
    client.force_login(county_staff)
    for query in ("region=abc", "region=99999999999999999999", f"region={linzhou.pk}"):
        response = client.get(f"{ADD}?{query}")
        assert response.status_code == 200, query
    assert response.context["adminform"].form.initial["region"] == str(linzhou.pk)
