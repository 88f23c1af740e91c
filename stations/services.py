"""Writes for groups, stations, activities, opinions and campaigns. The admin, the portal views,
the demo data and other apps (proposals turning an opinion into a suggestion) all call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.accounts.models import User
from anping.errors import DomainError, NotAllowed
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies.models import Person

from .models import (
    Activity,
    Campaign,
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
    StationLead,
    ancestor_paths,
)

# --- who may act ---------------------------------------------------------------------------


def require_staff_over(by, region: Region) -> None:
    """Committee staff whose scope covers `region`; anyone else is refused."""
    path = access.staff_region_path(by)
    if path is None or region is None or not region.path.startswith(path):
        raise NotAllowed(_("Only committee staff of this region may do this."))


def in_reach(by, region: Region | None) -> bool:
    """May staff `by` name a body of `region` in what they write? Their own region's subtree,
    or a region above it: the city committee co-builds a county's station, a city department
    reports at a county station, a county carries out the city's campaign. Never a sibling."""
    path = access.staff_region_path(by)
    if path is None or region is None:
        return False
    return region.path.startswith(path) or path.startswith(region.path)


def require_org_in_reach(by, org: Organisation | None, *, kinds, wrong_kind: str) -> None:
    """A committee, working body or department a writer names: of the right kind, and in reach."""
    if org is None:
        return
    if org.kind not in kinds:
        raise DomainError(wrong_kind)
    if not in_reach(by, org.region):
        raise NotAllowed(_("This is outside your region."))


def organisations_in_reach(by, kinds):
    """The organisations of these kinds that `by` may name (see `in_reach`): what the admin's
    choices offer, the same rule the services enforce."""
    qs = Organisation.objects.filter(kind__in=kinds).select_related("region")
    path = access.staff_region_path(by)
    if path is None:
        return qs.none()
    if path == "":
        return qs
    return qs.filter(Q(region__path__startswith=path) | Q(region__path__in=ancestor_paths(path)))


COMMITTEE_KINDS = (Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE)
VISITING_LEVELS = ("provincial", "national")


def require_persons_in_scope(by, ids: set[int], *, visitors: bool = False) -> None:
    """Staff name deputies of their region; with `visitors`, also provincial and national
    deputies from elsewhere (stationed at or invited to a station: their Person is not in the
    region's roster). The message names no one."""
    if not ids:
        return
    visible = set(Person.objects.visible_to(by).filter(pk__in=ids).values_list("pk", flat=True))
    outside = set(ids) - visible
    if outside and visitors and access.is_committee_staff(by):
        outside -= set(
            Person.objects.filter(pk__in=outside, mandates__level__in=VISITING_LEVELS)
            .values_list("pk", flat=True)
            .distinct()
        )
    if outside:
        raise NotAllowed(_("Some of these deputies are outside your region."))


def _stored(model, obj):
    """The row as the database holds it (locked), or None for a new one: a change is checked
    against where the object was as well as where the writer moves it."""
    if obj.pk is None:
        return None
    return model.objects.select_for_update().get(pk=obj.pk)


def _delete(obj) -> None:
    try:
        obj.delete()
    except ProtectedError as exc:
        raise DomainError(_("Other records still refer to this; it cannot be deleted.")) from exc


def _deputy_person(by) -> Person | None:
    if access.role_of(by) != User.Role.DEPUTY:
        return None
    return Person.objects.filter(user=by).first()


def may_manage_activity(by, activity: Activity) -> bool:
    """Staff over the activity's region; or the deputy leading the organising group."""
    path = access.staff_region_path(by)
    if path is not None:
        return activity.region.path.startswith(path)
    if access.role_of(by) == User.Role.DEPUTY and activity.group_id:
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
    ids = {p.pk for p in persons}
    if not ids:
        raise DomainError(_("Choose at least one deputy."))
    require_persons_in_scope(by, ids)
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


