"""A real Celery worker against the real Redis: reminders stay single when the scan runs twice
at once, and a task whose worker is killed is delivered again and still sends one reminder.

Each test starts its own worker (a subprocess, its own queue) on the test database, which is why
the data is committed (transactional_db), and stops it in `finally`.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from anping.celery import app
from anping.notifications import digest
from anping.notifications.models import Delivery, Notification
from tests.conftest import make_user

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BASE = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, tmp_path: Path, queue: str, *, pool="prefork", visibility=3600, name="w"):
        self.queue = queue
        self.log = tmp_path / f"{name}.log"
        db = settings.DATABASES["default"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_QUEUE": queue,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility),
            # Sweep for abandoned messages every second (kombu's default is every ~100 s), so
            # the restored task arrives well within the test's wait.
            "CELERY_RESTORE_INTERVAL": "1",
            "CELERY_RESTORE_THROTTLE": "1",
            "SMS_BACKEND": "anping.notifications.sms.FileBackend",
            "SMS_FILE_PATH": str(tmp_path / "sms.log"),
        }
        cmd = [
            sys.executable, "-m", "celery", "-A", "anping", "worker",
            "-Q", queue, "-n", f"{name}-{queue}@%h", "-P", pool, "-c", "2",
            "-I", "tests.notifications.worker_tasks",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
        ]  # fmt: skip
        self.out = self.log.open("w")
        # Its own session, so the whole worker (main process and pool) can be killed at once.
        self.proc = subprocess.Popen(
            cmd, cwd=BASE, env=env, stdout=self.out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: "ready." in self.log.read_text(), 90, f"worker start ({self.log})")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        try:  # no pool process may outlive the test (the session is the worker's alone)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.out.close()


def wait_for(condition, timeout: float, what: str) -> None:
    """Poll an outside process's effect (a worker is not ours to freeze or step)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def queue():
    name = f"test-h5-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    yield name
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete(name)


def test_the_digest_scan_run_twice_at_once_sends_one_per_person(tmp_path, queue):
    staff = [
        make_user("city-a", "city_staff", region=_city(), mobile="13900000001"),
        make_user("city-b", "city_staff", region=_city(), mobile="13900000002"),
    ]
    worker = Worker(tmp_path, queue)
    try:
        # Two scans at once, on a worker with two processes: both collect (slowly), both try.
        for _ in range(2):
            app.send_task("anping.notifications.tasks.send_staff_digests", queue=queue)
        wait_for(
            lambda: Delivery.objects.filter(status="sent", channel="sms").count() >= 2,
            60,
            "the digests' SMS",
        )
        wait_for(lambda: _succeeded(worker, "send_staff_digests") == 2, 30, "both scans")
    finally:
        worker.stop()
    # Both scans ran to the end; between them they made one digest per person.
    results = sorted(
        line.rsplit(":", 1)[1].strip()
        for line in worker.log.read_text().splitlines()
        if "send_staff_digests" in line and "succeeded" in line
    )
    assert results in (["0", "2"], ["1", "1"])
    assert Notification.objects.filter(kind=digest.KIND).count() == 2
    assert sorted(
        Notification.objects.filter(kind=digest.KIND).values_list("recipient", flat=True)
    ) == sorted(u.pk for u in staff)
    sms = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert len(sms) == 2


