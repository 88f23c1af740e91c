"""Writes to the roster. Views, admin, imports and the demo data all go through these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.regions.models import Region

from . import roster
from .models import (
    LEVEL_REGION_KIND,
    AccountLink,
    Congress,
    Expertise,
    Level,
    Mandate,
    MandateChange,
    Person,
    RosterImport,
    Session,
    Term,
)

# --- scope: who may write what -------------------------------------------------------------
#
# Every write below checks the writer's scope for the object *and* for every foreign key it
# carries (person, term, region ...): checking only the object's own region let a county's
# staff pull another county's deputy into their scope through a mandate.


def region_in_scope(user, region: Region | None) -> bool:
    """Whether a staff member's region holds `region` (a county's staff: not the city)."""
    path = access.staff_region_path(user)
    return region is not None and path is not None and region.path.startswith(path)


def _require_staff(by) -> None:
    if not access.is_committee_staff(by):
        raise NotAllowed(_("Only committee staff may change the roster."))


def may_change_congress(user, congress: Congress | None) -> bool:
    """County staff change the congresses (and their terms and sessions) of their region and
    below; city staff the city's and every county's, and also the province's and the nation's
    (whose terms the city's provincial and national deputies sit in: reference data the city
    keeps for its roster)."""
    if not access.is_committee_staff(user) or congress is None:
        return False
    if region_in_scope(user, congress.region):
        return True
    return access.is_city_staff(user) and congress.region.contains(user.region)


def _require_congress(by, congress: Congress | None) -> None:
    _require_staff(by)
    if not may_change_congress(by, congress):
        raise NotAllowed(_("This congress is outside the region you manage."))


def congress_save(*, by, congress: Congress) -> Congress:
    """Create or correct a congress: its region in the writer's scope (before and after), and
    of the kind its level sits at (a township congress sits in a township)."""
    if congress.pk is not None:
        _require_congress(by, Congress.objects.get(pk=congress.pk))
    _require_congress(by, congress)
    if congress.region.kind != LEVEL_REGION_KIND[Level(congress.level)]:
        raise DomainError(
            _("A %(level)s congress cannot sit in %(region)s.")
            % {"level": Level(congress.level).label, "region": congress.region.name}
        )
    congress.save()
    return congress


def congress_delete(*, by, congress: Congress) -> None:
    _require_congress(by, congress)
    congress.delete()


def term_save(*, by, term: Term) -> Term:
    """Create or correct a term of a congress in the writer's region (the old congress too)."""
    if term.pk is not None:
        _require_congress(
            by, Term.objects.select_related("congress__region").get(pk=term.pk).congress
        )
    _require_congress(by, term.congress)
    if term.start_date and term.end_date and term.end_date < term.start_date:
        raise DomainError(_("The end date cannot be before the start date."))
    term.save()
    return term


def term_delete(*, by, term: Term) -> None:
    _require_congress(by, term.congress)
    term.delete()


def session_save(*, by, session: Session) -> Session:
    """Create or correct a session of a term of a congress in the writer's region."""
    if session.pk is not None:
        old = Session.objects.select_related("term__congress__region").get(pk=session.pk)
        _require_congress(by, old.term.congress)
    _require_congress(by, session.term.congress)
    session.save()
    return session


def session_delete(*, by, session: Session) -> None:
    _require_congress(by, session.term.congress)
    session.delete()


def expertise_save(*, by, expertise: Expertise) -> Expertise:
    """Expertise tags are the city's one list (groups and searches match on them): city staff
    keep it."""
    if not access.is_city_staff(by):
        raise NotAllowed(_("Only city staff may change the list of expertise."))
    expertise.save()
    return expertise


def expertise_delete(*, by, expertise: Expertise) -> None:
    if not access.is_city_staff(by):
        raise NotAllowed(_("Only city staff may change the list of expertise."))
    expertise.delete()


def person_save(*, by, person: Person, expertise=None) -> Person:
    """Create a person or correct their data. A change needs the person in the writer's scope
    (holding a mandate in their region); a new person comes with a mandate in the same
    request (`mandate_save(..., new_person=True)`), which checks its region. The portal account
    is never set here: that is `person_link_account`, recorded."""
    _require_staff(by)
    if person.pk is not None:
        old = Person.objects.visible_to(by).filter(pk=person.pk).first()
        if old is None:
            raise NotAllowed(_("This deputy is outside the region you manage."))
        person.user_id = old.user_id
        person.save()
    else:
        person.user = None
        person.save()
    if expertise is not None:
        person.expertise.set(expertise)
    return person


def person_delete(*, by, person: Person) -> None:
    """Delete a person with all their mandates: only one wholly in the writer's region."""
    _require_staff(by)
    if not Person.objects.wholly_within(by).filter(pk=person.pk).exists():
        raise NotAllowed(_("This deputy also sits outside the region you manage."))
    person.delete()


def mandate_check(
    *, by, person: Person | None, term: Term | None, region: Region | None, new_person: bool = False
) -> list[tuple[str, str]]:
    """What is wrong with a mandate as a writer submits it, as (field, message) pairs: the
    person must already be in the writer's scope (or be created in the same form), the region
    inside the writer's region and inside the term's congress. Empty: it may be written. The
    admin forms show these beside the fields; `mandate_save` refuses on any."""
    problems = []
    if person is not None and not new_person and not access.in_scope(by, person):
        problems.append(("person", _("This deputy is outside the region you manage.")))
    if region is not None and not region_in_scope(by, region):
        problems.append(
            ("region", _("%(region)s is outside the region you manage.") % {"region": region.name})
        )
    if term is not None and region is not None:
        congress = term.congress
        if congress.level not in (Level.NATIONAL, Level.PROVINCIAL) and not (
            congress.region.contains(region)
        ):
            problems.append(
                (
                    "region",
                    _("Region %(region)s is outside %(congress)s.")
                    % {"region": region.name, "congress": congress},
                )
            )
    return problems


