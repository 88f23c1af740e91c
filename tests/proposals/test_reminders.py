"""Reminders: before a suggestion is due, when overdue, feedback awaited, commitments due; never
the same reminder twice."""

import datetime as dt

import pytest
import time_machine

from anping.notifications.models import Notification
from proposals import reminders, services, tasks

from . import factories as f

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 9, 0, tzinfo=CST), tick=False)


def kinds(user):
    return sorted(
        Notification.objects.filter(recipient=user, day__isnull=False).values_list("kind", "day")
    )


def test_units_are_reminded_before_the_answer_is_due_and_once_overdue(
    deputy_user, city_staff, unit_staff, other_unit_staff
):
    with at(2024, 3, 4):
        f.assigned(deputy_user, city_staff, unit_staff.organisation)  # due 2024-06-04
    with at(2024, 5, 20):  # 15 days before
        tasks.send_reminders()
        tasks.send_reminders()  # a second run sends nothing more
    assert kinds(unit_staff) == [("proposals.due_soon", dt.date(2024, 5, 20))]
    with at(2024, 5, 25):  # between thresholds: nothing new
        reminders.remind_due()
    assert len(kinds(unit_staff)) == 1
    with at(2024, 5, 28):
        reminders.remind_due()
    with at(2024, 6, 6):
        reminders.remind_due()
        reminders.remind_due()
    with at(2024, 6, 9):
        reminders.remind_due()
    assert kinds(unit_staff) == [
        ("proposals.due_soon", dt.date(2024, 5, 20)),
        ("proposals.due_soon", dt.date(2024, 5, 28)),
        ("proposals.overdue", dt.date(2024, 6, 4)),
    ]
    assert kinds(other_unit_staff) == []


def test_deputy_reminded_when_feedback_awaits_and_units_when_commitments_are_due(
    deputy_user, city_staff, unit_staff
):
    with at(2024, 3, 4):
        s = f.answered(
            deputy_user,
            city_staff,
            unit_staff,
            grade="B",
            commitments=[("六月底前完成", dt.date(2024, 6, 28))],
        )
    with at(2024, 3, 12):
        reminders.scan_all()
        reminders.scan_all()
    assert kinds(deputy_user) == [("proposals.feedback_awaited", dt.date(2024, 3, 11))]
    services.feedback_give(suggestion=s, by=deputy_user, verdict="basic")
    with at(2024, 3, 30):
        reminders.scan_all()
    assert len(kinds(deputy_user)) == 1
    with at(2024, 6, 22):
        reminders.scan_all()
    with at(2024, 7, 1):
        reminders.scan_all()
    assert kinds(unit_staff) == [
        ("proposals.commitment_due", dt.date(2024, 6, 21)),
        ("proposals.commitment_overdue", dt.date(2024, 6, 28)),
    ]
