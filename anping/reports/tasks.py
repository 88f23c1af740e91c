"""Thin tasks: ids and dates in, a service call."""

import datetime as dt

from celery import shared_task

from anping.errors import DomainError

from . import exports, services
from .periods import current_month, previous_month


@shared_task(acks_late=True)
def rollup_previous_month() -> str:
    """On the 1st: the month just ended, as a draft for staff to check and publish. Skips a
    month staff already published (it never changes)."""
    month = previous_month()
    try:
        services.rollup_month(month=month)
    except DomainError as exc:
        return str(exc)
    return f"{month:%Y-%m} computed"


@shared_task(acks_late=True)
def rollup_current_month() -> str:
    """Nightly: the month so far, so the dashboard is at most a day behind."""
    month = current_month()
    services.rollup_month(month=month)
    return f"{month:%Y-%m} computed"


@shared_task(acks_late=True)
def rollup_month(month_iso: str, user_id: int | None = None) -> str:
    """On demand, from the dashboard or the admin."""
    from anping.accounts.models import User

    by = User.objects.filter(pk=user_id).first() if user_id else None
    month = dt.date.fromisoformat(month_iso)
    services.rollup_month(month=month, by=by)
    return f"{month:%Y-%m} computed"


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def build_export(export_id: int) -> None:
    exports.build_export(export_id)
