"""The staff's daily digest: assembled from registered sources, one per person per day."""

import datetime as dt

import pytest

from anping.notifications import digest
from anping.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_source():
    def source(user, day):
        # Scoped by role: the county sees fewer overdue items than the city.
        n = 5 if user.role == "city_staff" else 2
        return [digest.DigestLine("逾期未答复的建议", n, "/admin/"), digest.DigestLine("空", 0)]

    digest.register("test-overdue")(source)
    yield
    digest.unregister("test-overdue")


def test_each_staff_member_gets_one_digest_a_day(
    city_staff, county_staff, deputy_user, overdue_source
):
    day = dt.date(2026, 5, 6)
    assert digest.send_staff_digests(day) == 2
    assert digest.send_staff_digests(day) == 0
    rows = Notification.objects.filter(kind=digest.KIND)
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["city", "linzhou"]
    city = rows.get(recipient=city_staff)
    assert "逾期未答复的建议：5" in city.body and "空" not in city.body
    assert "5" in city.title
    assert digest.send_staff_digests(day + dt.timedelta(days=1)) == 2


def test_no_digest_when_nothing_is_overdue(city_staff):
    assert digest.send_staff_digests(dt.date(2026, 5, 6)) == 0
    assert not Notification.objects.filter(kind=digest.KIND).exists()


def test_a_broken_source_does_not_stop_the_others(city_staff, overdue_source):
    def broken(user, day):
        raise RuntimeError("boom")

    digest.register("broken")(broken)
    try:
        assert digest.send_staff_digests(dt.date(2026, 5, 6)) == 1
    finally:
        digest.unregister("broken")