def mandate_save(*, by, mandate: Mandate, new_person: bool = False) -> Mandate:
    """Add a mandate or correct one (term, region, electoral unit, start date). Its status
    changes only through `mandate_end`. The level is always the term's congress's."""
    _require_staff(by)
    if mandate.pk is not None:
        old = Mandate.objects.visible_to(by).filter(pk=mandate.pk).first()
        if old is None:
            raise NotAllowed(_("You may not change this mandate."))
        if old.person_id != mandate.person_id:
            raise DomainError(_("A mandate cannot be moved to another deputy."))
        mandate.status, mandate.end_date, mandate.end_reason = (
            old.status,
            old.end_date,
            old.end_reason,
        )
    problems = mandate_check(
        by=by,
        person=mandate.person,
        term=mandate.term,
        region=mandate.region,
        new_person=new_person and mandate.pk is None,
    )
    if problems:
        raise NotAllowed(problems[0][1])
    mandate.level = mandate.term.congress.level
    mandate.save()
    return mandate


def mandate_delete(*, by, mandate: Mandate) -> None:
    """Delete a mandate entered by mistake (an ended one is ended, not deleted)."""
    _require_staff(by)
    if not Mandate.objects.visible_to(by).filter(pk=mandate.pk).exists():
        raise NotAllowed(_("You may not change this mandate."))
    mandate.delete()


# --- the portal account --------------------------------------------------------------------


def may_link_account(user, person: Person) -> bool:
    """Whether `user` may link or unlink `person`'s portal account: committee staff for whom
    the person is wholly in their region (every mandate). The account is the deputy's identity
    on the portal (ballots, feedback, their own ID number), so a county's staff may not act on a
    person who also sits elsewhere."""
    return (
        access.is_committee_staff(user)
        and person.pk is not None
        and Person.objects.wholly_within(user).filter(pk=person.pk).exists()
    )


def person_link_account(*, by, person: Person, account, reason: str = "") -> AccountLink:
    """Link `account` (a deputy's account, in the writer's region, nobody else's yet) as the
    person's portal account, or unlink it (`account=None`). Recorded as an `AccountLink` row;
    the deputy's account(s) before and after are notified."""
    from anping.accounts.models import User
    from anping.notifications.services import notify

    if not may_link_account(by, person):
        raise NotAllowed(_("You may not change this deputy's portal account."))
    with transaction.atomic():
        locked = (
            Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        )
        old = locked.user
        if account is not None:
            if account.role != User.Role.DEPUTY or not account.is_active:
                raise DomainError(
                    _("Only an active deputy account can be a deputy's portal account.")
                )
            if not access.in_scope(by, account):
                raise NotAllowed(_("This account is outside the region you manage."))
            if Person.objects.filter(user=account).exclude(pk=locked.pk).exists():
                raise DomainError(_("This account is already another deputy's portal account."))
        if (old.pk if old else None) == (account.pk if account else None):
            raise DomainError(_("This is already the deputy's portal account."))
        status = AccountLink.Status
        link = AccountLink.objects.create(
            person=locked,
            from_status=status.LINKED if old else status.UNLINKED,
            to_status=status.LINKED if account else status.UNLINKED,
            old_account=old,
            new_account=account,
            by=by,
            reason=reason,
        )
        locked.user = account
        locked.save(update_fields=["user", "updated_at"])
        who = by.get_full_name() or by.username
        if old is not None:
            notify(
                recipient=old,
                kind="deputies.account_unlinked",
                title=_("Your account is no longer the portal account of deputy %(name)s")
                % {"name": locked.name},
                body=_("Changed by %(who)s. If you did not expect this, call your committee.")
                % {"who": who},
                subject=link,
            )
        if account is not None:
            notify(
                recipient=account,
                kind="deputies.account_linked",
                title=_("Your account is now the portal account of deputy %(name)s")
                % {"name": locked.name},
                body=_("Changed by %(who)s. If you did not expect this, call your committee.")
                % {"who": who},
                url=reverse("deputies:me"),
                subject=link,
            )
    person.user = account
    return link


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


def may_end_mandate(user, mandate: Mandate) -> bool:
    """Whether `user` may end `mandate` now: committee staff whose region holds it, while it is
    serving. The admin shows the "end" button and page exactly then; `mandate_end` enforces it."""
    return (
        mandate.is_serving
        and access.is_committee_staff(user)
        and Mandate.objects.visible_to(user).filter(pk=mandate.pk).exists()
    )


def mandate_end(*, mandate: Mandate, status: str, date: dt.date, reason: str, by) -> Mandate:
    """End a serving mandate (resignation, termination, death), recording who did it and why.
    Only committee staff whose region holds the mandate may do it (`may_end_mandate`); `by=None`
    is the system itself (a management command, a data correction), recorded as such."""
    if by is not None and not (
        access.is_committee_staff(by)
        and Mandate.objects.visible_to(by).filter(pk=mandate.pk).exists()
    ):
        raise NotAllowed(_("You may not change this mandate."))
    with transaction.atomic():
        locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if not locked.is_serving:
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
            # Every name is a tag already held (checked by `roster.validate`): none is made here.
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
    """The terms the plan's mandates sit in (every one already held: the import never makes a
    congress or a term)."""
    known = {m.term_id: m.term_key for m in plan.mandates}
    return {
        known[term.pk]: term
        for term in Term.objects.filter(pk__in=list(known)).only("id", "start_date")
    }