def test_a_killed_pool_process_has_its_task_redelivered_once(tmp_path, queue):
    """acks_late + reject_on_worker_lost: the pool process dies mid-task, the message goes back
    to the queue, the task runs again and the reminder exists once."""
    user = make_user("unit-a", "unit_staff", organisation=_unit(), mobile="13700000001")
    attempts = tmp_path / "attempts.log"
    worker = Worker(tmp_path, queue)
    try:
        app.send_task(
            "tests.remind_then_sleep",
            args=[user.pk, "2026-05-06", str(attempts), 60],
            queue=queue,
        )
        wait_for(lambda: attempts.exists() and attempts.read_text().strip(), 60, "first attempt")
        wait_for(lambda: Notification.objects.filter(recipient=user).exists(), 30, "reminder")
        os.kill(int(attempts.read_text().split()[0]), signal.SIGKILL)
        wait_for(lambda: len(attempts.read_text().split()) == 2, 60, "the redelivery")
        wait_for(lambda: _succeeded(worker, "remind_then_sleep") == 1, 30, "the second attempt")
        wait_for(lambda: Delivery.objects.filter(status="sent").count() == 1, 30, "the SMS")
    finally:
        worker.stop()
    assert len(attempts.read_text().split()) == 2
    assert Notification.objects.filter(kind="test_killed_worker").count() == 1
    assert len((tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()) == 1


def test_a_killed_worker_task_is_restored_from_redis_and_sends_once(tmp_path, queue):
    """The whole worker is killed (SIGKILL) while its task sleeps, unacknowledged. A new worker
    restores the message from Redis after the visibility timeout and runs it again: still one
    reminder."""
    user = make_user("unit-b", "unit_staff", organisation=_unit(), mobile="13700000002")
    attempts = tmp_path / "attempts.log"
    first = Worker(tmp_path, queue, pool="solo", name="first")
    try:
        app.send_task(
            "tests.remind_then_sleep",
            args=[user.pk, "2026-05-07", str(attempts), 120],
            queue=queue,
        )
        wait_for(lambda: Notification.objects.filter(recipient=user).exists(), 60, "reminder")
        first.kill()
    finally:
        first.stop()
    assert len(attempts.read_text().split()) == 1  # killed in the middle of its only attempt
    assert _succeeded(first, "remind_then_sleep") == 0
    second = Worker(tmp_path, queue, pool="solo", visibility=2, name="second")
    try:
        wait_for(lambda: len(attempts.read_text().split()) == 2, 60, "the restored task")
        wait_for(lambda: _succeeded(second, "remind_then_sleep") == 1, 30, "the second attempt")
    finally:
        second.stop()
    assert len(attempts.read_text().split()) == 2
    assert Notification.objects.filter(kind="test_killed_worker").count() == 1
    assert Delivery.objects.filter(channel="sms").count() == 1


def _succeeded(worker: Worker, task: str) -> int:
    return sum(
        1 for line in worker.log.read_text().splitlines() if task in line and "succeeded" in line
    )


def _city():
    from anping.regions.anyang import load_anyang

    return load_anyang()


def _unit():
    from anping.orgs.models import Organisation

    org, _ = Organisation.objects.get_or_create(
        name="安阳市交通运输局",
        defaults={"kind": Organisation.Kind.HANDLING_UNIT, "region": _city()},
    )
    return org


def test_the_suggestion_reminder_scan_run_twice_at_once_reminds_once(tmp_path, queue):
    """The proposals app's daily scan (a real one), twice at once: each unit staff member gets
    the overdue reminder once, and one SMS."""
    from proposals.models import Assignment, Suggestion
    from tests.factories import make_deputy

    city = _city()
    unit = _unit()
    staff = [
        make_user(f"unit-{i}", "unit_staff", organisation=unit, mobile=f"1370000001{i}")
        for i in range(2)
    ]
    lead = make_deputy(region=city.children.get(code="410581"))
    suggestion = Suggestion.objects.create(
        lead=lead,
        term=lead.mandates.get().term,
        region=lead.mandates.get().region,
        title="关于改善城区交通的建议",
        body="内容",
        status=Suggestion.Status.ASSIGNED,
    )
    Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=Assignment.Role.LEAD,
        status=Assignment.Status.OPEN,
        start_date=dt.date(2020, 1, 6),
        due_date=dt.date(2020, 4, 6),  # long overdue
        due_basis="测试",
    )
    worker = Worker(tmp_path, queue)
    try:
        for _ in range(2):
            app.send_task("proposals.tasks.send_reminders", queue=queue)
        wait_for(lambda: _succeeded(worker, "proposals.tasks.send_reminders") == 2, 60, "scans")
        wait_for(
            lambda: Delivery.objects.filter(status="sent", channel="sms").count() >= 2, 30, "SMS"
        )
    finally:
        worker.stop()
    rows = Notification.objects.filter(kind="proposals.overdue")
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(u.pk for u in staff)
    assert len((tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()) == 2
