"""The staff dashboard, the year page, and the month's workbook. Committee staff only: anyone
else gets 404, and county staff see only their county."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from anping.accounts import access
from anping.errors import run_step

from . import charts, figures, selectors, services, yearbook
from .models import MonthlyReport, ReportExport
from .periods import current_month


def _staff_only(request) -> None:
    if not access.is_committee_staff(request.user):
        raise Http404


# The years the statistics may be asked for: any other month or year is a 404, never a 500 (a
# month in year 9999 has no next month to bound it).
YEARS = range(2000, 2101)


def _year(value: int) -> int:
    if value not in YEARS:
        raise Http404
    return value


def _month(value: str | None) -> dt.date:
    """The `YYYY-MM` of a request parameter as the month's first day; 404 for anything else."""
    if not value:
        return current_month()
    try:
        month = dt.date.fromisoformat(f"{value}-01")
    except ValueError as exc:
        raise Http404 from exc
    _year(month.year)
    return month


@login_required
def dashboard(request):
    """A month's figures for a scope, its counties side by side, and the year month by month."""
    _staff_only(request)
    region = selectors.scope_or_404(request.user, request.GET.get("region"))
    month = _month(request.GET.get("month"))
    scopes = selectors.scopes_for(request.user)
    children = [r for r in scopes if r.parent_id == region.pk]
    data = selectors.MonthFigures(month, region, children)
    kinds = figures.dimension_choices("activity_kind")
    by_kind = charts.hbar(
        [(str(label), data.value("activities", "count", dim=k), "") for k, label in kinds],
        title=_("Activities by type"),
    )
    drill = [
        {
            "region": child,
            "report": data.reports.get(child.pk),
            "activities": data.value("activities", "count", region=child),
            "coverage": data.ratio("deputies", "coverage", region=child),
            "opinions": data.value("opinions", "collected", region=child),
            "filed": data.value("suggestions", "filed", region=child),
            "satisfaction": data.ratio("suggestions", "satisfaction", region=child),
        }
        for child in children
    ]
    coverage_chart = charts.hbar(
        [
            (
                row["region"].name,
                row["coverage"] or 0,
                f"?region={row['region'].code}&month={month:%Y-%m}",
            )
            for row in drill
        ],
        percent=True,
        title=_("Coverage by county"),
    )
    series = selectors.year_series(
        region,
        month.year,
        [("activities", "count"), ("opinions", "collected"), ("suggestions", "filed")],
    )
    year_chart = charts.columns(
        [f"{m}月" for m in range(1, 13)],
        [
            (figures.METRIC[("activities", "count")].label, series[("activities", "count")]),
            (figures.METRIC[("opinions", "collected")].label, series[("opinions", "collected")]),
            (_("Suggestions filed"), series[("suggestions", "filed")]),
        ],
        title=_("The year month by month"),
    )
    levels = [
        {
            "label": label,
            "persons": data.value("deputies", "persons", level),
            "mandates": data.value("deputies", "mandates", level),
            "active": data.value("deputies", "active", level),
            "coverage": data.ratio("deputies", "coverage", level),
        }
        for level, label in [("", pgettext("report", "All levels")), *figures.LEVEL_LABELS.items()]
    ]
    report = data.report

    def tile(area, metric, key=None):
        m = figures.METRIC[(area, metric)]
        rate = m.kind != "count"
        value = data.ratio(area, metric) if rate else data.value(area, metric)
        return {"key": key or metric, "label": m.label, "value": value, "rate": rate}

    tiles = [
        tile("deputies", "persons"),
        tile("deputies", "coverage"),
        tile("activities", "count", "activities"),
        tile("opinions", "collected"),
        tile("opinions", "solved"),
        tile("suggestions", "filed"),
        tile("suggestions", "on_time_rate"),
        tile("suggestions", "overdue"),
        tile("suggestions", "satisfaction"),
        tile("livelihood", "projects"),
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "region": region,
            "month": month,
            "prev_month": (month - dt.timedelta(days=1)).replace(day=1),
            "next_month": (month + dt.timedelta(days=32)).replace(day=1),
            "scopes": scopes,
            "report": report,
            "data": data,
            "drill": drill,
            "levels": levels,
            "tiles": tiles,
            "by_kind": by_kind,
            "coverage_chart": coverage_chart,
            "year_chart": year_chart,
            # The steps' own predicates, from the reports already loaded (no query).
            "may_compute": services.may_compute(
                month=month, by=request.user, reports=list(data.reports.values())
            ),
            "may_publish": services.may_publish(
                month=month, by=request.user, reports=list(data.reports.values())
            ),
            "years": selectors.report_years(region),
            "exports": list(
                ReportExport.objects.visible_to(request.user)
                .filter(report=report)
                .select_related("report__region")[:5]
            )
            if report
            else [],
        },
    )


