"""Test-only tasks and digest source, loaded by the real worker of test_celery_worker.py
(`celery worker -I tests.notifications.worker_tasks`); never by the portal."""

import datetime as dt
import os
import time
from pathlib import Path

from celery import shared_task

from anping.notifications import digest


@shared_task(acks_late=True, name="tests.remind_then_sleep")
def remind_then_sleep(user_id: int, day_iso: str, log_path: str, sleep_s: float) -> None:
    """Log the attempt (with the pid running it), send the reminder, then sleep on the first
    attempt only: the test kills the worker while it sleeps, after the reminder was sent and
    before the task was acknowledged."""
    from anping.accounts.models import User
    from anping.notifications.services import notify

    log = Path(log_path)
    with log.open("a") as f:
        f.write(f"{os.getpid()}\n")
    attempts = len(log.read_text().split())
    user = User.objects.get(pk=user_id)
    notify(
        recipient=user,
        kind="test_killed_worker",
        title="逾期提醒",
        subject=user,
        day=dt.date.fromisoformat(day_iso),
    )
    if attempts == 1:
        time.sleep(sleep_s)


@digest.register("worker-test")
def slow_overdue_source(user, day):
    # Slow enough that two digest tasks started together are both inside the scan at once.
    time.sleep(1.5)
    return [digest.DigestLine("测试逾期事项", 3, "/admin/")]
