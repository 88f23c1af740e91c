"""Sending a notification. Every reminder of every app goes through `notify`."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.errors import NotAllowed

from .models import Notification


def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    subject: models.Model | None = None,
    day: dt.date | None = None,
) -> Notification | None:
    """Put a notification in the recipient's inbox and queue its delivery by email and SMS.

    With `day`, it is a reminder: at most one per (kind, subject, recipient, day) ever exists,
    however many workers try at once. Returns the new notification, or None when that reminder
    had already been sent (so the caller sends nothing more).
    """
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    subject_id = subject.pk if subject is not None else None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                subject_type=subject_type,
                subject_id=subject_id,
                day=day,
                title=title[:200],
                body=body,
                url=url,
            )
    except IntegrityError:
        if day is None:
            raise
        return None
    from . import (
        tasks,  # delivery is a task; imported here to keep services free of Celery at import
    )

    transaction.on_commit(lambda: tasks.deliver.delay(notification.pk))
    return notification


def mark_read(*, notification: Notification, user) -> bool:
    """Mark one of the user's notifications read; True if it was unread. Someone else's
    notification is not found (the caller reads through `visible_to`)."""
    if notification.recipient_id != user.pk:
        raise NotAllowed(_("This notification is not yours."))
    return bool(
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