def group_check(*, group: Group, by) -> None:
    """May `by` save `group` as it stands (its region and leader in their scope)? The admin's
    form calls this to show the reason beside the form; `group_save` enforces it."""
    group.clean()
    require_staff_over(by, group.region)
    if group.leader_id is not None:
        require_persons_in_scope(by, {group.leader_id})


def group_save(*, group: Group, by, expertise: Iterable | None = None) -> Group:
    """Create or change a professional group (name, level, region, field, leader ...)."""
    with transaction.atomic():
        stored = _stored(Group, group)
        if stored is not None:
            require_staff_over(by, stored.region)
        group_check(group=group, by=by)
        group.save()
        if expertise is not None:  # reference data: any tag may be matched
            group.expertise.set(expertise)
    return group


def group_delete(*, group: Group, by) -> None:
    with transaction.atomic():
        require_staff_over(by, _stored(Group, group).region)
        _delete(group)


def membership_set_joined_on(*, membership: Membership, joined_on: dt.date | None, by) -> None:
    with transaction.atomic():
        stored = Membership.objects.select_for_update().select_related("group__region")
        stored = stored.get(pk=membership.pk)
        require_staff_over(by, stored.group.region)
        Membership.objects.filter(pk=stored.pk).update(joined_on=joined_on)


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
    require_persons_in_scope(by, {person.pk}, visitors=True)
    if end_date and end_date < start_date:
        raise DomainError(_("The end date cannot be before the start date."))
    with transaction.atomic():
        Station.objects.select_for_update().get(pk=station.pk)
        _refuse_overlap(station, person, start_date, end_date)
        return Stationing.objects.create(
            station=station, person=person, start_date=start_date, end_date=end_date, note=note
        )


def station_station_deputies(
    *,
    station: Station,
    persons: Iterable[Person],
    start_date: dt.date,
    end_date: dt.date | None = None,
    note: str = "",
    by,
) -> int:
    """Station several deputies for the same period, all or none. Returns how many."""
    persons = list(persons)
    if not persons:
        raise DomainError(_("Choose at least one deputy."))
    with transaction.atomic():
        for person in persons:
            station_station_deputy(
                station=station,
                person=person,
                start_date=start_date,
                end_date=end_date,
                note=note,
                by=by,
            )
    return len(persons)


def _refuse_overlap(station, person, start_date, end_date, *, exclude=None) -> None:
    overlapping = Stationing.objects.filter(station=station, person=person).exclude(
        end_date__lt=start_date
    )
    if end_date:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.exists():
        raise DomainError(
            _("%(name)s is already stationed here in that period.") % {"name": person.name}
        )


def stationing_update(*, stationing: Stationing, by) -> Stationing:
    """Change when a stationing ends, or its note (where and from when stay as recorded)."""
    with transaction.atomic():
        stored = (
            Stationing.objects.select_for_update()
            .select_related("station__region", "person")
            .get(pk=stationing.pk)
        )
        require_staff_over(by, stored.station.region)
        end_date = stationing.end_date
        if end_date and end_date < stored.start_date:
            raise DomainError(_("The end date cannot be before the start date."))
        _refuse_overlap(
            stored.station, stored.person, stored.start_date, end_date, exclude=stored.pk
        )
        stored.end_date, stored.note = end_date, stationing.note
        stored.save(update_fields=["end_date", "note"])
    return stored


def stationing_remove(*, stationing: Stationing, by) -> None:
    with transaction.atomic():
        stored = Stationing.objects.select_for_update().select_related("station__region")
        stored = stored.get(pk=stationing.pk)
        require_staff_over(by, stored.station.region)
        stored.delete()


def station_check(*, station: Station, by, co_builders: Iterable[Organisation] = ()) -> None:
    """May `by` save `station` with these co-builders (committees in reach of their region)?"""
    station.clean()
    require_staff_over(by, station.region)
    for org in co_builders:
        require_org_in_reach(
            by,
            org,
            kinds=(Organisation.Kind.COMMITTEE,),
            wrong_kind=_("A station is co-built by people's congress committees."),
        )


