"""Implementation: the chosen projects, their milestones, steps, progress reports, photos and
the deputies' supervision activities held on them."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.history.models import TransitionBase

from .polls import Poll
from .rounds import Candidate, Round


class ProjectQuerySet(access.ScopedQuerySet):
    """Staff: their region's projects. Unit staff: their unit's, and every published one (what
    the public sees, another unit sees too). Everyone else (deputies, evaluators and the public):
    the projects whose vote is published, through `public()`."""

    region_path = "round__term__congress__region"
    unit_path = "unit"

    def visible_to(self, user) -> ProjectQuerySet:
        # Published projects are public: the base's "nobody" for anonymous users and other roles
        # becomes "the published ones" here, and the unit's own rule adds to them.
        if access.is_committee_staff(user):
            return self.for_staff(user)
        from anping.accounts.models import User

        if access.role_of(user) == User.Role.UNIT_STAFF and user.organisation_id:
            return self.filter(Q(unit_id=user.organisation_id) | Q(pk__in=self.public()))
        return self.public()

    def public(self) -> ProjectQuerySet:
        return self.filter(
            round__polls__kind=Poll.Kind.VOTE, round__polls__status=Poll.Status.PUBLISHED
        )

    def with_progress(self, today: dt.date) -> ProjectQuerySet:
        """Each project's latest reported percentage and report date, and its milestones past
        their date and not done, in the same query."""
        latest = ProgressReport.objects.filter(project=models.OuterRef("pk")).order_by(
            "-reported_on", "-pk"
        )
        return self.annotate(
            latest_percent=models.Subquery(latest.values("percent")[:1]),
            latest_report_on=models.Subquery(latest.values("reported_on")[:1]),
            overdue_milestones=models.Count(
                "milestones",
                filter=Q(milestones__done_on__isnull=True) & Q(milestones__due_date__lt=today),
            ),
        )


class Project(models.Model):
    """A chosen project being carried out: its unit, plan, target, funds and report schedule."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Under way")
        COMPLETED = "completed", _("Completed")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="projects"
    )
    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("candidate project"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    title = models.CharField(_("title"), max_length=120)
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
        limit_choices_to={"kind": "unit"},
    )
    target = models.CharField(_("target"), max_length=300)
    funds = models.DecimalField(_("funds (10,000 yuan)"), max_digits=10, decimal_places=2)
    plan = models.TextField(_("implementation plan"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("planned completion"))
    report_every_days = models.PositiveSmallIntegerField(
        _("progress report every (days)"), default=30
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["round", "candidate__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="lh_project_dates_ordered",
                violation_error_message=_("The completion date cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(report_every_days__gte=1),
                name="lh_project_report_interval_positive",
                violation_error_message=_("Reports must be due at least every day."),
            ),
        ]
        indexes = [
            # The unit's portal list and the report-due scan: a unit's unfinished projects.
            models.Index(
                fields=["unit"], condition=Q(completed_on__isnull=True), name="lh_project_unit_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(_("The completion date cannot be before the start."))

    def expected_percent(self, today: dt.date) -> int:
        """Where the plan says the project should stand today, spread evenly over its dates."""
        if today <= self.start_date:
            return 0
        if today >= self.end_date:
            return 100
        span = (self.end_date - self.start_date).days or 1
        return int(100 * (today - self.start_date).days / span)

    def next_report_due(self, last_report_on: dt.date | None) -> dt.date | None:
        if self.completed_on:
            return None
        start = last_report_on or self.start_date
        return start + dt.timedelta(days=self.report_every_days)

    @property
    def state(self) -> str:
        return self.State.COMPLETED if self.completed_on else self.State.IN_PROGRESS

    @property
    def plan_editable(self) -> bool:
        """The plan, dates, unit and milestones change while the project is under way only."""
        return self.completed_on is None

    def is_behind(self, today: dt.date, latest_percent: int | None, overdue_milestones=0) -> bool:
        """Behind: a milestone past its date undone, or more than ten points under the plan."""
        if self.completed_on:
            return False
        if overdue_milestones:
            return True
        return (latest_percent or 0) + 10 < self.expected_percent(today)


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_date"]

    def __str__(self) -> str:
        return self.title

    @property
    def can_mark_done(self) -> bool:
        """A milestone is marked done once, while its project is under way."""
        return self.done_on is None and self.project.plan_editable


class ProjectChangeQuerySet(access.ScopedQuerySet):
    via = "project"


class ProjectChange(TransitionBase):
    """A recorded step of a project's implementation: its plan changed, a milestone done, the
    project completed. The project's state (under way, completed) is the from/to."""

    class Action(models.TextChoices):
        PLAN = "plan", _("Plan changed")
        MILESTONE = "milestone", _("Milestone done")
        COMPLETED = "completed", _("Completed")

    subject_field = "project"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=Project.State.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Project.State.choices)

    objects = ProjectChangeQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")


class ProgressReportQuerySet(access.ScopedQuerySet):
    via = "project"


class ProgressReport(models.Model):
    """A unit's report on a project: how far it has come, in a percentage, words and photos."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    text = models.TextField(_("progress"))
    reported_on = models.DateField(_("reported on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="lh_progress_percent_at_most_100",
                violation_error_message=_("The percentage cannot exceed 100."),
            ),
        ]
        indexes = [
            # The latest report of each project (list annotations and the report-due scan).
            models.Index(fields=["project", "-reported_on"], name="lh_progress_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.percent}%"

    def clean(self):
        if self.percent is not None and self.percent > 100:
            raise ValidationError({"percent": _("The percentage cannot exceed 100.")})


def photo_path(instance, filename: str) -> str:
    """A random stored name: nothing the uploader typed reaches the file system."""
    return f"livelihood/progress/{uuid.uuid4().hex}"


class ProgressPhoto(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_path)
    content_type = models.CharField(_("content type"), max_length=60)

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self) -> str:
        return self.image.name


class SupervisionQuerySet(access.ScopedQuerySet):
    via = "project"


class Supervision(models.Model):
    """A deputies' supervision activity (民生实事监督, recorded in the stations app) held on a
    project. The link lives here so that stations never needs to know about livelihood."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="supervisions"
    )
    activity = models.ForeignKey(
        "stations.Activity",
        verbose_name=_("supervision activity"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "livelihood"},
    )

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        constraints = [
            models.UniqueConstraint(fields=["project", "activity"], name="lh_supervision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.activity_id}"

    def clean(self):
        from stations.models import Activity

        if self.activity_id and self.activity.kind != Activity.Kind.LIVELIHOOD:
            raise ValidationError(
                {"activity": _("Link an activity of the type livelihood-project supervision.")}
            )
