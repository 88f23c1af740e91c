"""Reads shared by the portal, the admin and the start-page panel, each a fixed number of queries
whatever the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from deputies.models import Person

from .models import (
    Assignment,
    Attachment,
    Commitment,
    CoSigner,
    Evaluation,
    ExtensionRequest,
    Feedback,
    Reply,
    Suggestion,
    Transition,
)

S = Suggestion.Status


def person_of(user) -> Person | None:
    from .services.common import deputy_of

    return deputy_of(user)


def deputy_suggestions(user, person: Person | None) -> QuerySet[Suggestion]:
    """A deputy's suggestions (led, co-signed, or merged with theirs), newest first, each
    knowing whether this deputy's feedback is awaited."""
    qs = Suggestion.objects.visible_to(user).for_lists().order_by("-created_at", "-pk")
    if person is None:
        return qs
    return qs.annotate(
        my_feedback=Exists(
            Feedback.objects.filter(
                suggestion=OuterRef("pk"), deputy=person, round=OuterRef("round")
            )
        ),
        merged_mine=Exists(Suggestion.objects.filter(merged_into=OuterRef("pk"), lead=person)),
    )


def awaiting_feedback(user, person: Person | None) -> QuerySet[Suggestion]:
    if person is None:
        return Suggestion.objects.none()
    return (
        deputy_suggestions(user, person)
        .filter(status=S.ANSWERED, my_feedback=False)
        .filter(Q(lead=person) | Q(merged_mine=True))
    )


def invitations(person: Person | None) -> QuerySet[CoSigner]:
    if person is None:
        return CoSigner.objects.none()
    return CoSigner.objects.filter(person=person, status=CoSigner.Status.INVITED).select_related(
        "suggestion__lead"
    )


UNIT_FILTERS = ("open", "due_soon", "overdue", "done", "all")


def unit_inbox(user, which: str = "open", today: dt.date | None = None) -> QuerySet[Assignment]:
    """A unit's assignments with their suggestion, by due date."""
    today = today or timezone.localdate()
    qs = (
        Assignment.objects.visible_to(user)
        .select_related("suggestion__lead", "suggestion__region", "unit")
        .order_by("due_date", "pk")
    )
    if which == "open":
        qs = qs.filter(status=Assignment.Status.OPEN)
    elif which == "due_soon":
        qs = qs.filter(
            status=Assignment.Status.OPEN,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=15),
        )
    elif which == "overdue":
        qs = qs.filter(status=Assignment.Status.OPEN, due_date__lt=today)
    elif which == "done":
        qs = qs.exclude(status=Assignment.Status.OPEN).order_by("-done_at", "-pk")
    return qs


def unit_counts(user, today: dt.date | None = None) -> dict[str, int]:
    """Open, due within 15 days, overdue, and open commitments of the user's unit: one query
    for the assignments, one for the commitments."""
    today = today or timezone.localdate()
    open_q = Q(status=Assignment.Status.OPEN)
    counts = Assignment.objects.visible_to(user).aggregate(
        open=Count("pk", filter=open_q),
        due_soon=Count(
            "pk",
            filter=open_q & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=15)),
        ),
        overdue=Count("pk", filter=open_q & Q(due_date__lt=today)),
    )
    counts.update(
        Commitment.objects.filter(unit_id=user.organisation_id).aggregate(
            commitments_open=Count("pk", filter=Q(status=Commitment.Status.OPEN)),
            commitments_overdue=Count(
                "pk", filter=Q(status=Commitment.Status.OPEN, due_date__lt=today)
            ),
        )
    )
    return counts


def filter_inbox(
    qs: QuerySet[Assignment],
    *,
    q: str = "",
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    overdue_days: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Assignment]:
    """The unit inbox narrowed: words in the number, title or lead deputy's name; a range of due
    dates; open assignments overdue by at least so many days."""
    today = today or timezone.localdate()
    if q:
        qs = qs.filter(
            Q(suggestion__title__icontains=q)
            | Q(suggestion__number_label__icontains=q)
            | Q(suggestion__lead__name__icontains=q)
        )
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    if overdue_days is not None:
        qs = qs.filter(
            status=Assignment.Status.OPEN, due_date__lte=today - dt.timedelta(days=overdue_days)
        )
    return qs


def unit_commitments(user, which: str = "all", today: dt.date | None = None):
    """The commitments of the user's unit: to carry out first, by date."""
    today = today or timezone.localdate()
    qs = (
        Commitment.objects.filter(unit_id=user.organisation_id)
        .select_related("reply__suggestion")
        .order_by("status", "due_date", "pk")
    )
    if which == "open":
        qs = qs.filter(status=Commitment.Status.OPEN)
    elif which == "overdue":
        qs = qs.overdue(today)
    elif which == "done":
        qs = qs.filter(status=Commitment.Status.DONE)
    return qs


def filter_commitments(
    qs,
    *,
    q: str = "",
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    overdue_days: int | None = None,
    today: dt.date | None = None,
):
    """Commitments narrowed: words in the commitment or its suggestion; a range of dates; open
    ones overdue by at least so many days."""
    today = today or timezone.localdate()
    if q:
        qs = qs.filter(
            Q(text__icontains=q)
            | Q(reply__suggestion__title__icontains=q)
            | Q(reply__suggestion__number_label__icontains=q)
        )
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    if overdue_days is not None:
        qs = qs.overdue(today).filter(due_date__lte=today - dt.timedelta(days=overdue_days))
    return qs


def evaluator_cases(user) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.visible_to(user)
        .select_related("suggestion__lead", "suggestion__region")
        .order_by("status", "-created_at")
    )


def suggestion_for_page(user, pk: int) -> Suggestion:
    """One suggestion with everything its page shows, in a fixed number of queries."""
    from anping.accounts.access import get_visible_or_404

    qs = Suggestion.objects.select_related(
        "lead",
        "region",
        "term__congress__region",
        "session__term__congress",
        "merged_into",
        "key_supervisor",
    ).prefetch_related(
        Prefetch(
            "cosigners",
            queryset=CoSigner.objects.select_related("person").order_by("invited_at", "pk"),
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit")
            .prefetch_related(
                "contacts",
                Prefetch(
                    "extension_requests", queryset=ExtensionRequest.objects.order_by("requested_at")
                ),
            )
            .order_by("round", "role", "pk"),
        ),
        Prefetch(
            "replies",
            queryset=Reply.objects.select_related("assignment__unit").prefetch_related(
                "commitments__attachments", "attachments"
            ),
        ),
        Prefetch("feedback", queryset=Feedback.objects.select_related("deputy")),
        Prefetch("transitions", queryset=Transition.objects.order_by("at", "pk")),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(reply__isnull=True, commitment__isnull=True),
        ),
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("evaluator")),
        "supervision_events",
        Prefetch("merged_from", queryset=Suggestion.objects.select_related("lead")),
    )
    return get_visible_or_404(qs, user, pk=pk)
