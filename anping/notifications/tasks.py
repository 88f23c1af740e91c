from celery import shared_task

from .delivery import deliver_notification


@shared_task(acks_late=True)
def deliver(notification_id: int) -> None:
    """Send one notification by the channels configured (email, SMS). Harmless twice: a channel
    already used for this notification is not used again."""
    deliver_notification(notification_id)
