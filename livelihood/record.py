"""The livelihood section of a deputy's duty record: the votes and ratings they took part in.
That they voted, and on paper or on a phone; never how."""

from __future__ import annotations

from .models import Participation


def provider(*, person, year: int) -> dict:
    """One query, whatever the deputy did."""
    taken = list(
        Participation.objects.filter(person=person, poll__round__year=year)
        .select_related("poll__round")
        .order_by("poll__kind")
    )
    # `total` is what the record's header, its badge and the printed copy show.
    return {"items": taken, "total": len(taken)}
