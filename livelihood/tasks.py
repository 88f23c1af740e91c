"""Background work of the livelihood app: thin tasks calling the reminder scans, and the
clean-up after a poll is counted. No task ever carries anything of a ballot."""

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


@shared_task(acks_late=True)
def compact_ballot_tables() -> None:
    """After a count the old versions of the rewritten ballot rows are dead tuples that still
    hold the voting order on disk; VACUUM frees them. Harmless to run any number of times."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("livelihood_mark", "livelihood_ballot", "livelihood_participation"):
            cursor.execute(f"VACUUM {table}")
