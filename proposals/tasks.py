"""Thin tasks: ids in, a service or a scan called. Harmless twice (reminders are unique rows)."""

from celery import shared_task


@shared_task(acks_late=True)
def send_reminders() -> dict:
    """Daily: units before a suggestion is due and when overdue, deputies awaiting feedback,
    units when a commitment is due."""
    from . import reminders

    return reminders.scan_all()


@shared_task(acks_late=True)
def recompute_deadlines(by_id: int | None = None) -> int:
    """After the working-day calendar changed: open deadlines computed again."""
    from anping.accounts.models import User

    from . import services

    by = User.objects.filter(pk=by_id).first() if by_id else None
    return services.deadlines_recompute(by=by)
