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
    # 07:30 daily: suggestion reminders (units before an answer is due and when overdue, deputies
    # awaiting feedback, units when a commitment is due); each reminder is one row per day it
    # stands for, so a second run sends nothing more.
    "proposals-reminders": {
        "task": "proposals.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # 08:00 daily: each committee staff member's digest of overdue items (one per person per
    # day, so a second run or a restarted beat sends nothing more).
    "notifications-staff-digest": {
        "task": "anping.notifications.tasks.send_staff_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    # 01:30 on the 1st: the month just ended is rolled up (a draft staff check, then publish;
    # a month already published is left alone).
    "reports-rollup-previous-month": {
        "task": "anping.reports.tasks.rollup_previous_month",
        "schedule": crontab(day_of_month=1, hour=1, minute=30),
    },
    # 09:00 daily: livelihood units whose progress report is due within three days or overdue
    # (one reminder per unit staff member, project and day).
    "livelihood-progress-due": {
        "task": "livelihood.tasks.remind_progress_due",
        "schedule": crontab(hour=9, minute=0),
    },
    # 09:10 daily while a year-end rating is open: deputies who have not rated yet (one per
    # deputy and day; those who rated are never reminded: their participation row says so).
    "livelihood-rating-awaited": {
        "task": "livelihood.tasks.remind_rating_awaited",
        "schedule": crontab(hour=9, minute=10),
    },
    # 07:40 daily: handling units whose answer to a resident's opinion is due within a few
    # working days or overdue (one reminder per case, person and day: a second run sends none).
    "opinions-reminders": {
        "task": "opinions.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    # 03:00 daily: answers the resident has not confirmed within OPINIONS["CONFIRM_DAYS"] close
    # as "not confirmed" (a case already closed is left alone, so a rerun changes nothing).
    "opinions-close-unconfirmed": {
        "task": "opinions.tasks.close_unconfirmed",
        "schedule": crontab(hour=3, minute=0),
    },
    # 02:30 daily: the month so far, so that the dashboard is at most a day behind.
    "reports-rollup-current-month": {
        "task": "anping.reports.tasks.rollup_current_month",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Keep the `crontab` import in use for entries added above.
_ = crontab
