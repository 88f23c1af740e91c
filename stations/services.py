"""Writes for groups, stations, activities, opinions and campaigns. The admin, the portal views,
the demo data and other apps (proposals turning an opinion into a suggestion) all call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies.models import Person

from .models import (
    Activity,
    DepartmentReport,
    Group,
    Measure,
    MeasureChange,
    Membership,
    Opinion,
    OpinionTransition,
    Participation,
    Station,
    Stationing,
)

# --- who may act ---------------------------------------------------------------------------


def require_staff_over(by, region: Region) -> None:
    """Committee staff whose scope covers `region`; anyone else is refused."""
    path = access.staff_region_path(by)
    if path is None or not region.path.startswith(path):
        raise NotAllowed(_("Only committee staff of this region may do this."))


def _deputy_person(by) -> Person | None:
    if access.role_of(by) != "deputy":
        return None
    return Person.objects.filter(user=by).first()


def may_manage_activity(by, activity: Activity) -> bool:
    """Staff over the activity's region; or the deputy leading the organising group."""
    path = access.staff_region_path(by)
    if path is not None:
        return activity.region.path.startswith(path)
    if access.role_of(by) == "deputy" and activity.group_id:
        return activity.group.leader_id is not None and activity.group.leader.user_id == by.pk
    return False


def _require_activity_manager(by, activity: Activity) -> None:
    if not may_manage_activity(by, activity):
        raise NotAllowed(_("You may not change this activity."))


# --- professional groups -------------------------------------------------------------------


def group_add_members(
    *, group: Group, persons: Iterable[Person], by, joined_on: dt.date | None = None
) -> int:
    """Put deputies into a professional group (those already in it are left as they are).
    Returns how many joined."""
    require_staff_over(by, group.region)
    visible = Person.objects.visible_to(by)
    ids = {p.pk for p in persons}
    if not ids:
        raise DomainError(_("Choose at least one deputy."))
    if visible.filter(pk__in=ids).count() != len(ids):
        raise NotAllowed(_("Some of these deputies are outside your region."))
    with transaction.atomic():
        Group.objects.select_for_update().get(pk=group.pk)
        present = set(
            Membership.objects.filter(group=group, person_id__in=ids).values_list(
                "person_id", flat=True
            )
        )
        new = [
            Membership(group=group, person_id=pk, joined_on=joined_on or timezone.localdate())
            for pk in sorted(ids - present)
        ]
        Membership.objects.bulk_create(new)
    return len(new)


def group_remove_member(*, group: Group, person: Person, by) -> None:
    require_staff_over(by, group.region)
    with transaction.atomic():
        deleted, _rows = Membership.objects.filter(group=group, person=person).delete()
        if not deleted:
            raise DomainError(_("This deputy is not in the group."))
        if group.leader_id == person.pk:
            Group.objects.filter(pk=group.pk).update(leader=None)


# --- liaison stations ----------------------------------------------------------------------


def station_station_deputy(
    *,
    station: Station,
    person: Person,
    start_date: dt.date,
    end_date: dt.date | None = None,
    note: str = "",
    by,
) -> Stationing:
    """Station a deputy (进驻) at a station for a period. The deputy may come from another
    city (a provincial deputy of 鹤壁市, say): what matters is that the station is the staff's."""
    require_staff_over(by, station.region)
    if end_date and end_date < start_date:
        raise DomainError(_("The end date cannot be before the start date."))
    with transaction.atomic():
        Station.objects.select_for_update().get(pk=station.pk)
        overlapping = Stationing.objects.filter(station=station, person=person).exclude(
            end_date__lt=start_date
        )
        if end_date:
            overlapping = overlapping.filter(start_date__lte=end_date)
        if overlapping.exists():
            raise DomainError(
                _("%(name)s is already stationed here in that period.") % {"name": person.name}
            )
        return Stationing.objects.create(
            station=station, person=person, start_date=start_date, end_date=end_date, note=note
        )


# --- activities ----------------------------------------------------------------------------


