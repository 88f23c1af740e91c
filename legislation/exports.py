"""The round's summary table (意见汇总表): article, comment, who, answer, as .xlsx and .docx.

Every cell is written as text: a comment that looks like a formula ("=HYPERLINK(…)") is kept as
typed and never evaluated, and markup stays visible characters in both files.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from . import selectors
from .models import Round


def _headers() -> list[str]:
    return [
        _("No."),
        _("Article"),
        _("Words quoted"),
        _("Comment"),
        _("Who"),
        _("Channel"),
        _("Answer"),
        _("Reason"),
        _("Changed article"),
    ]


def rows(round: Round) -> list[list[str]]:
    out = []
    for n, c in enumerate(selectors.summary_rows(round), start=1):
        out.append(
            [
                str(n),
                c.article.label if c.article_id else _("The draft as a whole"),
                c.quote,
                c.text,
                c.author_label,
                c.get_channel_display(),
                c.get_outcome_display(),
                c.reason,
                c.linked_article.label if c.linked_article_id else "",
            ]
        )
    return out


def title(round: Round) -> str:
    return _("Summary of comments on %(title)s") % {"title": round.version.project.title}


def xlsx(round: Round) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(str(_("Summary")))
    bold = book.add_format({"bold": True, "text_wrap": True, "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    sheet.merge_range(0, 0, 0, 8, title(round), bold)
    for col, header in enumerate(_headers()):
        sheet.write_string(1, col, header, bold)
    for r, row in enumerate(rows(round), start=2):
        for col, value in enumerate(row):
            sheet.write_string(r, col, value, wrap)
    for col, width in enumerate([5, 10, 20, 50, 14, 12, 10, 40, 10]):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def docx(round: Round) -> bytes:
    import docx as python_docx
    from docx.enum.section import WD_ORIENT

    document = python_docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(title(round), level=1)
    headers = _headers()
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for row in rows(round):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
