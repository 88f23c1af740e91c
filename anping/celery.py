"""The Celery app, and the whole periodic schedule in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anping.settings")

app = Celery("anping")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of the portal, with when it runs and why. Times are Asia/Shanghai.
app.conf.beat_schedule = {
    # ENTRIES: each app adds its jobs here, one entry each, with a comment.
    # 08:00 daily: each committee staff member's digest of overdue items (one per person per
    # day, so a second run or a restarted beat sends nothing more).
    "notifications-staff-digest": {
        "task": "anping.notifications.tasks.send_staff_digests",
        "schedule": crontab(hour=8, minute=0),
    },
}
# Keep the `crontab` import in use for entries added above.
_ = crontab
