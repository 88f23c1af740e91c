"""Delivery of notifications beyond the inbox: email where the recipient has an address, SMS
where they have a mobile number (their account's, or the deputy record's) and SMS is on.

Each channel is used at most once per notification: a `Delivery` row, unique per notification
and channel, is claimed before the message leaves and marked sent after it left. A task run twice
(or redelivered after its worker was killed) finds the row and sends nothing more; only an
attempt that failed outright (the gateway refused it) is tried again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import sms
from .models import Delivery, Notification

log = logging.getLogger(__name__)


def phone_of(user) -> str:
    """The recipient's mobile: the account's own, else the linked deputy record's."""
    if user.mobile:
        return user.mobile
    deputy = getattr(user, "deputy", None)  # reverse one-to-one from deputies.Person
    return getattr(deputy, "mobile", "") or ""


def _claim(notification: Notification, channel: str, address: str) -> Delivery | None:
    """Claim the channel for this notification; None when it was sent (or is being sent)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                notification=notification,
                channel=channel,
                address=address,
                status=Delivery.Status.SENDING,
            )
    except IntegrityError:
        pass
    # Only a failed attempt is taken again, and only by one task (compare-and-swap on status).
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(
            notification=notification, channel=channel
        )
        if delivery.status != Delivery.Status.FAILED:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.address = address
        delivery.save(update_fields=["status", "attempts", "address"])
        return delivery


def _finish(delivery: Delivery, error: Exception | None) -> None:
    if error is None:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
        )
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, error=str(error)[:500]
        )


def _sms_text(notification: Notification) -> str:
    text = f"【安平】{notification.title}"
    if notification.url:
        base = getattr(settings, "PORTAL_BASE_URL", "")
        if base:
            text += f" {base.rstrip('/')}{notification.url}"
    return text[:300]


def deliver_notification(notification_id: int) -> None:
    """Send one notification by each configured channel, each at most once. Raises when a
    channel failed, after recording the failure, so that the task is retried."""
    notification = (
        Notification.objects.select_related("recipient", "recipient__deputy")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return
    user = notification.recipient
    failure: Exception | None = None

    if user.email and user.is_active:
        delivery = _claim(notification, Delivery.Channel.EMAIL, user.email)
        if delivery is not None:
            try:
                send_mail(
                    subject=notification.title,
                    message=notification.body or notification.title,
                    from_email=None,
                    recipient_list=[user.email],
                )
            except Exception as exc:  # any mail error: record it, retry later
                log.warning("email for notification %s failed: %s", notification.pk, exc)
                _finish(delivery, exc)
                failure = exc
            else:
                _finish(delivery, None)

    backend = sms.get_backend()
    phone = phone_of(user)
    if backend is not None and phone and user.is_active:
        delivery = _claim(notification, Delivery.Channel.SMS, phone)
        if delivery is not None:
            try:
                backend.send(to=phone, text=_sms_text(notification))
            except Exception as exc:
                log.warning("SMS for notification %s failed: %s", notification.pk, exc)
                _finish(delivery, exc)
                failure = exc
            else:
                _finish(delivery, None)

    if failure is not None:
        raise failure
