"""Reads shared by the dashboard, the admin and the exports."""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from anping.accounts import access
from anping.regions.models import Region

from . import figures
from .models import Figure, MonthlyReport


def scopes_for(user) -> list[Region]:
    """The report scopes (city, counties) a staff user may open: all for city staff, their own
    county for county staff, none for anyone else."""
    path = access.staff_region_path(user)
    if path is None:
        return []
    scopes = figures.Scopes.load()
    return [r for r in scopes.all if r.path.startswith(path)]


def scope_or_404(user, code: str | None) -> Region:
    scopes = scopes_for(user)
    if not scopes:
        raise Http404
    if not code:
        return scopes[0]
    for region in scopes:
        if region.code == code:
            return region
    raise Http404


class MonthFigures:
    """A month's stored figures for a scope and the scopes directly under it (its counties)."""

    def __init__(self, month: dt.date, region: Region, children: list[Region]) -> None:
        self.month = month
        self.region = region
        self.children = children
        self.reports = {
            r.region_id: r
            for r in MonthlyReport.objects.filter(
                month=month, region__in=[region, *children]
            ).select_related("published_by")
        }
        self.values: dict[tuple, tuple[int, int | None]] = {}
        rows = Figure.objects.filter(report__in=list(self.reports.values())).values_list(
            "report__region_id", "area", "metric", "level", "dimension", "value", "base"
        )
        for region_id, area, metric, level, dim, value, base in rows:
            self.values[(region_id, area, metric, level, dim)] = (value, base)

    @property
    def report(self) -> MonthlyReport | None:
        return self.reports.get(self.region.pk)

    def value(self, area: str, metric: str, level: str = "", dim: str = "", region=None) -> int:
        found = self.values.get(((region or self.region).pk, area, metric, level, dim))
        return found[0] if found else 0

    def ratio(self, area: str, metric: str, level: str = "", region=None) -> float | None:
        found = self.values.get(((region or self.region).pk, area, metric, level, ""))
        if not found or not found[1]:
            return None
        return found[0] / found[1]


def year_series(region: Region, year: int, wanted: list[tuple[str, str]]) -> dict:
    """Month by month (1..12) of the stored figures (total, all levels) of one scope: one query."""
    series: dict[tuple[str, str], list[int]] = {key: [0] * 12 for key in wanted}
    q = Figure.objects.filter(
        report__region=region,
        report__month__year=year,
        level="",
        dimension="",
        metric__in={m for _a, m in wanted},
        area__in={a for a, _m in wanted},
    ).values_list("area", "metric", "report__month", "value")
    for area, metric, month, value in q:
        if (area, metric) in series:
            series[(area, metric)][month.month - 1] = value
    return series


def report_years(region: Region) -> list[int]:
    """The years with at least one month rolled up for the scope (newest first): one query."""
    months = (
        MonthlyReport.objects.filter(region=region)
        .order_by()
        .values_list("month__year", flat=True)
        .distinct()
    )
    return sorted(set(months), reverse=True)