def station_save(
    *, station: Station, by, co_builders: Iterable[Organisation] | None = None
) -> Station:
    """Create or change a liaison station and who co-builds it."""
    with transaction.atomic():
        stored = _stored(Station, station)
        if stored is not None:
            require_staff_over(by, stored.region)
        station_check(station=station, by=by, co_builders=co_builders or ())
        station.save()
        if co_builders is not None:
            station.co_builders.set(co_builders)
    return station


def station_delete(*, station: Station, by) -> None:
    with transaction.atomic():
        require_staff_over(by, _stored(Station, station).region)
        _delete(station)


def station_lead_save(*, lead: StationLead, by) -> StationLead:
    """Record or correct who leads a station (and their training)."""
    with transaction.atomic():
        stored = _stored(StationLead, lead)
        if stored is not None and stored.station_id != lead.station_id:
            raise DomainError(_("A lead stays with their station."))
        require_staff_over(
            by, Station.objects.select_related("region").get(pk=lead.station_id).region
        )
        lead.save()
    return lead


def station_lead_delete(*, lead: StationLead, by) -> None:
    with transaction.atomic():
        stored = StationLead.objects.select_for_update().select_related("station__region")
        stored = stored.get(pk=lead.pk)
        require_staff_over(by, stored.station.region)
        stored.delete()


# --- activities ----------------------------------------------------------------------------


def activity_check(*, activity: Activity, by) -> None:
    """May `by` record `activity` as it stands? One organiser; the writer manages it (staff of
    its region, or the leader of its group); and every body it names lies in the writer's
    scope: the committee in reach, the group, the station and the campaign measure visible."""
    activity.clean()
    _require_activity_manager(by, activity)
    require_org_in_reach(
        by,
        activity.committee,
        kinds=COMMITTEE_KINDS,
        wrong_kind=_("Choose a people's congress committee or working body."),
    )
    for obj in (activity.group, activity.station, activity.measure):
        access.require_in_scope(by, obj)
    if (
        activity.group_id is not None
        and not access.is_committee_staff(by)
        and not activity.region.path.startswith(activity.group.region.path)
    ):
        raise DomainError(_("The activity must take place in the group's region."))


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
    activity_check(activity=activity, by=by)
    activity.save()
    return activity


def activity_update(*, activity: Activity, by) -> Activity:
    """Save an edited activity (title, date, place, organiser ...). Its participations carry
    its date, so a moved activity moves them too, in the same transaction."""
    with transaction.atomic():
        stored = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("region", "group__leader")
            .get(pk=activity.pk)
        )
        _require_activity_manager(by, stored)
        activity_check(activity=activity, by=by)
        activity.save()
        Participation.objects.filter(activity=activity).exclude(date=activity.date).update(
            date=activity.date
        )
    return activity


def activity_delete(*, activity: Activity, by) -> None:
    """Delete a wrongly recorded activity with its participations (opinions keep their text)."""
    with transaction.atomic():
        stored = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("region", "group__leader")
            .get(pk=activity.pk)
        )
        _require_activity_manager(by, stored)
        _delete(stored)


def activity_add_participants(*, activity: Activity, persons: Iterable[Person], by) -> int:
    """Add deputies as participants of an activity in one step (those already in it are left
    as they are). Returns how many were added."""
    _require_activity_manager(by, activity)
    ids = {p.pk if isinstance(p, Person) else int(p) for p in persons}
    if not ids:
        raise DomainError(_("Choose at least one deputy."))
    if access.is_committee_staff(by):
        require_persons_in_scope(by, ids, visitors=True)
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


def _check_department_report(report: DepartmentReport, by) -> None:
    activity = report.activity
    _require_activity_manager(by, activity)
    if activity.kind != Activity.Kind.STATION_EVENT:
        raise DomainError(_("Department heads report at station events only."))
    require_org_in_reach(
        by,
        report.unit,
        kinds=(Organisation.Kind.HANDLING_UNIT,),
        wrong_kind=_("Choose a government department."),
    )
    twice = DepartmentReport.objects.filter(activity=activity, unit=report.unit)
    if report.pk is not None:
        twice = twice.exclude(pk=report.pk)
    if twice.exists():
        raise DomainError(_("This department has already reported at this event."))


