"""Rolling up, publishing and exporting the monthly statistics."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed

from . import figures
from .models import Figure, MonthlyReport, ReportExport, ReportTransition
from .periods import Period


def compute_refusal(*, month: dt.date, by=None, reports=None) -> str | None:
    """Why `by` may not compute `month` (None: the step is allowed). `by` None is the system
    (the nightly task, the demo). `reports`: some of the month's reports, already loaded (a
    month is computed and published whole, so any of them tells), to spare the query."""
    first = month.replace(day=1)
    if by is not None and not access.is_committee_staff(by):
        return _("Only committee staff may compute the statistics.")
    if reports is None:
        published = MonthlyReport.objects.filter(
            month=first, status=MonthlyReport.Status.PUBLISHED
        ).exists()
    else:
        published = any(r.is_published for r in reports)
    if published:
        return _("%(month)s is published and can no longer change.") % _label(first)
    return None


def may_compute(*, month: dt.date, by=None, reports=None) -> bool:
    """The predicate of `rollup_month`: the dashboard shows "compute" exactly when it holds."""
    return compute_refusal(month=month, by=by, reports=reports) is None


def rollup_month(*, month: dt.date, by=None) -> list[MonthlyReport]:
    """Compute a month's figures for the city and every county, and store them as the draft of
    that month. A month already published is never computed again: the step refuses.

    The figures are computed before the write (a fixed number of aggregate queries), then the
    draft's figure rows are replaced in one transaction, under a lock on the month's reports."""
    first = month.replace(day=1)
    refusal = compute_refusal(month=first, by=by)
    if refusal is not None:
        if by is not None and not access.is_committee_staff(by):
            raise NotAllowed(refusal)
        raise DomainError(refusal)
    scopes = figures.Scopes.load()
    result = figures.compute(Period.month(first), scopes)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            r.region_id: r
            for r in MonthlyReport.objects.select_for_update(of=("self",))
            .select_related("region")
            .filter(month=first, region__in=scopes.all)
        }
        if any(r.is_published for r in existing.values()):
            raise DomainError(_("%(month)s is published and can no longer change.") % _label(first))
        new = [
            MonthlyReport(month=first, region=region)
            for region in scopes.all
            if region.pk not in existing
        ]
        MonthlyReport.objects.bulk_create(new)
        reports = {r.region_id: r for r in [*existing.values(), *new]}
        if not all(r.pk for r in new):  # SQLite before 3.35 returns no ids
            reports = {
                r.region_id: r
                for r in MonthlyReport.objects.filter(month=first, region__in=scopes.all)
            }
        Figure.objects.filter(report__in=list(reports.values())).delete()
        by_path = {region.path: reports[region.pk] for region in scopes.all}
        Figure.objects.bulk_create(
            [
                Figure(
                    report=by_path[scope],
                    area=area,
                    metric=metric,
                    level=level,
                    dimension=dim,
                    value=value,
                    base=base,
                )
                for (scope, area, metric, level, dim), (value, base) in result.values.items()
            ],
            batch_size=2000,
        )
        MonthlyReport.objects.filter(pk__in=[r.pk for r in reports.values()]).update(
            computed_at=now, missing_areas=""
        )
        ReportTransition.objects.bulk_create(
            [
                ReportTransition(
                    report=r,
                    action=ReportTransition.Action.COMPUTE,
                    from_status=MonthlyReport.Status.DRAFT,
                    to_status=MonthlyReport.Status.DRAFT,
                    by=by,
                )
                for r in reports.values()
            ]
        )
    for r in reports.values():
        r.computed_at, r.missing_areas = now, ""
    return sorted(reports.values(), key=lambda r: r.region.path)


def _publish_refusal(first: dt.date, by, reports: list[MonthlyReport]) -> str | None:
    if not access.is_city_staff(by):
        return _("Only city committee staff may publish the statistics.")
    if not reports:
        return _("%(month)s has not been computed yet.") % _label(first)
    if any(r.is_published for r in reports):
        return _("%(month)s is already published.") % _label(first)
    if first >= timezone.localdate().replace(day=1):
        return _("A month can be published only after it has ended.")
    return None


def may_publish(*, month: dt.date, by, reports=None) -> bool:
    """The predicate of `publish_month`: city staff, a month computed, ended, not published.
    `reports` as for `may_compute`."""
    first = month.replace(day=1)
    if not access.is_city_staff(by):  # no query for everyone else
        return False
    if reports is None:
        reports = list(MonthlyReport.objects.filter(month=first))
    return _publish_refusal(first, by, list(reports)) is None


def publish_month(*, month: dt.date, by, reason: str = "") -> int:
    """Publish a month's statistics, for the city and every county at once. Only city staff
    may; a published month never changes again. Returns how many reports were published."""
    first = month.replace(day=1)
    if not access.is_city_staff(by):
        raise NotAllowed(_("Only city committee staff may publish the statistics."))
    with transaction.atomic():
        reports = list(MonthlyReport.objects.select_for_update().filter(month=first).order_by("pk"))
        refusal = _publish_refusal(first, by, reports)
        if refusal is not None:
            raise DomainError(refusal)
        now = timezone.now()
        changed = MonthlyReport.objects.filter(
            pk__in=[r.pk for r in reports], status=MonthlyReport.Status.DRAFT
        ).update(status=MonthlyReport.Status.PUBLISHED, published_at=now, published_by=by)
        if changed != len(reports):
            raise DomainError(_("%(month)s is already published.") % _label(first))
        ReportTransition.objects.bulk_create(
            [
                ReportTransition(
                    report=r,
                    action=ReportTransition.Action.PUBLISH,
                    from_status=MonthlyReport.Status.DRAFT,
                    to_status=MonthlyReport.Status.PUBLISHED,
                    by=by,
                    reason=reason,
                )
                for r in reports
            ]
        )
    return changed


def may_export(*, report: MonthlyReport, by) -> bool:
    """The predicate of `export_request`: whoever sees the month's figures may export them."""
    return access.in_scope(by, report)


def export_request(*, report: MonthlyReport, by) -> ReportExport:
    """Queue the month's workbook for `report`'s scope; the build runs in the background and
    the requester is notified when it is ready."""
    if not may_export(report=report, by=by):
        raise NotAllowed(_("You may not see these figures."))
    export = ReportExport.objects.create(report=report, requested_by=by)
    from . import tasks

    transaction.on_commit(lambda: tasks.build_export.delay(export.pk))
    return export


def _label(first: dt.date) -> dict:
    return {"month": f"{first.year}年{first.month}月"}
