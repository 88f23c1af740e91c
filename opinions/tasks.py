"""Background work of the loop: thin tasks calling the scans in `opinions.services`."""

from celery import shared_task


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Units whose answer falls due soon or is overdue (one reminder per case, person, day)."""
    from .services import send_reminders as scan

    return scan()


@shared_task(acks_late=True)
def close_unconfirmed() -> int:
    """Answers the resident left unconfirmed too long close as "not confirmed"."""
    from .services import close_unconfirmed as scan

    return scan()
