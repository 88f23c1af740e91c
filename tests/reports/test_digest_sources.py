"""The areas' overdue items in the staff's daily digest, each staff member counting their scope."""

import datetime as dt

import pytest

from anping.notifications import digest
from anping.notifications.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_overdue_suggestions_reach_the_staff_whose_scope_holds_them(
    suggestions, world, city_staff, county_staff
):
    wenfeng_staff = make_user("wenfeng", "county_staff", region=world.wenfeng)
    # The open suggestion from 林州市 was due on 15 March.
    assert digest.send_staff_digests(dt.date(2026, 3, 20)) == 2
    city = Notification.objects.get(kind=digest.KIND, recipient=city_staff)
    linzhou = Notification.objects.get(kind=digest.KIND, recipient=county_staff)
    assert "超过答复期限的建议：1" in city.body
    assert "超过答复期限的建议：1" in linzhou.body
    assert not Notification.objects.filter(recipient=wenfeng_staff).exists()
    # Before the deadline nothing is overdue: no digest at all.
    assert digest.send_staff_digests(dt.date(2026, 3, 14)) == 0
