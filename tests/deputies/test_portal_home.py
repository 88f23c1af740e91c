"""The portal home's roster panel: a deputy is offered their own record; no one else is."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_deputy_is_offered_their_record_on_the_portal_home(client, deputy_user):
    client.force_login(deputy_user)
    body = client.get("/", follow=True).content.decode()
    assert "查看我的信息" in body and 'href="/deputies/me/"' in body


@pytest.mark.parametrize("role", ["county_staff", "unit_staff", "evaluator", "outsider"])
def test_others_are_not_offered_a_deputy_record(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/", follow=True)
    assert "查看我的信息" not in response.content.decode()
