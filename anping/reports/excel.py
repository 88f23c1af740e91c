"""The month's Excel workbook: one sheet per area (Chinese headers, widths, frozen header row,
number and percent formats), then the detail sheets streamed from the database.

XlsxWriter in constant-memory mode writes each row to disk as soon as the next one starts, and
the detail rows come from `.iterator()`: memory stays flat however many deputies the roster has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import xlsxwriter
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anping.regions.models import Region
from deputies.models import Mandate
from stations.models import Participation

from . import figures
from .models import Figure, MonthlyReport
from .periods import Period

PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text, int, percent, decimal, date


class Writer:
    """A constant-memory workbook with the portal's formats."""

    def __init__(self, target) -> None:
        self.book = xlsxwriter.Workbook(
            target,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        add = self.book.add_format
        self.formats = {
            "header": add(
                {
                    "bold": True,
                    "bg_color": "#F2DCDB",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                    "align": "center",
                }
            ),
            "text": None,
            "int": add({"num_format": "#,##0"}),
            "percent": add({"num_format": "0.0%"}),
            "decimal": add({"num_format": "0.0"}),
            "date": add({"num_format": "yyyy-mm-dd"}),
        }

    def sheet(self, name: str, columns: list[Column], rows: Iterable[Iterable], tick=None) -> int:
        ws = self.book.add_worksheet(name[:31])
        for c, col in enumerate(columns):
            ws.set_column(c, c, col.width)
        ws.set_row(0, 30)
        for c, col in enumerate(columns):
            ws.write_string(0, c, col.header, self.formats["header"])
        ws.freeze_panes(1, 0)
        # One writer per column, chosen once from its kind: no type test per cell.
        writers = []
        for c, col in enumerate(columns):
            fmt = self.formats[col.kind]
            if col.kind == "text":
                writers.append((c, ws.write_string, fmt))
            elif col.kind == "date":
                writers.append((c, ws.write_datetime, fmt))
            elif col.kind in ("percent", "decimal"):
                # A rate or an average of nothing is written as "—" (text), never a blank.
                writers.append((c, ws.write, fmt))
            else:
                writers.append((c, ws.write_number, fmt))
        r = 0
        for r, row in enumerate(rows, start=1):
            for (c, write, fmt), value in zip(writers, row, strict=False):
                if value is not None:
                    write(r, c, value, fmt)
            if tick is not None and r % PROGRESS_EVERY == 0:
                tick(r)
        return r

    def close(self) -> None:
        self.book.close()


# --- summary sheets, from the stored figures -------------------------------------------------


def _figures(report: MonthlyReport) -> tuple[list[Region], dict]:
    """The scopes the workbook covers (the report's region and the counties under it) and their
    stored figures: one query for the reports, one for the figures."""
    reports = list(
        MonthlyReport.objects.filter(
            month=report.month, region__path__startswith=report.region.path
        )
        .select_related("region")
        .order_by("region__path")
    )
    values = {}
    rows = Figure.objects.filter(report__in=reports).values_list(
        "report__region_id", "area", "metric", "level", "dimension", "value", "base"
    )
    for region_id, area, metric, level, dim, value, base in rows:
        values[(region_id, area, metric, level, dim)] = (value, base)
    return [r.region for r in reports], values


NO_BASE = "—"


def _cell(metric: figures.Metric, found) -> float | int | str:
    """A figure's cell: a count (0 when nothing was counted: the rollup stores every figure,
    and a month stored before it did reads as 0 too), or a rate or an average ("—" when its
    base is 0: no share of nothing)."""
    value, base = found if found is not None else (0, 0)
    if metric.kind == "count":
        return value
    if not base:
        return NO_BASE
    return value / base  # a rate (shown as a percent) or an average


def summary_sheets(report: MonthlyReport) -> list[tuple[str, list[Column], list[list]]]:
    regions, values = _figures(report)
    missing = set(filter(None, report.missing_areas.split(",")))
    level_labels = [("", pgettext("report", "All levels"))] + [
        (str(v), str(label)) for v, label in figures.LEVEL_LABELS.items()
    ]
    sheets = []
    for area, area_label in figures.AREAS.items():
        if area in missing:
            continue
        metrics = [m for m in figures.METRICS if m.area == area]
        by_level = any(m.by_level for m in metrics)
        columns = [Column(pgettext("report", "Region"), 14)]
        if by_level:
            columns.append(Column(pgettext("report", "Level"), 10))
        spec: list[tuple[figures.Metric, str]] = []
        for m in metrics:
            if m.dimension:
                spec.append((m, ""))
                total_header = _("%(figure)s (total)") % {"figure": m.label}
                columns.append(Column(total_header, 14, "int"))
                for value, label in figures.dimension_choices(m.dimension):
                    spec.append((m, value))
                    columns.append(Column(str(label), max(10, len(str(label)) * 2 + 2), "int"))
            else:
                spec.append((m, ""))
                kind = {"count": "int", "rate": "percent", "average": "decimal"}[m.kind]
                columns.append(Column(str(m.label), max(10, len(str(m.label)) * 2 + 2), kind))
        rows = []
        for region in regions:
            for level, level_label in level_labels if by_level else [("", "")]:
                row: list = [region.name] + ([level_label] if by_level else [])
                for m, dim in spec:
                    lv = level if m.by_level else ""
                    if by_level and not m.by_level and level:
                        row.append(None)
                        continue
                    row.append(_cell(m, values.get((region.pk, area, m.code, lv, dim))))
                rows.append(row)
        sheets.append((str(area_label), columns, rows))
    return sheets


# --- detail sheets, streamed ----------------------------------------------------------------


DEPUTY_COLUMNS = [
    Column("姓名", 12),
    Column("性别", 6),
    Column("层级", 8),
    Column("所在地区", 16),
    Column("选举单位", 22),
    Column("本月参加活动（次）", 12, "int"),
    Column("本年参加活动（次）", 12, "int"),
]


def deputy_rows(region: Region, period: Period, limit: int | None = None) -> tuple[int, Iterator]:
    """(count, rows) of the deputies' duty record for the month: one row per mandate in office
    in the region's subtree, with the activities the person attended in the month and the year.
    The attendances are counted by correlated subqueries on the (person, date) index; the rows
    are streamed from a server-side cursor."""
    in_office = (Q(start_date__isnull=True) | Q(start_date__lte=period.last)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=period.last)
    )
    qs = Mandate.objects.filter(in_office, region__path__startswith=region.path)

    def attended(first: dt.date, last: dt.date):
        # COUNT(*) of the person's attendances, as a scalar subquery without GROUP BY
        # (a bare aggregate function always returns one row: 0 when there are none).
        return Subquery(
            Participation.objects.filter(
                person=OuterRef("person_id"), date__gte=first, date__lte=last
            )
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n"),
            output_field=IntegerField(),
        )

    month_n = attended(period.first, period.last)
    year_n = attended(period.first.replace(month=1, day=1), period.last)
    qs = qs.order_by("region__path", "level", "person__name", "pk")
    total = qs.count() if limit is None else min(limit, qs.count())
    if limit is not None:
        qs = qs[:limit]
    levels = {str(k): str(v) for k, v in figures.LEVEL_LABELS.items()}
    genders = {"M": "男", "F": "女"}
    values = qs.annotate(_m=month_n, _y=year_n).values_list(
        "person__name", "person__gender", "level", "region__name", "electoral_unit", "_m", "_y"
    )

    def rows():
        for name, gender, level, region_name, unit, m, y in values.iterator(chunk_size=5000):
            yield (
                name,
                genders.get(gender, ""),
                str(levels.get(level, level)),
                region_name,
                unit,
                m,
                y,
            )

    return total, rows()


def build_workbook(
    report: MonthlyReport, target, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the workbook for `report` to `target` (a path or a file object); returns the number
    of detail rows. `progress(done, total)` is called every few thousand rows."""
    period = Period.month(report.month)
    writer = Writer(target)
    for name, columns, rows in summary_sheets(report):
        writer.sheet(name, columns, rows)
    total, rows = deputy_rows(report.region, period)

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    written = writer.sheet(_("Deputies' duty record"), DEPUTY_COLUMNS, rows, tick=tick)
    writer.close()
    tick(written)
    return written
