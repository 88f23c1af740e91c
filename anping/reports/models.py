"""Monthly statistics, stored month by month so that a published month never changes.

A `MonthlyReport` holds one month's figures for one scope (the city, or one county); each figure
is a `Figure` row: (area, metric, level, dimension) → value, with a base where the figure is a rate
or an average. Rollups rewrite a draft month's figures; once staff publish the month, the service
refuses any recompute and a database trigger refuses any write to the month or its figures.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.history.models import TransitionBase


class MonthlyReportQuerySet(access.ScopedQuerySet):
    """Committee staff see the reports of their region's subtree (a county its own, the city
    every scope); nobody else sees the figures."""

    region_path = "region"


class MonthlyReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The city, or one county: the figures cover this region and all below it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    missing_areas = models.CharField(
        _("areas not computed"),
        max_length=300,
        blank=True,
        help_text=_("Areas whose records were not available when the month was computed."),
    )  # Only months computed by earlier versions carry it: every area is computed now.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["month", "region"], name="report_one_per_month_scope"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="report_published_has_time",
            ),
        ]
        indexes = [
            # The dashboard's year series: a scope's months of one year.
            models.Index(fields=["region", "month"], name="report_region_month"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.month:%Y-%m}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("A report's month starts on the first day.")})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class FigureQuerySet(access.ScopedQuerySet):
    """A figure is seen by whoever sees its month's report."""

    via = "report"


class Figure(models.Model):
    """One figure of a month: e.g. (activities, count, "", inspection) → 27, or (deputies,
    active, city, "") → 310 with base 470 (the coverage rate is value / base)."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="figures"
    )
    area = models.CharField(_("area"), max_length=20)
    metric = models.CharField(_("metric"), max_length=30)
    level = models.CharField(_("level"), max_length=12, blank=True)
    dimension = models.CharField(_("dimension"), max_length=20, blank=True)
    value = models.BigIntegerField(_("value"))
    base = models.BigIntegerField(_("base"), null=True, blank=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "area", "metric", "level", "dimension"],
                name="figure_unique_in_report",
            ),
        ]
        indexes = [
            # The dashboard's year series: one metric across the months of a scope.
            models.Index(fields=["area", "metric", "report"], name="figure_metric_report"),
        ]

    def __str__(self) -> str:
        return f"{self.area}.{self.metric}[{self.level}/{self.dimension}] = {self.value}"


class ReportTransitionQuerySet(access.ScopedQuerySet):
    """A month's steps are seen by whoever sees the month."""

    via = "report"


class ReportTransition(TransitionBase):
    """A recorded step of a month: computed again, or published (who, when, from, to, why)."""

    subject_field = "report"

    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )

    class Action(models.TextChoices):
        COMPUTE = "compute", _("Computed")
        PUBLISH = "publish", _("Published")

    action = models.CharField(_("step"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=10, choices=MonthlyReport.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=MonthlyReport.Status.choices)

    objects = ReportTransitionQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.action}"


class ReportExportQuerySet(access.ScopedQuerySet):
    """An export is seen by committee staff whose scope covers its report."""

    via = "report"


class ReportExport(models.Model):
    """The month's Excel workbook, built in the background; `progress` is polled by the page.

    The file lives under MEDIA_ROOT, which is never served directly: the download view checks
    that the user may see the report's figures."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="reports/exports/", blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("Excel export")
        verbose_name_plural = _("Excel exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="export_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_status_display()}"

    @property
    def is_done(self) -> bool:
        """The workbook is built: it may be downloaded."""
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def filename(self) -> str:
        return f"人大代表工作月报-{self.report.region.name}-{self.report.month:%Y年%m月}.xlsx"
