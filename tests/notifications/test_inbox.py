"""The inbox on the portal: one's own notifications only, unread count, mark read."""

import pytest

from anping.notifications.models import Notification
from anping.notifications.services import notify

pytestmark = pytest.mark.django_db


def _fill(user, n, prefix="提醒"):
    return [
        notify(recipient=user, kind="test", title=f"{prefix}{i}", url="/portal/") for i in range(n)
    ]


def test_deputy_sees_own_notifications_and_unread_count(client, deputy_user, other_deputy_user):
    _fill(deputy_user, 3, "给张华")
    _fill(other_deputy_user, 2, "给刘洋")
    client.force_login(deputy_user)
    body = client.get("/notifications/").content.decode()
    assert body.count("给张华") == 3
    assert "给刘洋" not in body
    assert 'data-unread="3"' in body  # the shell's badge


@pytest.mark.parametrize(
    "who", ["city_staff", "county_staff", "unit_staff", "evaluator", "outsider"]
)
def test_every_role_has_an_inbox_of_its_own(client, request, who, deputy_user):
    user = request.getfixturevalue(who)
    _fill(user, 1, f"给{who}")
    _fill(deputy_user, 1, "给代表")
    client.force_login(user)
    body = client.get("/notifications/").content.decode()
    assert f"给{who}" in body
    assert "给代表" not in body


def test_anonymous_is_sent_to_login(client):
    assert client.get("/notifications/").url.startswith("/accounts/login/")


def test_marking_read_and_following_the_link(client, deputy_user):
    (n,) = _fill(deputy_user, 1)
    client.force_login(deputy_user)
    response = client.post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert response.url == "/portal/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_someone_elses_notification_is_not_found(client, deputy_user, other_deputy_user):
    (n,) = _fill(other_deputy_user, 1)
    client.force_login(deputy_user)
    assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_touches_only_mine(client, deputy_user, other_deputy_user):
    _fill(deputy_user, 4)
    _fill(other_deputy_user, 2)
    client.force_login(deputy_user)
    client.post("/notifications/read-all/")
    assert Notification.objects.filter(recipient=deputy_user, read_at__isnull=True).count() == 0
    assert (
        Notification.objects.filter(recipient=other_deputy_user, read_at__isnull=True).count() == 2
    )
    assert "data-unread" not in client.get("/notifications/").content.decode()


def test_portal_panel_shows_latest_unread(client, deputy_user):
    _fill(deputy_user, 7, "面板")
    client.force_login(deputy_user)
    body = client.get("/portal/").content.decode()
    assert 'id="notifications-panel"' in body
    assert "面板6" in body and "面板2" in body and "面板1" not in body


@pytest.mark.parametrize("count", [3, 60])
def test_inbox_query_count_does_not_grow(client, deputy_user, django_assert_num_queries, count):
    _fill(deputy_user, count)
    client.force_login(deputy_user)
    # session, user, the unread count (shared with the shell's badge), the page count, the
    # page's rows.
    with django_assert_num_queries(5):
        response = client.get("/notifications/")
    assert response.status_code == 200
