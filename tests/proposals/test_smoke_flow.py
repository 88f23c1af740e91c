import datetime as dt

import pytest
import time_machine

from proposals import services
from proposals.models import Suggestion

from . import factories as f

pytestmark = pytest.mark.django_db


@time_machine.travel(
    dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
)
def test_happy_path(deputy_user, city_staff, unit_staff, session):
    s = f.answered(deputy_user, city_staff, unit_staff, grade="B")
    assert s.status == Suggestion.Status.ANSWERED
    assert s.number_label == "市十五届人大闭会期间2024年第1号"
    services.feedback_give(
        suggestion=s, by=deputy_user, verdict="not_satisfied", comment="没有落实"
    )
    s.refresh_from_db()
    assert s.status == Suggestion.Status.REHANDLING
