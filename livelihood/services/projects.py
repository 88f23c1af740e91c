"""Implementation: plans, milestones, progress reports and supervision links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed

from ..models import (
    Milestone,
    Poll,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectChange,
    Supervision,
)
from ._common import (
    _clean,
    _require_staff_of,
    _require_unit,
    _stored,
)

# --- implementation ----------------------------------------------------------------------------


def _project_change(project: Project, action: str, by, reason: str = "", *, to: str = "") -> None:
    ProjectChange.objects.create(
        project=project,
        action=action,
        from_status=project.state,
        to_status=to or project.state,
        by=by,
        reason=reason,
    )


def supervision_link(*, project: Project, activity, by) -> Supervision:
    """Record that a deputies' supervision activity was held on a project. The project and the
    activity both lie in the writer's region."""
    from stations.models import Activity

    _require_staff_of(by, project.round)
    access.require_in_scope(by, activity)
    if activity.kind != Activity.Kind.LIVELIHOOD:
        raise DomainError(_("Link an activity of the type livelihood-project supervision."))
    supervision, _created = Supervision.objects.get_or_create(project=project, activity=activity)
    return supervision


def supervision_unlink(*, supervision: Supervision, by) -> None:
    """Take a supervision activity off a project (linked by mistake): staff of its region."""
    stored = _stored(Supervision, supervision, by)
    _require_staff_of(by, stored.project.round)
    stored.delete()


def project_save_plan(*, project: Project, by, reason: str = "") -> Project:
    """Staff complete or change a chosen project's plan, dates, unit and schedule, while it is
    under way; the change is recorded. The unit lies in the writer's region."""
    stored = _stored(Project, project, by)
    if stored is None:
        raise DomainError(_("Projects come from a published vote."))
    _require_staff_of(by, stored.round)
    _require_unit(by, project.unit_id)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=stored.pk)
        if not locked.plan_editable:
            raise DomainError(_("The project is complete: its plan no longer changes."))
        # What the vote decided and what the unit reported stay as they are.
        project.round_id, project.candidate_id = locked.round_id, locked.candidate_id
        project.completed_on = locked.completed_on
        _clean(project)
        project.save()
        _project_change(project, ProjectChange.Action.PLAN, by, reason)
    return project


def milestone_save(*, milestone: Milestone, by) -> Milestone:
    """Staff add or change a milestone of a project under way (its date and title; marking it
    done is `milestone_done`)."""
    project = Project.objects.visible_to(by).filter(pk=milestone.project_id).first()
    if project is None or not access.is_committee_staff(by):
        raise NotAllowed(_("This is outside your region."))
    if milestone.pk:
        stored = Milestone.objects.filter(pk=milestone.pk, project=project).first()
        if stored is None:
            raise NotAllowed(_("This is outside your region."))
        milestone.done_on = stored.done_on
    if not project.plan_editable:
        raise DomainError(_("The project is complete: its plan no longer changes."))
    _clean(milestone)
    milestone.save()
    return milestone


def milestone_delete(*, milestone: Milestone, by) -> None:
    project = Project.objects.visible_to(by).filter(pk=milestone.project_id).first()
    if project is None or not access.is_committee_staff(by):
        raise NotAllowed(_("This is outside your region."))
    if not project.plan_editable or milestone.done_on:
        raise DomainError(_("A milestone done, or of a completed project, stays."))
    milestone.delete()


def may_mark_on(user, project: Project) -> bool:
    """Who marks a project's milestones done: its unit's staff, or committee staff of its
    region (the actor half of `may_mark_milestone`, asked once per page)."""
    from anping.accounts.models import User

    if access.is_committee_staff(user):
        return Project.objects.visible_to(user).filter(pk=project.pk).exists()
    return access.role_of(user) == User.Role.UNIT_STAFF and user.organisation_id == project.unit_id


def may_mark_milestone(user, milestone: Milestone) -> bool:
    """The project's unit or committee staff of its region, while the milestone is open."""
    return milestone.can_mark_done and may_mark_on(user, milestone.project)


def milestone_done(*, milestone: Milestone, by, day: dt.date | None = None) -> Milestone:
    """The unit (or staff) mark a milestone done, once; the step is recorded on the project."""
    day = day or timezone.localdate()
    with transaction.atomic():
        locked = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("project")
            .get(pk=milestone.pk)
        )
        if not may_mark_milestone(by, locked):
            if not locked.can_mark_done:
                raise DomainError(_("This milestone is already done."))
            raise NotAllowed(_("Only the project's unit or committee staff may do this."))
        locked.done_on = day
        locked.save(update_fields=["done_on"])
        _project_change(locked.project, ProjectChange.Action.MILESTONE, by, locked.title)
    return locked


def may_report(user, project: Project) -> bool:
    """The responsible unit's staff report on a project while it is under way."""
    from anping.accounts.models import User

    return (
        access.role_of(user) == User.Role.UNIT_STAFF
        and user.organisation_id == project.unit_id
        and project.plan_editable
    )


def progress_report_file(
    *,
    project: Project,
    by,
    percent: int,
    text: str,
    reported_on: dt.date | None = None,
    photos: Sequence = (),
) -> ProgressReport:
    """The unit carrying out the project reports how far it has come; 100% completes it."""
    from anping.accounts.models import User

    if access.role_of(by) != User.Role.UNIT_STAFF or by.organisation_id != project.unit_id:
        raise NotAllowed(_("Only the responsible unit's staff may report on this project."))
    if not Poll.objects.filter(
        round_id=project.round_id, kind=Poll.Kind.VOTE, status=Poll.Status.PUBLISHED
    ).exists():
        raise DomainError(_("The project is not chosen yet."))
    if not 0 <= percent <= 100:
        raise DomainError(_("The percentage must be between 0 and 100."))
    if not text.strip():
        raise DomainError(_("Describe the progress."))
    checked = []
    for photo in photos:
        checked.append((photo, _validate_photo(photo)))
    reported_on = reported_on or timezone.localdate()
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if not locked.plan_editable:
            raise DomainError(_("The project is complete; no more reports are due."))
        report = ProgressReport.objects.create(
            project=locked, percent=percent, text=text.strip(), reported_on=reported_on, filed_by=by
        )
        for photo, content_type in checked:
            ProgressPhoto.objects.create(report=report, image=photo, content_type=content_type)
        if percent == 100:
            _project_change(locked, ProjectChange.Action.COMPLETED, by, to=Project.State.COMPLETED)
            locked.completed_on = reported_on
            locked.save(update_fields=["completed_on"])
    return report


def _validate_photo(photo) -> str:
    """A photo's real type, read from its content by the shared upload check (a program renamed
    .jpg is refused); returns the content type to serve it with."""
    from anping.uploads import IMAGE_KINDS, validate_upload

    try:
        return validate_upload(photo, allowed=IMAGE_KINDS).content_type
    except ValidationError as exc:
        raise DomainError(exc.messages[0]) from None
