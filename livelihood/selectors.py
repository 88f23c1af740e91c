"""Reads shared by the portal pages, the panel and the admin, each with what it needs joined."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef

from deputies.models import Mandate

from .models import Participation, Poll, Project, Supervision


def published_polls():
    return (
        Poll.objects.published()
        .select_related("round__term__congress__region")
        .order_by("-round__year", "kind")
    )


def deputy_polls(user):
    """The open polls a deputy may vote in, each with whether they have voted.
    One query: the poll, its round, and an EXISTS for the deputy's participation."""
    return list(
        Poll.objects.filter(
            status=Poll.Status.OPEN,
            round__term__mandates__person__user=user,
            round__term__mandates__status=Mandate.Status.SERVING,
        )
        .select_related("round")
        .annotate(
            voted=Exists(Participation.objects.filter(poll=OuterRef("pk"), person__user=user))
        )
        .order_by("-round__year", "kind")
    )


def _decorate(projects, today: dt.date) -> list[Project]:
    out = list(projects)
    for p in out:
        p.behind = p.is_behind(today, p.latest_percent, p.overdue_milestones)
        p.expected = p.expected_percent(today)
        p.next_due = p.next_report_due(p.latest_report_on)
        p.report_overdue = p.next_due is not None and p.next_due < today
    return out


def public_projects(today: dt.date) -> list[Project]:
    """Chosen projects of published votes with their latest progress: one query."""
    return _decorate(
        Project.objects.public()
        .with_progress(today)
        .select_related("unit", "round")
        .order_by("-round__year", "candidate__number"),
        today,
    )


def unit_projects(user, today: dt.date) -> list[Project]:
    return _decorate(
        Project.objects.visible_to(user)
        .with_progress(today)
        .select_related("unit", "round")
        .order_by("-round__year", "candidate__number"),
        today,
    )


def staff_projects(user, today: dt.date) -> list[Project]:
    return _decorate(
        Project.objects.visible_to(user).with_progress(today).select_related("unit", "round"),
        today,
    )


def project_supervisions(project: Project) -> list:
    """The supervision activities held on a project: date, title and how many deputies took
    part (a number, no names). One query."""
    return list(
        Supervision.objects.filter(project=project)
        .select_related("activity")
        .annotate(deputies=Count("activity__participations", distinct=True))
        .order_by("-activity__date")
    )


def supervision_figures(round_ids) -> dict:
    """How many supervision activities were held on the rounds' projects and how many distinct
    deputies took part ("200+ deputies in 30+ supervisions")."""
    from stations.models import Participation as Attendance

    activities = Supervision.objects.filter(project__round_id__in=round_ids).values("activity_id")
    return {
        "activities": activities.distinct().count(),
        "deputies": Attendance.objects.filter(activity_id__in=activities)
        .values("person_id")
        .distinct()
        .count(),
    }
