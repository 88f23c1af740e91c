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


def rollup_month(*, month: dt.date, by=None) -> list[MonthlyReport]:
    """Compute a month's figures for the city and every county, and store them as the draft of
    that month. A month already published is never computed again: the step refuses.

    The figures are computed before the write (a fixed number of aggregate queries), then the
    draft's figure rows are replaced in one transaction, under a lock on the month's reports."""
    first = month.replace(day=1)
    if by is not None and not access.is_committee_staff(by):
        raise NotAllowed(_("Only committee staff may compute the statistics."))
    if MonthlyReport.objects.filter(month=first, status=MonthlyReport.Status.PUBLISHED).exists():
        raise DomainError(_("%(month)s is published and can no longer change.") % _label(first))
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
        missing = ",".join(result.missing)
        MonthlyReport.objects.filter(pk__in=[r.pk for r in reports.values()]).update(
            computed_at=now, missing_areas=missing
        )
        ReportTransition.objects.bulk_create(
            [
                ReportTransition(
                    report=r,
                    action="compute",
                    from_status=MonthlyReport.Status.DRAFT,
                    to_status=MonthlyReport.Status.DRAFT,
                    by=by,
                    reason=_("Areas not computed: %(areas)s") % {"areas": missing}
                    if missing
                    else "",
                )
                for r in reports.values()
            ]
        )
    for r in reports.values():
        r.computed_at, r.missing_areas = now, missing
    return sorted(reports.values(), key=lambda r: r.region.path)


def publish_month(*, month: dt.date, by, reason: str = "") -> int:
    """Publish a month's statistics, for the city and every county at once. Only city staff
    may; a published month never changes again. Returns how many reports were published."""
    first = month.replace(day=1)
    if not access.is_city_staff(by):
        raise NotAllowed(_("Only city committee staff may publish the statistics."))
    with transaction.atomic():
        reports = list(MonthlyReport.objects.select_for_update().filter(month=first).order_by("pk"))
        if not reports:
            raise DomainError(_("%(month)s has not been computed yet.") % _label(first))
        if any(r.is_published for r in reports):
            raise DomainError(_("%(month)s is already published.") % _label(first))
        if first >= timezone.localdate().replace(day=1):
            raise DomainError(_("A month can be published only after it has ended."))
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
                    action="publish",
                    from_status=MonthlyReport.Status.DRAFT,
                    to_status=MonthlyReport.Status.PUBLISHED,
                    by=by,
                    reason=reason,
                )
                for r in reports
            ]
        )
    return changed


def export_request(*, report: MonthlyReport, by) -> ReportExport:
    """Queue the month's workbook for `report`'s scope; the build runs in the background and
    the requester is notified when it is ready."""
    if not MonthlyReport.objects.visible_to(by).filter(pk=report.pk).exists():
        raise NotAllowed(_("You may not see these figures."))
    export = ReportExport.objects.create(report=report, requested_by=by)
    from . import tasks

    transaction.on_commit(lambda: tasks.build_export.delay(export.pk))
    return export


def _label(first: dt.date) -> dict:
    return {"month": f"{first.year}年{first.month}月"}