def activity_create(
    *,
    by,
    kind: str,
    title: str,
    date: dt.date,
    region: Region,
    committee: Organisation | None = None,
    group: Group | None = None,
    station: Station | None = None,
    location: str = "",
    summary: str = "",
    measure: Measure | None = None,
) -> Activity:
    """Record a duty activity. Staff record any in their region; a deputy records the
    activities of a group they lead."""
    activity = Activity(
        kind=Activity.Kind(kind),
        title=title,
        date=date,
        region=region,
        committee=committee,
        group=group,
        station=station,
        location=location,
        summary=summary,
        measure=measure,
        created_by=by if getattr(by, "pk", None) else None,
    )
    activity.clean()
    _require_activity_manager(by, activity)
    if (
        group is not None
        and not access.is_committee_staff(by)
        and not region.path.startswith(group.region.path)
    ):
        raise DomainError(_("The activity must take place in the group's region."))
    activity.save()
    return activity


def activity_update(*, activity: Activity, by) -> Activity:
    """Save an edited activity (title, date, place, organiser ...). Its participations carry
    its date, so a moved activity moves them too, in the same transaction."""
    activity.clean()
    _require_activity_manager(by, activity)
    with transaction.atomic():
        activity.save()
        Participation.objects.filter(activity=activity).exclude(date=activity.date).update(
            date=activity.date
        )
    return activity


def activity_add_participants(*, activity: Activity, persons: Iterable[Person], by) -> int:
    """Add deputies as participants of an activity in one step (those already in it are left
    as they are). Returns how many were added."""
    _require_activity_manager(by, activity)
    ids = {p.pk if isinstance(p, Person) else int(p) for p in persons}
    if not ids:
        raise DomainError(_("Choose at least one deputy."))
    if access.is_committee_staff(by):
        # Staff add deputies of their region, or provincial and national deputies stationed or
        # invited from elsewhere (their Person is not in the region's roster).
        known = Person.objects.visible_to(by).filter(pk__in=ids).count()
        if known != len(ids):
            outside = ids - set(
                Person.objects.visible_to(by).filter(pk__in=ids).values_list("pk", flat=True)
            )
            if Person.objects.filter(
                pk__in=outside, mandates__level__in=["provincial", "national"]
            ).distinct().count() != len(outside):
                raise NotAllowed(_("Some of these deputies are outside your region."))
    else:
        members = set(
            Membership.objects.filter(group_id=activity.group_id, person_id__in=ids).values_list(
                "person_id", flat=True
            )
        )
        if members != ids:
            raise NotAllowed(_("A group leader may add only the group's members."))
    with transaction.atomic():
        Activity.objects.select_for_update().get(pk=activity.pk)
        present = set(
            Participation.objects.filter(activity=activity, person_id__in=ids).values_list(
                "person_id", flat=True
            )
        )
        new = [
            Participation(activity=activity, person_id=pk, date=activity.date)
            for pk in sorted(ids - present)
        ]
        Participation.objects.bulk_create(new)
    return len(new)


def activity_remove_participant(*, activity: Activity, person: Person, by) -> None:
    _require_activity_manager(by, activity)
    deleted, _rows = Participation.objects.filter(activity=activity, person=person).delete()
    if not deleted:
        raise DomainError(_("This deputy did not take part in the activity."))


def activity_add_department_report(
    *, activity: Activity, unit: Organisation, head_name: str, topic: str, head_post: str = "", by
) -> DepartmentReport:
    """Record that a department head reported to the deputies at a station event."""
    _require_activity_manager(by, activity)
    if activity.kind != Activity.Kind.STATION_EVENT:
        raise DomainError(_("Department heads report at station events only."))
    if unit.kind != Organisation.Kind.HANDLING_UNIT:
        raise DomainError(_("Choose a government department."))
    if DepartmentReport.objects.filter(activity=activity, unit=unit).exists():
        raise DomainError(_("This department has already reported at this event."))
    return DepartmentReport.objects.create(
        activity=activity, unit=unit, head_name=head_name, head_post=head_post, topic=topic
    )


# --- constituent opinions ------------------------------------------------------------------


