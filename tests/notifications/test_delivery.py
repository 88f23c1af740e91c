"""Delivery by email and SMS: each channel at most once per notification, retried on refusal."""

import json

import pytest
from django.core import mail

from anping.notifications import delivery, sms
from anping.notifications.models import Delivery, Notification
from anping.notifications.services import notify
from anping.notifications.tasks import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "anping.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return tmp_path / "sms.log"


def _sent(path):
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_notify_queues_delivery_after_commit(
    deputy_user, sms_file, django_capture_on_commit_callbacks
):
    deputy_user.email = "zhang@example.cn"
    deputy_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(recipient=deputy_user, kind="test", title="建议即将到期")
    assert [m.subject for m in mail.outbox] == ["建议即将到期"]
    # The account has no mobile: the deputy record's number is used.
    assert [x["to"] for x in _sent(sms_file)] == [deputy_user.deputy.mobile]
    assert set(n.deliveries.values_list("channel", "status")) == {
        ("email", "sent"),
        ("sms", "sent"),
    }


def test_nothing_is_sent_when_the_transaction_rolls_back(
    deputy_user, sms_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=deputy_user, kind="test", title="x")
    # The callback exists but was never run: a rolled-back request sends nothing.
    assert len(callbacks) == 1
    assert _sent(sms_file) == []


def test_delivery_twice_sends_once(deputy_user, sms_file):
    deputy_user.email = "zhang@example.cn"
    deputy_user.save()
    n = notify(recipient=deputy_user, kind="test", title="一次")
    deliver.delay(n.pk)
    deliver.delay(n.pk)
    delivery.deliver_notification(n.pk)
    assert len(_sent(sms_file)) == 1
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(notification=n).count() == 2


def test_a_claimed_channel_is_not_sent_again_after_a_crash(deputy_user, sms_file):
    """A worker killed between claiming and sending leaves SENDING: the redelivered task does
    not send a second message (at most once)."""
    n = notify(recipient=deputy_user, kind="test", title="x")
    Delivery.objects.create(notification=n, channel="sms", address="1", status="sending")
    delivery.deliver_notification(n.pk)
    assert _sent(sms_file) == []


def test_a_refused_sms_is_recorded_and_retried(deputy_user, settings, monkeypatch, sms_file):
    n = notify(recipient=deputy_user, kind="test", title="重试")
    calls = []
    original = sms.FileBackend.send

    def refuse(self, *, to, text):
        calls.append(to)
        if len(calls) == 1:
            raise sms.SmsError("gateway answered 503")
        return original(self, to=to, text=text)

    monkeypatch.setattr(sms.FileBackend, "send", refuse)
    with pytest.raises(sms.SmsError):
        delivery.deliver_notification(n.pk)
    row = Delivery.objects.get(notification=n, channel="sms")
    assert (row.status, row.error) == ("failed", "gateway answered 503")
    delivery.deliver_notification(n.pk)  # Celery's retry
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(_sent(sms_file)) == 1


def test_user_mobile_wins_over_the_deputy_record(deputy_user, sms_file):
    deputy_user.mobile = "13711112222"
    deputy_user.save()
    n = notify(recipient=deputy_user, kind="test", title="x")
    delivery.deliver_notification(n.pk)
    assert [x["to"] for x in _sent(sms_file)] == ["13711112222"]


def test_no_channel_without_address(outsider, sms_file):
    n = notify(recipient=outsider, kind="test", title="x")
    delivery.deliver_notification(n.pk)
    assert not Delivery.objects.filter(notification=n).exists()
    assert _sent(sms_file) == []


def test_a_reminder_exists_once_per_day(deputy_user):
    import datetime as dt

    day = dt.date(2026, 3, 1)
    first = notify(recipient=deputy_user, kind="due", title="x", subject=deputy_user, day=day)
    again = notify(recipient=deputy_user, kind="due", title="x", subject=deputy_user, day=day)
    assert first is not None and again is None
    assert Notification.objects.filter(kind="due").count() == 1
