"""Reminders: units when a report is due, deputies while a rating awaits them; never twice."""

import datetime as dt

import pytest
import time_machine

from anping.notifications.models import Notification
from livelihood import reminders, services, tasks
from livelihood.models import Poll

from .factories import make_poll


@pytest.fixture
def published(open_poll, deputy_user, city_staff, vote_round):
    c = vote_round.candidates.order_by("number").first()
    services.ballot_cast(poll=open_poll, person=deputy_user.deputy, marks=[(c.pk, "")])
    services.poll_close(poll=open_poll, by=city_staff)
    services.poll_publish(poll=open_poll, by=city_staff, today=dt.date(2024, 2, 1))
    return open_poll


def test_unit_is_reminded_when_a_report_falls_due_once_a_day(published, unit_staff, evaluator):
    # First report due 30 days after the start (2024-03-02); reminders from three days before.
    assert reminders.remind_progress_due(dt.date(2024, 2, 20)) == 0
    assert reminders.remind_progress_due(dt.date(2024, 2, 28)) == 1
    assert reminders.remind_progress_due(dt.date(2024, 2, 28)) == 0
    note = Notification.objects.get(recipient=unit_staff)
    assert note.kind == "livelihood.progress_due" and "2024-03-02" in note.title
    assert not Notification.objects.filter(recipient=evaluator).exists()


def test_a_filed_report_moves_the_next_due_date(published, unit_staff):
    project = published.round.projects.get()
    services.progress_report_file(
        project=project, by=unit_staff, percent=20, text="开工", reported_on=dt.date(2024, 2, 27)
    )
    assert reminders.remind_progress_due(dt.date(2024, 2, 28)) == 0


def test_deputies_are_reminded_while_a_rating_awaits_them(
    published, city_staff, deputy_user, other_deputy_user
):
    rating = make_poll(round_=published.round, by=city_staff, kind=Poll.Kind.RATING)
    services.poll_open(poll=rating, by=city_staff)
    project = published.round.projects.get()
    services.ballot_cast(
        poll=rating, person=deputy_user.deputy, marks=[(project.candidate_id, "satisfied")]
    )
    with time_machine.travel(dt.datetime(2024, 12, 20, 9, 0), tick=False):
        assert tasks.remind_rating_awaited.delay().get() == 1
        assert tasks.remind_rating_awaited.delay().get() == 0
    assert list(
        Notification.objects.filter(kind="livelihood.rating_awaited").values_list(
            "recipient", flat=True
        )
    ) == [other_deputy_user.pk]