def activity_add_department_report(
    *, activity: Activity, unit: Organisation, head_name: str, topic: str, head_post: str = "", by
) -> DepartmentReport:
    """Record that a department head reported to the deputies at a station event."""
    report = DepartmentReport(
        activity=activity, unit=unit, head_name=head_name, head_post=head_post, topic=topic
    )
    _check_department_report(report, by)
    report.save()
    return report


def department_report_update(*, report: DepartmentReport, by) -> DepartmentReport:
    """Correct a department head's report (department, head, post, topic)."""
    with transaction.atomic():
        stored = DepartmentReport.objects.select_for_update().get(pk=report.pk)
        if stored.activity_id != report.activity_id:
            raise DomainError(_("A report stays with its event."))
        _check_department_report(report, by)
        report.save()
    return report


def department_report_delete(*, report: DepartmentReport, by) -> None:
    with transaction.atomic():
        stored = (
            DepartmentReport.objects.select_for_update(of=("self",))
            .select_related("activity__region", "activity__group__leader")
            .get(pk=report.pk)
        )
        _require_activity_manager(by, stored.activity)
        stored.delete()


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


def may_change_campaign(by, campaign: Campaign) -> bool:
    """Staff of the campaign's own region (a county sees the city's campaign, changes its own)."""
    path = access.staff_region_path(by)
    return path is not None and campaign.region.path.startswith(path)


def campaign_save(*, campaign: Campaign, by) -> Campaign:
    """Create or change a campaign of the writer's region (a county sees the city's campaign
    and carries it out, but changes only its own)."""
    with transaction.atomic():
        stored = _stored(Campaign, campaign)
        if stored is not None:
            require_staff_over(by, stored.region)
        require_staff_over(by, campaign.region)
        campaign.save()
    return campaign


def campaign_delete(*, campaign: Campaign, by) -> None:
    with transaction.atomic():
        require_staff_over(by, _stored(Campaign, campaign).region)
        _delete(campaign)


def measure_check(*, measure: Measure, by) -> None:
    """May `by` save `measure` (its campaign theirs, its owner a committee in reach)?"""
    require_staff_over(by, measure.campaign.region)
    require_org_in_reach(
        by,
        measure.owner,
        kinds=COMMITTEE_KINDS,
        wrong_kind=_("Choose a people's congress committee or working body."),
    )


def measure_save(*, measure: Measure, by) -> Measure:
    """Create or change a campaign measure (number, title, owner, deadline); its status moves
    only through `measure_set_status`."""
    with transaction.atomic():
        stored = (
            Measure.objects.select_for_update(of=("self",))
            .select_related("campaign__region")
            .get(pk=measure.pk)
            if measure.pk is not None
            else None
        )
        if stored is not None:
            require_staff_over(by, stored.campaign.region)
            measure.status, measure.done_on = stored.status, stored.done_on
        measure_check(measure=measure, by=by)
        measure.save()
    return measure


def measure_delete(*, measure: Measure, by) -> None:
    with transaction.atomic():
        stored = (
            Measure.objects.select_for_update(of=("self",))
            .select_related("campaign__region")
            .get(pk=measure.pk)
        )
        require_staff_over(by, stored.campaign.region)
        _delete(stored)


MEASURE_MOVES = {
    Measure.Status.PLANNED: {Measure.Status.IN_PROGRESS, Measure.Status.DONE},
    Measure.Status.IN_PROGRESS: {Measure.Status.DONE},
}


def measure_allowed_moves(measure: Measure) -> set[str]:
    """The statuses a measure may move to next (the step's rule, for the service and the UI)."""
    return MEASURE_MOVES.get(measure.status, set())


def measure_may_move(by, measure: Measure, to: str) -> bool:
    """May `by` move `measure` to `to` now? Staff of the campaign's region, a forward move."""
    return to in measure_allowed_moves(measure) and may_change_campaign(by, measure.campaign)


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
        if to not in measure_allowed_moves(locked):
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
