"""The legislation section of a deputy's duty record: the comments made on drafts in the year,
with their answers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Comment


def provider(*, person, year: int) -> dict:
    """One query, whatever the deputy did."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    items = list(
        Comment.objects.filter(person=person, created_at__gte=start, created_at__lt=end)
        .select_related("round__version__project", "article")
        .order_by("created_at", "pk")
    )
    return {
        "items": items,
        "count": len(items),
        "adopted": sum(1 for c in items if c.is_adopted),
    }
