from celery import shared_task

from .delivery import deliver_notification


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=6,
)
def deliver(notification_id: int) -> None:
    """Send one notification by the channels configured (email, SMS). Harmless twice: a channel
    already used for this notification is not used again; a refused one is retried later."""
    deliver_notification(notification_id)


@shared_task(acks_late=True)
def send_staff_digests() -> int:
    """Each committee staff member's daily digest of overdue items (one per person per day)."""
    from .digest import send_staff_digests as run

    return run()
