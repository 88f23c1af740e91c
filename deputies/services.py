"""Writes to the roster. Views, admin, imports and the demo data all go through these."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from anping.errors import DomainError
from anping.regions.models import Region

from .models import LEVEL_REGION_KIND, Congress, Level, Mandate, MandateChange, Person, Term


def congress_region_for(*, level: str, region: Region) -> Region:
    """The region whose congress sits at `level` above (or at) `region`: a township deputy's
    congress is the township's, a city deputy's the city's, a national deputy's the country's."""
    kind = LEVEL_REGION_KIND[Level(level)]
    found = region.ancestor_of_kind(kind)
    if found is None:
        raise DomainError(
            _("Region %(region)s has no %(level)s congress above it.")
            % {"region": region.name, "level": Level(level).label}
        )
    return found


def term_get_or_create(*, level: str, region: Region, number: int) -> Term:
    """The numbered term of the congress at `level` for `region`, created on first use."""
    congress_region = congress_region_for(level=level, region=region)
    congress, _created = Congress.objects.get_or_create(level=level, region=congress_region)
    term, _created = Term.objects.get_or_create(congress=congress, number=number)
    return term


def mandate_create(
    *,
    person: Person,
    term: Term,
    region: Region,
    electoral_unit: str = "",
    start_date: dt.date | None = None,
) -> Mandate:
    """Give a person a seat in a term. The level is the term's congress's."""
    if not term.congress.region.contains(region) and term.congress.level not in (
        Level.NATIONAL,
        Level.PROVINCIAL,
    ):
        raise DomainError(
            _("Region %(region)s is outside %(congress)s.")
            % {"region": region.name, "congress": term.congress}
        )
    if Mandate.objects.filter(person=person, term=term).exists():
        raise DomainError(_("This deputy already holds a mandate in this term."))
    return Mandate.objects.create(
        person=person,
        term=term,
        level=term.congress.level,
        region=region,
        electoral_unit=electoral_unit,
        start_date=start_date or term.start_date,
    )


def mandate_end(*, mandate: Mandate, status: str, date: dt.date, reason: str, by) -> Mandate:
    """End a serving mandate (resignation, termination, death), recording who did it and why."""
    with transaction.atomic():
        locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if locked.status != Mandate.Status.SERVING:
            raise DomainError(_("This mandate has already ended."))
        if status == Mandate.Status.SERVING:
            raise DomainError(_("Choose how the mandate ended."))
        if locked.start_date and date < locked.start_date:
            raise DomainError(_("The end date cannot be before the start date."))
        MandateChange.objects.create(
            mandate=locked, from_status=locked.status, to_status=status, reason=reason, by=by
        )
        locked.status = status
        locked.end_date = date
        locked.end_reason = reason
        locked.save(update_fields=["status", "end_date", "end_reason"])
    return locked
