"""Writes to the roster. Views, admin, imports and the demo data all go through these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.regions.models import Region

from . import roster
from .models import (
    LEVEL_REGION_KIND,
    Congress,
    Expertise,
    Level,
    Mandate,
    MandateChange,
    Person,
    RosterImport,
    Term,
)


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
    """End a serving mandate (resignation, termination, death), recording who did it and why.
    Only committee staff whose region holds the mandate may do it; `by=None` is the system
    itself (a management command, a data correction), recorded as such."""
    if by is not None and not (
        access.is_committee_staff(by)
        and Mandate.objects.visible_to(by).filter(pk=mandate.pk).exists()
    ):
        raise NotAllowed(_("You may not change this mandate."))
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


@dataclass(frozen=True)
class RosterFile:
    """The workbook as it was uploaded: its original name, size and SHA-256 of its bytes."""

    name: str = ""
    size: int = 0
    sha256: str = ""


@dataclass
class RosterImportCounts:
    persons_created: int = 0
    persons_updated: int = 0
    mandates_created: int = 0
    mandates_updated: int = 0


def roster_apply(
    *, plan: roster.Plan, by, file: RosterFile | None = None, rows: int = 0
) -> RosterImportCounts:
    """Write a checked roster workbook: new persons, their new mandates, changed phone numbers,
    posts and expertise, in bulk (a county's sheet of thousands of rows in a few statements),
    and the `RosterImport` record of who imported which file. A plan with any error writes
    nothing: the whole file is refused."""
    if not plan.ok:
        raise DomainError(_("The workbook has errors; nothing was imported."))
    if not access.may_see_personal_data(by):
        raise NotAllowed(_("You may not import the roster."))
    counts = RosterImportCounts()
    total_rows = rows or len(plan.mandates)
    with transaction.atomic():
        terms = _roster_terms(plan)
        new_persons = [Person(**p.values) for p in plan.new_persons]
        Person.objects.bulk_create(new_persons, batch_size=2000)
        for planned, person in zip(plan.new_persons, new_persons, strict=True):
            planned.existing = roster.ExistingPerson(person.pk, planned.values)
        counts.persons_created = len(new_persons)

        changed = plan.changed_persons
        now = timezone.now()
        if changed:
            rows = []
            for planned in changed:
                values = {f: v for f, v in planned.values.items() if v}
                rows.append(
                    Person(
                        pk=planned.existing.id,
                        updated_at=now,
                        **{**planned.existing.values, **values},
                    )
                )
            Person.objects.bulk_update(rows, [*roster.PERSON_FIELDS, "updated_at"], batch_size=2000)
            counts.persons_updated = len(rows)

        names = {name for p in plan.persons for name in p.expertise}
        if names:
            Expertise.objects.bulk_create(
                [Expertise(name=n) for n in sorted(names)], ignore_conflicts=True
            )
            ids = dict(Expertise.objects.filter(name__in=names).values_list("name", "id"))
            through = Person.expertise.through
            through.objects.bulk_create(
                [
                    through(person_id=p.existing.id, expertise_id=ids[name])
                    for p in plan.persons
                    for name in p.expertise
                    if name not in p.existing.expertise
                ],
                batch_size=5000,
                ignore_conflicts=True,
            )

        new_mandates = [
            Mandate(
                person_id=m.person.existing.id,
                term_id=terms[m.term_key].pk,
                level=m.term_key[0],
                region_id=m.region_id,
                electoral_unit=m.electoral_unit,
                start_date=terms[m.term_key].start_date,
            )
            for m in plan.new_mandates
        ]
        Mandate.objects.bulk_create(new_mandates, batch_size=2000)
        counts.mandates_created = len(new_mandates)
        changed_mandates = [
            Mandate(pk=m.existing[0], region_id=m.region_id, electoral_unit=m.electoral_unit)
            for m in plan.changed_mandates
        ]
        Mandate.objects.bulk_update(changed_mandates, ["region", "electoral_unit"], batch_size=2000)
        counts.mandates_updated = len(changed_mandates)
        file = file or RosterFile()
        RosterImport.objects.create(
            by=by,
            region_id=getattr(by, "region_id", None),
            file_name=file.name[:255],
            file_size=file.size,
            sha256=file.sha256,
            outcome=RosterImport.Outcome.IMPORTED,
            rows=total_rows,
            persons_created=counts.persons_created,
            persons_updated=counts.persons_updated,
            mandates_created=counts.mandates_created,
        )
    return counts


def roster_import_refused(
    *, plan: roster.Plan, by, file: RosterFile | None = None, rows: int = 0
) -> RosterImport:
    """Record a workbook whose preview showed errors (nothing of it was written), so that staff
    can see a county's broken attempts next to its imports."""
    if plan.ok:
        raise DomainError(_("This workbook has no errors; it was not refused."))
    if not access.may_see_personal_data(by):
        raise NotAllowed(_("You may not import the roster."))
    file = file or RosterFile()
    return RosterImport.objects.create(
        by=by,
        region_id=getattr(by, "region_id", None),
        file_name=file.name[:255],
        file_size=file.size,
        sha256=file.sha256,
        outcome=RosterImport.Outcome.REFUSED,
        rows=rows,
        error_rows=len({e.row for e in plan.errors}),
    )


def _roster_terms(plan: roster.Plan) -> dict[tuple[str, int, int], Term]:
    """The terms the plan's mandates sit in, creating the few a workbook names for the first
    time (a new term of a township congress, say)."""
    terms = {}
    for key in plan.terms_to_create:
        level, region_id, number = key
        congress, _created = Congress.objects.get_or_create(level=level, region_id=region_id)
        terms[key], _created = Term.objects.get_or_create(congress=congress, number=number)
    known = {m.term_id: m.term_key for m in plan.mandates if m.term_id is not None}
    for term in Term.objects.filter(pk__in=list(known)).only("id", "start_date"):
        terms[known[term.pk]] = term
    return terms
