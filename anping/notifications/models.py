from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anping.accounts.access import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    """A notification is its recipient's alone, whatever the recipient's role."""

    owner_path = "recipient"

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's inbox, and the record that a reminder was sent.

    A reminder carries the day it is for: the row is unique on (kind, object, recipient, day),
    so two workers scanning at once, or a task delivered twice, send it once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=50)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("about type"), null=True, blank=True, on_delete=models.CASCADE
    )
    subject_id = models.PositiveBigIntegerField(_("about id"), null=True, blank=True)
    day = models.DateField(_("reminder day"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "recipient", "day"],
                condition=Q(day__isnull=False),
                name="notification_one_reminder_per_day",
            ),
        ]
        indexes = [
            # The inbox: a user's unread notifications, newest first.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_inbox",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One attempt to carry a notification beyond the inbox, by one channel.

    The row is claimed (SENDING) before the message leaves and marked SENT after, and it is unique
    per notification and channel: a delivery task that runs twice, or is redelivered after its
    worker died, finds the row and does not send again. Only a FAILED attempt (the gateway said
    no) is tried again, by Celery's retry.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    error = models.CharField(_("error"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} · {self.channel} · {self.status}"