def opinion_record(
    *,
    by,
    taken_by: Person,
    channel: str,
    topic: str,
    summary: str,
    region: Region,
    received_on: dt.date,
    details: str = "",
    constituent: str = "",
    station: Station | None = None,
    activity: Activity | None = None,
    campaign=None,
) -> Opinion:
    """Record an opinion a deputy took. A deputy records their own; staff record any deputy's
    in their region."""
    if access.is_committee_staff(by):
        require_staff_over(by, region)
        access.require_in_scope(by, taken_by)
    else:
        me = _deputy_person(by)
        if me is None or me.pk != taken_by.pk:
            raise NotAllowed(_("A deputy records only the opinions they took."))
    # Every foreign key the writer chose lies in their scope (a station they serve, an activity
    # they may see), not only the opinion's region.
    access.require_in_scope(by, station, activity, campaign)
    if received_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."))
    return Opinion.objects.create(
        channel=Opinion.Channel(channel),
        topic=Opinion.Topic(topic),
        summary=summary,
        details=details,
        constituent=constituent,
        region=region,
        taken_by=taken_by,
        received_on=received_on,
        station=station,
        activity=activity,
        campaign=campaign,
        created_by=by if getattr(by, "pk", None) else None,
    )


def opinion_update(*, opinion: Opinion, by) -> Opinion:
    """Save an opinion staff edited in the admin (its text, topic, channel, region, links; never
    its outcome, which moves only through the steps). The region before and after the edit, and
    every record it links to, must lie in the staff member's scope."""
    if not access.is_committee_staff(by):
        raise NotAllowed(_("Only committee staff of this region may do this."))
    with transaction.atomic():
        stored = Opinion.objects.select_for_update(of=("self",)).select_related("region")
        before = stored.get(pk=opinion.pk)
        require_staff_over(by, before.region)
        require_staff_over(by, opinion.region)
        access.require_in_scope(
            by, opinion.taken_by, opinion.station, opinion.activity, opinion.campaign
        )
        if opinion.received_on > timezone.localdate():
            raise DomainError(_("The date cannot be in the future."))
        opinion.save(
            update_fields=[
                "channel",
                "topic",
                "summary",
                "details",
                "constituent",
                "region",
                "taken_by",
                "received_on",
                "station",
                "activity",
                "campaign",
            ]
        )
    return opinion


def opinion_follow_loop(
    *, opinion: Opinion, to: str, by, reason: str, unit: Organisation | None = None
) -> Opinion:
    """The outcome an opinion's closed loop (the `opinions` app) reached: forwarded when a unit
    has it, solved when solved, closed when explained, back to recorded when a unit sent it
    back. The loop's own steps decide who may; this records the outcome the statistics read,
    with its transition row. Called inside the loop step's transaction, under its lock."""
    to = Opinion.Status(to)
    locked = Opinion.objects.select_for_update(of=("self",)).get(pk=opinion.pk)
    if locked.status == to and (unit is None or locked.forwarded_to_id == unit.pk):
        return locked
    row = OpinionTransition(
        opinion=locked,
        from_status=locked.status,
        to_status=to,
        unit=unit,
        reason=reason.strip()[:300],
        by=by if getattr(by, "pk", None) else None,
    )
    row.from_loop = True  # listeners of the loop need not follow their own step
    row.save()
    locked.status = to
    if to == Opinion.Status.FORWARDED or unit is not None:
        locked.forwarded_to = unit
    elif to == Opinion.Status.RECORDED:
        locked.forwarded_to = None
    locked.outcome_note = reason.strip()[:300]
    locked.closed_on = timezone.localdate() if to in Opinion.FINAL else None
    locked.save(update_fields=["status", "forwarded_to", "outcome_note", "closed_on"])
    return locked


# Which outcome may follow which. Adopted / not adopted is the outcome of opinions given in a
# budget review or a legislation consultation; the others of opinions from constituents.
OPINION_MOVES: dict[str, set[str]] = {
    Opinion.Status.RECORDED: {
        Opinion.Status.FORWARDED,
        Opinion.Status.SUGGESTION,
        Opinion.Status.SOLVED,
        Opinion.Status.CLOSED,
        Opinion.Status.ADOPTED,
        Opinion.Status.NOT_ADOPTED,
    },
    Opinion.Status.FORWARDED: {
        Opinion.Status.SUGGESTION,
        Opinion.Status.SOLVED,
        Opinion.Status.CLOSED,
    },
}
ADOPTION_KINDS = {Activity.Kind.BUDGET_REVIEW, Activity.Kind.LEGISLATION}


def opinion_allowed_moves(opinion: Opinion, by=None) -> list[str]:
    """The outcomes `opinion` may move to (for `by`, when given: a deputy never forwards, the
    closed loop's dispatch is the staff's step)."""
    moves = OPINION_MOVES.get(opinion.status, set())
    if by is not None and not access.is_committee_staff(by):
        moves = moves - {Opinion.Status.FORWARDED}
    adoptive = opinion.activity_id is not None and opinion.activity.kind in ADOPTION_KINDS
    adoption = {Opinion.Status.ADOPTED, Opinion.Status.NOT_ADOPTED}
    moves = moves & adoption if adoptive else moves - adoption
    return [s for s in Opinion.Status.values if s in moves]


