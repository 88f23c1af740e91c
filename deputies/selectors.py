"""Reads of the roster shared by the admin, the portal and later the reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from .models import Level, Mandate, Person, RosterImport


@dataclass
class LevelCount:
    level: Level
    persons: int
    mandates: int


@dataclass
class RosterOverview:
    levels: list[LevelCount]
    persons: int  # distinct persons holding at least one serving mandate
    mandates: int  # serving mandates
    persons_with_several: int  # persons holding serving mandates at two levels or more


def roster_overview(user) -> RosterOverview:
    """Serving persons and mandates by level in the user's scope: three aggregate queries,
    however large the roster. Persons and mandates differ: one person may sit at two levels."""
    serving = Mandate.objects.visible_to(user).serving()
    by_level = {
        row["level"]: row
        for row in serving.values("level").annotate(
            mandates=Count("id"), persons=Count("person_id", distinct=True)
        )
    }
    totals = serving.aggregate(mandates=Count("id"), persons=Count("person_id", distinct=True))
    several = serving.values("person_id").annotate(n=Count("id")).filter(n__gt=1).order_by().count()
    return RosterOverview(
        levels=[
            LevelCount(
                level,
                by_level.get(level, {}).get("persons", 0),
                by_level.get(level, {}).get("mandates", 0),
            )
            for level in Level
        ],
        persons=totals["persons"],
        mandates=totals["mandates"],
        persons_with_several=several,
    )


def own_person(user) -> Person | None:
    """The deputy's own person row, with mandates (and their terms and regions) and expertise."""
    return (
        Person.objects.filter(user=user)
        .prefetch_related(
            "expertise", "mandates__term__congress__region", "mandates__region__parent"
        )
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )


def last_import_of(sha256: str, *, user) -> RosterImport | None:
    """The latest import of a file with these exact bytes that `user` may see (one query, by
    the SHA-256 index): the preview tells staff that the file was already imported. Another
    county's imports are not theirs to know of."""
    if not sha256:
        return None
    return (
        RosterImport.objects.visible_to(user)
        .filter(sha256=sha256, outcome=RosterImport.Outcome.IMPORTED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
