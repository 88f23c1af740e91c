"""Background work of the livelihood app: thin tasks calling the reminder scans. No task ever
carries anything of a ballot (the close rewrites the ballot tables itself, in its transaction)."""

from celery import shared_task


@shared_task(acks_late=True)
def remind_progress_due() -> int:
    """Units whose project report falls due within three days or is overdue (daily)."""
    from .reminders import remind_progress_due as scan

    return scan()


@shared_task(acks_late=True)
def remind_rating_awaited() -> int:
    """Deputies who have not yet rated the projects of an open rating (daily)."""
    from .reminders import remind_rating_awaited as scan

    return scan()