def opinion_move(
    *,
    opinion: Opinion,
    to: str,
    by,
    reason: str,
    unit: Organisation | None = None,
    on: dt.date | None = None,
) -> Opinion:
    """Move an opinion to an outcome: forwarded to a department, turned into a suggestion,
    solved, explained and closed (or, for review and consultation opinions, adopted or not).
    Staff of the region and the deputy who took it may move it; the change is recorded."""
    to = Opinion.Status(to)
    if not reason.strip():
        raise DomainError(_("Say why (a short note is enough)."))
    with transaction.atomic():
        locked = (
            Opinion.objects.select_for_update(of=("self",))
            .select_related("region", "taken_by", "activity")
            .get(pk=opinion.pk)
        )
        if access.is_committee_staff(by):
            require_staff_over(by, locked.region)
        elif not (access.role_of(by) == "deputy" and locked.taken_by.user_id == by.pk):
            raise NotAllowed(_("Only staff of the region or the deputy who took it may do this."))
        if to == Opinion.Status.FORWARDED and not access.is_committee_staff(by):
            raise NotAllowed(
                _("Deputies do not send opinions to departments: staff dispatch them.")
            )
        if to not in opinion_allowed_moves(locked):
            raise DomainError(
                _("An opinion that is “%(from)s” cannot become “%(to)s”.")
                % {"from": locked.get_status_display(), "to": to.label}
            )
        if to == Opinion.Status.FORWARDED:
            if unit is None or unit.kind != Organisation.Kind.HANDLING_UNIT:
                raise DomainError(_("Choose the department it is forwarded to."))
        elif unit is not None:
            raise DomainError(_("Only a forwarded opinion names a department."))
        OpinionTransition.objects.create(
            opinion=locked,
            from_status=locked.status,
            to_status=to,
            unit=unit,
            reason=reason.strip()[:300],
            by=by,
            at=timezone.now(),
        )
        locked.status = to
        if unit is not None:
            locked.forwarded_to = unit
        locked.outcome_note = reason.strip()[:300]
        locked.closed_on = (on or timezone.localdate()) if to in Opinion.FINAL else None
        locked.save(update_fields=["status", "forwarded_to", "outcome_note", "closed_on"])
    return locked


def opinion_turn_into_suggestion(*, opinion: Opinion, by, reference: str) -> Opinion:
    """The hook for the suggestions capability: when a deputy's suggestion is made from this
    opinion, the proposals app calls this (the link itself lives on its side); `reference` is
    the suggestion's number or title, kept as the reason."""
    return opinion_move(
        opinion=opinion,
        to=Opinion.Status.SUGGESTION,
        by=by,
        reason=_("Turned into a suggestion: %(ref)s") % {"ref": reference},
    )


# --- campaigns -----------------------------------------------------------------------------

MEASURE_MOVES = {
    Measure.Status.PLANNED: {Measure.Status.IN_PROGRESS, Measure.Status.DONE},
    Measure.Status.IN_PROGRESS: {Measure.Status.DONE},
}


def measure_set_status(
    *, measure: Measure, to: str, by, reason: str = "", on: dt.date | None = None
) -> Measure:
    """Move a campaign measure forward (planned → in progress → carried out), recorded."""
    to = Measure.Status(to)
    with transaction.atomic():
        locked = (
            Measure.objects.select_for_update(of=("self",))
            .select_related("campaign__region")
            .get(pk=measure.pk)
        )
        require_staff_over(by, locked.campaign.region)
        if to not in MEASURE_MOVES.get(locked.status, set()):
            raise DomainError(
                _("A measure that is “%(from)s” cannot become “%(to)s”.")
                % {"from": locked.get_status_display(), "to": to.label}
            )
        MeasureChange.objects.create(
            measure=locked, from_status=locked.status, to_status=to, reason=reason, by=by
        )
        locked.status = to
        locked.done_on = (on or timezone.localdate()) if to == Measure.Status.DONE else None
        locked.save(update_fields=["status", "done_on"])
    return locked
