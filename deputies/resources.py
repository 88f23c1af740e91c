"""The roster workbook in django-import-export: the admin's own upload → preview → confirm flow,
with our bulk pipeline underneath.

Stock import-export reads, checks and saves row by row (several queries a row). A county's sheet
of thousands of rows goes instead through `deputies.roster` (every row checked against lookups
loaded in a few queries) and `deputies.services.roster_apply` (bulk writes), and comes back as
an import-export `Result`, so the admin's preview, error table and confirm step work unchanged.
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.formats.base_formats import XLSX
from import_export.results import Result, RowResult

from anping.accounts import access

from . import roster, selectors, services
from .models import Mandate, Person

# The preview lists every error, but only this many of the valid rows (a county's sheet may have
# ten thousand); the summary by level counts them all.
PREVIEW_ROWS = 100


# How the preview marks each row, by import-export's import type.
OUTCOME_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("New"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("Update"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("Skipped"),
}
# The error table shows the errors of this many rows; the heading counts them all (a broken
# sheet of 20,000 rows answered a 14.7 MB page).
ERROR_ROWS_SHOWN = 200
# Another sheet whose first row holds this many of the roster's headers is a roster too.
OTHER_SHEET_HEADERS = 3


class RosterFileError(ValueError):
    """A workbook refused before any row is checked; its message (Chinese) is for the sender."""


class RosterXLSX(XLSX):
    """The roster workbook's first sheet, read as plain values.

    Import-export's XLSX opens the workbook read-only but builds a cell object for every cell
    and appends the rows one by one; here openpyxl hands over each row's values (`values_only`)
    and the rows go into the dataset as they are. The dataset also carries the size and SHA-256
    of the file's bytes (for the import record), the sheet's name (the preview says which sheet
    was read) and the formula cells that hold no computed value (errors of their rows).

    Refused before reading rows: a file that is not a workbook, a workbook whose other sheets
    also hold roster headers (a roster split over two sheets would import half), one with no
    rows under its headers, and one of more than `ROSTER_MAX_ROWS` rows (reading stops there)."""

    def create_dataset(self, in_stream):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors alike: not a readable book
            raise RosterFileError(
                _(
                    "The file could not be read as an Excel workbook (.xlsx): open it in Excel "
                    "or WPS, save it again as .xlsx and upload that."
                )
            ) from exc
        try:
            sheet = book.worksheets[0]
            _refuse_other_rosters(book)
            rows = sheet.iter_rows(values_only=True)
            headers = list(next(rows, ()))
            while headers and headers[-1] is None:  # columns used below, but not headed
                headers.pop()
            width = len(headers)
            dataset = tablib.Dataset(headers=headers)
            limit, filled = settings.ROSTER_MAX_ROWS, 0
            # Rows shorter or longer than the header row (sheets saved by some tools) are cut
            # to the header's width: a cell without a header has no column to belong to. Blank
            # rows stay (the rows keep the numbers the spreadsheet shows) but do not count.
            for row in rows:
                row = row[:width] + (None,) * (width - len(row))
                dataset.append(row)
                filled += any(c is not None for c in row)
                if filled > limit:
                    raise RosterFileError(
                        _(
                            "The sheet has more than %(limit)s rows, the most one import takes: "
                            "split it into several workbooks and import them one by one."
                        )
                        % {"limit": f"{limit:,}"}
                    )
            while len(dataset) and all(c is None or roster.text(c) == "" for c in dataset[-1]):
                dataset.pop()  # blank rows left at the end of a sheet
            if not width or not len(dataset):
                raise RosterFileError(
                    _(
                        "The first sheet (“%(sheet)s”) holds no deputies: the first row must hold "
                        "the headers, and each row below one mandate."
                    )
                    % {"sheet": sheet.title}
                )
            formula_cells = _formulas_without_value(in_stream, sheet, dataset)
        finally:
            book.close()
        dataset.roster_file = services.RosterFile(
            size=len(in_stream), sha256=hashlib.sha256(in_stream).hexdigest()
        )
        dataset.roster_sheet = sheet.title
        dataset.roster_sheets = len(book.worksheets)
        dataset.roster_cell_errors = formula_cells
        return dataset


def _refuse_other_rosters(book) -> None:
    for other in book.worksheets[1:]:
        first = next(other.iter_rows(max_row=1, values_only=True), ())
        found = {roster.text(c) for c in first} & set(roster.HEADERS)
        if len(found) >= OTHER_SHEET_HEADERS:
            raise RosterFileError(
                _(
                    "Only the first sheet (“%(first)s”) is read, but sheet “%(other)s” also holds "
                    "roster headers: put every row in the first sheet, or each sheet in a "
                    "workbook of its own, and upload again."
                )
                % {"first": book.worksheets[0].title, "other": other.title}
            )


def _formulas_without_value(in_stream, sheet, dataset) -> list[roster.RowError]:
    """Formula cells whose workbook holds no computed value (saved by a tool that does not
    calculate): read as values they would be empty, so each is an error of its row. The sheet's
    XML is scanned for a formula first; only a sheet with one is read a second time."""
    import openpyxl

    with sheet._get_source() as source:
        tail = b""
        while chunk := source.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                break
            tail = chunk[-3:]
        else:
            return []
    book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=False)
    headers = dataset.headers
    found = []
    try:
        cells = book.worksheets[0].iter_rows(
            min_row=2, max_row=len(dataset) + 1, max_col=len(headers), values_only=True
        )
        for index, formula_row in enumerate(cells):
            values = dataset[index]
            for i, formula in enumerate(formula_row):
                if isinstance(formula, str) and formula.startswith("=") and values[i] is None:
                    found.append(
                        roster.RowError(
                            index + 2,
                            roster.text(headers[i]),
                            _(
                                "This cell holds a formula (%(formula)s) but no value: open the "
                                "workbook in Excel or WPS, let it calculate, save it and upload "
                                "it again."
                            )
                            % {"formula": formula[:40]},
                        )
                    )
    finally:
        book.close()
    return found


class RosterResource(resources.ModelResource):
    """One row per mandate, with the person's data on each row (as counties keep it)."""

    # Declared for the admin's "this importer uses these columns" list; the work is done by
    # `import_data_inner` and `export` below.
    name = fields.Field(column_name="姓名")
    gender = fields.Field(column_name="性别")
    ethnicity = fields.Field(column_name="民族")
    birth_date = fields.Field(column_name="出生日期")
    party = fields.Field(column_name="政治面貌")
    level = fields.Field(column_name="代表层级")
    term = fields.Field(column_name="届次")
    electoral_unit = fields.Field(column_name="选举单位")
    region = fields.Field(column_name="所属区域")
    employer_post = fields.Field(column_name="工作单位及职务")
    expertise = fields.Field(column_name="专业领域")
    mobile = fields.Field(column_name="手机号码")
    id_number = fields.Field(column_name="身份证号")

    class Meta:
        model = Person
        name = gettext_lazy("Deputy roster (one row per mandate)")
        fields = [key for key, _header in roster.COLUMNS]
        import_order = fields
        export_order = fields

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.counts: services.RosterImportCounts | None = None
        self.plan: roster.Plan | None = None

    # --- import ---------------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, **kwargs):
        """Import-export runs the preview in a transaction it rolls back; a refused workbook is
        recorded after it, so that the record stays."""
        result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        plan = self.plan
        if plan is not None and not plan.ok:
            services.roster_import_refused(
                plan=plan,
                by=kwargs.get("user") or self.user,
                file=_roster_file(dataset, kwargs.get("file_name")),
                rows=result.total_rows,
            )
        return result

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        user = kwargs.get("user") or self.user
        result = self.get_result_class()()
        result.diff_headers = list(roster.HEADERS)
        rows, header_errors = roster.read_rows(dataset.headers or [], dataset)
        result.total_rows = len(rows)
        result.roster_sheet = getattr(dataset, "roster_sheet", "")
        result.roster_sheets = getattr(dataset, "roster_sheets", 1)
        lookups = roster.load_lookups(rows, user=user)
        scope = access.staff_region_path(user) or ""
        self.plan = plan = roster.validate(
            rows,
            lookups,
            today=timezone.localdate(),
            scope_path=scope,
            header_errors=header_errors,
            cell_errors=getattr(dataset, "roster_cell_errors", ()),
        )
        if not plan.ok:
            _add_errors(result, plan, rows)
            return result
        file = _roster_file(dataset, kwargs.get("file_name"))
        if dry_run:
            result.roster_summary = roster.preview_summary(plan)
            result.roster_previous = selectors.last_import_of(file.sha256, user=user)
        else:
            self.counts = services.roster_apply(plan=plan, by=user, file=file, rows=len(rows))
        result.roster_counts = self.counts
        for number, outcome in enumerate(plan.outcomes):
            row_result = self.get_row_result_class()()
            row_result.import_type = outcome.kind
            row_result.roster_label = OUTCOME_LABELS[outcome.kind]
            result.increment_row_result_total(row_result)
            if number < PREVIEW_ROWS:
                row_result.diff = outcome.values
                row_result.object_repr = outcome.values[0]
                result.append_row_result(row_result)
        result.roster_rows_shown = min(len(plan.outcomes), PREVIEW_ROWS)
        return result

    # --- export ---------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        """The mandates of the given persons that the user may see, one row each, with the
        headers of the import: export, then import = no change."""
        if queryset is None:
            queryset = Person.objects.visible_to(self.user)
        return roster_dataset(self.user, persons=queryset)


def _roster_file(dataset, file_name) -> services.RosterFile:
    known = getattr(dataset, "roster_file", None) or services.RosterFile()
    return services.RosterFile(name=file_name or "", size=known.size, sha256=known.sha256)


def _add_errors(result: Result, plan: roster.Plan, rows: list[dict]) -> None:
    """The file's errors, grouped by row and column, as the admin's error table shows: those of
    the first `ERROR_ROWS_SHOWN` rows with errors, and the count of all of them."""
    by_row: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for error in plan.errors:
        by_row[error.row][error.column or "__all__"].append(error.message)
    cells = {r["_row"]: r for r in rows}
    result.roster_error_rows = len(by_row)
    result.roster_error_rows_shown = min(len(by_row), ERROR_ROWS_SHOWN)
    for number in sorted(by_row)[:ERROR_ROWS_SHOWN]:
        row = cells.get(number, {})
        values = {header: roster.text(row.get(key)) for key, header in roster.COLUMNS}
        result.append_invalid_row(number, values, ValidationError(dict(by_row[number])))
        result.totals[RowResult.IMPORT_TYPE_INVALID] += 1


def roster_dataset(user, *, persons=None) -> tablib.Dataset:
    """The roster as the workbook's rows (one per mandate the user may see), personal data
    included: only for those allowed to see it (written by `RosterExportXLSX`)."""
    if not access.may_see_personal_data(user):
        raise services.NotAllowed(_("You may not export the roster."))
    mandates = Mandate.objects.visible_to(user)
    if persons is not None:
        mandates = mandates.filter(person__in=persons.values("pk"))
    rows = list(
        mandates.order_by("region__path", "person__name", "person_id", "level").values_list(
            "person_id",
            "person__name",
            "person__gender",
            "person__ethnicity",
            "person__birth_date",
            "person__party",
            "level",
            "term__number",
            "electoral_unit",
            "region_id",
            "person__employer_post",
            "person__mobile",
            "person__id_number",
        )
    )
    person_ids = {r[0] for r in rows}
    expertise = defaultdict(list)
    through = Person.expertise.through
    for person_id, name in (
        through.objects.filter(person_id__in=person_ids)
        .order_by("expertise__name")
        .values_list("person_id", "expertise__name")
    ):
        expertise[person_id].append(name)
    index = roster.RegionIndex(
        _regions_for({r[9] for r in rows}).values_list(
            "id", "code", "name", "kind", "path", "parent_id"
        )
    )
    dataset = tablib.Dataset(headers=list(roster.HEADERS))
    for (
        person_id,
        name,
        gender,
        ethnicity,
        birth,
        party,
        level,
        term,
        unit,
        region_id,
        post,
        mobile,
        id_number,
    ) in rows:
        cells = [
            name,
            roster.GENDER_WRITTEN[gender],
            ethnicity,
            birth.isoformat(),
            party,
            roster.LEVEL_WRITTEN[level],
            roster.term_label(term),
            unit,
            index.by_id[region_id].full_name,
            post,
            "、".join(expertise[person_id]),
            mobile,
            id_number,
        ]
        dataset.append(cells)
    return dataset


class RosterExportXLSX(XLSX):
    """The roster written as counties read it: one sheet named 代表名册, every cell a value.
    A text that looks like a formula (=, +, -, @) is written as a text cell, quote-prefixed, so
    that a spreadsheet shows it as it is (no apostrophe) and never evaluates it; the import
    reads it back unchanged."""

    SHEET_TITLE = "代表名册"

    def export_data(self, dataset, **kwargs):
        import openpyxl

        book = openpyxl.Workbook(write_only=False)
        sheet = book.active
        sheet.title = self.SHEET_TITLE
        sheet.append(list(dataset.headers or []))
        for values in dataset:
            sheet.append(list(values))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(roster.FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _regions_for(region_ids):
    """The regions of the rows and their ancestors (for their written full names)."""
    from anping.regions.models import Region

    paths = Region.objects.filter(pk__in=region_ids).values_list("path", flat=True)
    codes = {c for path in paths for c in path.strip("/").split("/")}
    return Region.objects.filter(code__in=codes)
