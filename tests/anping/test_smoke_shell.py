"""The portal shell: who lands where after logging in."""

import pytest

pytestmark = pytest.mark.django_db


def test_staff_land_in_the_admin_and_deputies_in_the_portal(client, city_staff, deputy_user):
    client.force_login(city_staff)
    assert client.get("/").url == "/admin/"
    client.force_login(deputy_user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "张华" in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get("/portal/").url.startswith("/accounts/login/")


def test_admin_changelist_is_chinese(client, city_staff):
    client.force_login(city_staff)
    body = client.get("/admin/deputies/person/").content.decode()
    assert "代表" in body
