"""Reminder scans, run daily by beat (proposals.tasks.send_reminders).

Each reminder names the day it stands for (the threshold day, not the day the scan ran), and
`notify(..., day=...)` keeps one row per (kind, object, recipient, day): a scan run twice, or two
workers at once, or a scan that missed a day and catches up, never sends the same reminder twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts.models import User
from anping.notifications.services import notify

from .models import Assignment, Commitment, Feedback, Suggestion

COMMITMENT_DAYS_BEFORE = 7
# Deputies are reminded this many days after the answer when their feedback is still awaited.
FEEDBACK_AFTER_DAYS = (7, 21)


def _unit_staff(unit_ids) -> dict[int, list[User]]:
    staff = defaultdict(list)
    for u in User.objects.filter(
        role=User.Role.UNIT_STAFF, is_active=True, organisation_id__in=set(unit_ids)
    ):
        staff[u.organisation_id].append(u)
    return staff


def remind_due(today: dt.date | None = None) -> int:
    """Units: REMIND_DAYS_BEFORE days before an answer or opinion is due (the nearest threshold
    reached), and once when it is overdue."""
    today = today or timezone.localdate()
    thresholds = sorted(settings.ANPING_CLOCK["REMIND_DAYS_BEFORE"])
    horizon = today + dt.timedelta(days=max(thresholds, default=0))
    open_ = list(
        Assignment.objects.filter(status=Assignment.Status.OPEN, due_date__lte=horizon)
        .select_related("suggestion")
        .order_by("due_date")
    )
    staff = _unit_staff(a.unit_id for a in open_)
    sent = 0
    for a in open_:
        left = (a.due_date - today).days
        url = reverse("proposals:unit_assignment", args=[a.pk])
        if left < 0:
            kind, day = "proposals.overdue", a.due_date
            title = _("Overdue since %(due)s: %(title)s") % {
                "due": a.due_date,
                "title": a.suggestion.title,
            }
        else:
            n = next((t for t in thresholds if left <= t), None)
            if n is None:
                continue
            kind, day = "proposals.due_soon", a.due_date - dt.timedelta(days=n)
            title = _("Due on %(due)s (%(left)s days left): %(title)s") % {
                "due": a.due_date,
                "left": left,
                "title": a.suggestion.title,
            }
        for user in staff.get(a.unit_id, []):
            sent += (
                notify(recipient=user, kind=kind, title=title, url=url, subject=a, day=day)
                is not None
            )
    return sent


def remind_feedback(today: dt.date | None = None) -> int:
    """Deputies whose feedback on an answer is still awaited, 7 and 21 days after it."""
    today = today or timezone.localdate()
    first = min(FEEDBACK_AFTER_DAYS)
    answered = list(
        Suggestion.objects.filter(
            status=Suggestion.Status.ANSWERED,
            answered_at__date__lte=today - dt.timedelta(days=first),
        ).select_related("lead__user")
    )
    given = set(
        Feedback.objects.filter(suggestion__in=answered).values_list(
            "suggestion_id", "deputy_id", "round"
        )
    )
    merged = defaultdict(list)
    for m in Suggestion.objects.filter(merged_into__in=answered).select_related("lead__user"):
        merged[m.merged_into_id].append(m.lead)
    sent = 0
    for s in answered:
        answered_on = timezone.localdate(s.answered_at)
        passed = [d for d in FEEDBACK_AFTER_DAYS if answered_on + dt.timedelta(days=d) <= today]
        day = answered_on + dt.timedelta(days=max(passed))
        for person in [s.lead, *merged[s.pk]]:
            if person.user_id is None or (s.pk, person.pk, s.round) in given:
                continue
            sent += (
                notify(
                    recipient=person.user,
                    kind="proposals.feedback_awaited",
                    title=_("Your feedback on the answer is awaited: %(title)s")
                    % {"title": s.title},
                    url=reverse("proposals:detail", args=[s.pk]) + "#feedback",
                    subject=s,
                    day=day,
                )
                is not None
            )
    return sent


def remind_commitments(today: dt.date | None = None) -> int:
    """Units: a week before a commitment is due, and once when it is overdue."""
    today = today or timezone.localdate()
    due = list(
        Commitment.objects.filter(
            status=Commitment.Status.OPEN,
            due_date__lte=today + dt.timedelta(days=COMMITMENT_DAYS_BEFORE),
        ).select_related("reply__suggestion")
    )
    staff = _unit_staff(c.unit_id for c in due)
    url = reverse("proposals:unit_commitments")
    sent = 0
    for c in due:
        if c.due_date < today:
            kind, day = "proposals.commitment_overdue", c.due_date
            title = _("Commitment overdue since %(due)s: %(text)s") % {
                "due": c.due_date,
                "text": c.text,
            }
        else:
            kind, day = (
                "proposals.commitment_due",
                c.due_date - dt.timedelta(days=COMMITMENT_DAYS_BEFORE),
            )
            title = _("Commitment due on %(due)s: %(text)s") % {"due": c.due_date, "text": c.text}
        for user in staff.get(c.unit_id, []):
            sent += (
                notify(
                    recipient=user, kind=kind, title=title, url=f"{url}#c{c.pk}", subject=c, day=day
                )
                is not None
            )
    return sent


def scan_all(today: dt.date | None = None) -> dict[str, int]:
    return {
        "due": remind_due(today),
        "feedback": remind_feedback(today),
        "commitments": remind_commitments(today),
    }
