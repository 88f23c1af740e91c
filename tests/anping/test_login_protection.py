"""Repeated failed logins lock the account, never the address a whole hall shares."""

import pytest

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HALL = "10.20.30.40"  # the congress hall's one NAT address


def login(client, username, password):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=HALL,
    )


def test_five_failures_lock_that_account_even_with_the_right_password(client, db):
    make_user("13900000001", "deputy")
    for _ in range(4):
        assert login(client, "13900000001", "wrong").status_code == 200
    response = login(client, "13900000001", "wrong")
    assert response.status_code == 429
    response = login(client, "13900000001", "pass-for-tests-1")
    assert response.status_code == 429
    body = response.content.decode()
    assert "账户已锁定" in body
    assert "_auth_user_id" not in client.session


def test_others_behind_the_same_address_still_log_in(client, db):
    make_user("13900000001", "deputy")
    make_user("13900000002", "deputy")
    for _ in range(5):
        login(client, "13900000001", "wrong")
    response = login(client, "13900000002", "pass-for-tests-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_success_before_the_limit_resets_the_count(client, db):
    make_user("13900000001", "deputy")
    for _ in range(4):
        login(client, "13900000001", "wrong")
    assert login(client, "13900000001", "pass-for-tests-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "13900000001", "wrong").status_code == 200