@login_required
@require_POST
def compute(request):
    """Compute (again) a month's draft figures, on demand."""
    _staff_only(request)
    month = _month(request.POST.get("month"))
    region = selectors.scope_or_404(request.user, request.POST.get("region"))
    run_step(
        request,
        services.rollup_month,
        month=month,
        by=request.user,
        success=_("The figures for %(month)s were computed.")
        % {"month": f"{month.year}年{month.month}月"},
    )
    return redirect(f"{reverse('reports:dashboard')}?region={region.code}&month={month:%Y-%m}")


@login_required
@require_POST
def publish(request):
    _staff_only(request)
    month = _month(request.POST.get("month"))
    region = selectors.scope_or_404(request.user, request.POST.get("region"))
    run_step(
        request,
        services.publish_month,
        month=month,
        by=request.user,
        reason=request.POST.get("reason", ""),
        success=_("%(month)s is published: its figures no longer change.")
        % {"month": f"{month.year}年{month.month}月"},
    )
    return redirect(f"{reverse('reports:dashboard')}?region={region.code}&month={month:%Y-%m}")


@login_required
@require_POST
def export_new(request):
    _staff_only(request)
    pk = request.POST.get("report", "")
    if not pk.isdigit():
        raise Http404
    report = access.get_visible_or_404(MonthlyReport.objects, request.user, pk=int(pk))
    ok, export = run_step(request, services.export_request, report=report, by=request.user)
    if not ok:
        return redirect("reports:dashboard")
    return redirect("reports:export", export.pk)


@login_required
def export_detail(request, pk: int):
    """The export's page: its progress (polled by static/reports/progress.js) and the link."""
    _staff_only(request)
    export = access.get_visible_or_404(
        ReportExport.objects.select_related("report__region"), request.user, pk=pk
    )
    return render(request, "reports/export.html", {"export": export})


@login_required
def export_status(request, pk: int):
    _staff_only(request)
    export = access.get_visible_or_404(ReportExport.objects, request.user, pk=pk)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": str(export.get_status_display()),
            "progress": export.progress,
            "rows": export.rows_written,
            "download": reverse("reports:download", args=[export.pk]) if export.is_done else "",
        }
    )


@login_required
def download(request, pk: int):
    """The workbook, through the permission check (the file has no public URL)."""
    _staff_only(request)
    export = access.get_visible_or_404(
        ReportExport.objects.select_related("report__region"), request.user, pk=pk
    )
    if not export.is_done or not export.file:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _year_scope(request, year: int | None):
    _staff_only(request)
    region = selectors.scope_or_404(request.user, request.GET.get("region"))
    return region, _year(timezone.localdate().year if year is None else year)


@login_required
def year(request, year: int | None = None):
    """The year's figures from the records, as the city's annual report quotes them."""
    region, year = _year_scope(request, year)
    book = yearbook.build(region=region, year=year)
    return render(
        request,
        "reports/year.html",
        {
            "region": region,
            "year": year,
            "book": book,
            "scopes": selectors.scopes_for(request.user),
        },
    )


@login_required
def year_json(request, year: int):
    """The year page's figures as data, scoped like the page: every figure by its stable key
    (README.md lists them), numbers only."""
    region, year = _year_scope(request, year)
    response = JsonResponse(
        {
            "year": year,
            "scope": region.code,
            "figures": yearbook.figures_of(region=region, year=year),
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "private, no-store"
    return response
