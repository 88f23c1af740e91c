"""The reminder scans: who must be told today. Each reminder goes through `notify(day=...)`,
unique per (kind, subject, recipient, day): a scan run twice sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts.models import User
from anping.notifications.services import notify

from .models import Participation, Poll, Project
from .services import serving_deputies

DUE_SOON_DAYS = 3


def reports_due(today: dt.date) -> list[tuple[Project, dt.date]]:
    """Unfinished projects of published votes whose next report is due within three days."""
    due = []
    for project in Project.objects.public().filter(completed_on__isnull=True).with_progress(today):
        next_due = project.next_report_due(project.latest_report_on)
        if next_due is not None and next_due <= today + dt.timedelta(days=DUE_SOON_DAYS):
            due.append((project, next_due))
    return due


def remind_progress_due(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    due = reports_due(today)
    staff_by_unit: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role=User.Role.UNIT_STAFF,
        is_active=True,
        organisation_id__in={p.unit_id for p, _d in due},
    ):
        staff_by_unit.setdefault(user.organisation_id, []).append(user)
    sent = 0
    for project, next_due in due:
        for user in staff_by_unit.get(project.unit_id, []):
            title = _("Progress report due %(day)s: %(project)s") % {
                "day": f"{next_due:%Y-%m-%d}",
                "project": project.title,
            }
            if notify(
                recipient=user,
                kind="livelihood.progress_due",
                title=title,
                url=reverse("livelihood:report", args=[project.pk]),
                subject=project,
                day=today,
            ):
                sent += 1
    return sent


def remind_rating_awaited(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for poll in Poll.objects.filter(kind=Poll.Kind.RATING, status=Poll.Status.OPEN).select_related(
        "round"
    ):
        waiting = User.objects.filter(
            is_active=True,
            deputy__in=serving_deputies(poll.round.term_id).exclude(
                Exists(Participation.objects.filter(poll=poll, person=OuterRef("pk")))
            ),
        ).distinct()
        for user in waiting:
            if notify(
                recipient=user,
                kind="livelihood.rating_awaited",
                title=_("Your satisfaction rating is awaited: %(round)s") % {"round": poll.round},
                url=reverse("livelihood:ballot", args=[poll.pk]),
                subject=poll,
                day=today,
            ):
                sent += 1
    return sent
