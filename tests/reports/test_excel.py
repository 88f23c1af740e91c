"""The month's workbook, opened with openpyxl: sheets, headers, formats, frozen header, values."""

import datetime as dt
import io

import openpyxl
import pytest

from anping.reports import excel, services
from anping.reports.models import MonthlyReport

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def workbook(full_world):
    services.rollup_month(month=MARCH)
    report = MonthlyReport.objects.select_related("region").get(month=MARCH, region=full_world.city)
    out = io.BytesIO()
    ticks = []
    rows = excel.build_workbook(report, out, lambda done, total: ticks.append((done, total)))
    out.seek(0)
    return openpyxl.load_workbook(out), rows, ticks


def test_one_sheet_per_area_then_the_duty_record(workbook):
    book, _rows, _ticks = workbook
    assert book.sheetnames == [
        "代表",
        "履职活动",
        "群众意见",
        "代表建议",
        "民生实事",
        "立法征询",
        "代表履职明细",
    ]


def test_headers_are_chinese_and_the_header_row_is_frozen(workbook):
    book, _rows, _ticks = workbook
    sheet = book["代表"]
    headers = [c.value for c in sheet[1]]
    # The last column from the opinions loop: deputies in constituents' WeChat groups.
    assert headers == [
        "地区",
        "层级",
        "代表人数",
        "代表席位",
        "参加履职代表",
        "覆盖率",
        "进群亮身份的代表",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > 10
    assert book["履职活动"]["B1"].value == "活动次数（合计）"
    from stations.models import Activity

    assert str(Activity.Kind.INSPECTION.label) in [c.value for c in book["履职活动"][1]]


def test_figures_formats_and_percentages(workbook):
    book, _rows, _ticks = workbook
    sheet = book["代表"]
    # Row 2: 安阳市, all levels: 4 persons, 5 mandates, 3 taking part, coverage 75 %, no deputy
    # in a WeChat group.
    assert [c.value for c in sheet[2]] == ["安阳市", "全部层级", 4, 5, 3, 0.75, 0]
    assert sheet["C2"].number_format == "#,##0"
    assert sheet["F2"].number_format == "0.0%"
    # Then one row per level, then the next region (文峰区 follows after 6 rows).
    assert sheet["A8"].value == "文峰区" and sheet["D8"].value == 3
    sugg = book["代表建议"]
    header = [c.value for c in sugg[1]]
    rate = header.index("满意率") + 1
    assert sugg.cell(row=2, column=rate).value == 0.5
    assert sugg.cell(row=2, column=rate).number_format == "0.0%"
    progress = book["民生实事"]
    col = [c.value for c in progress[1]].index("平均进度") + 1
    assert progress.cell(row=2, column=col).value == 80


def test_duty_record_lists_each_mandate_with_attendance(workbook):
    book, rows, ticks = workbook
    sheet = book["代表履职明细"]
    assert [c.value for c in sheet[1]][:3] == ["姓名", "性别", "层级"]
    assert sheet.freeze_panes == "A2"
    data = {(r[0], r[2]): (r[5], r[6]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    # 甲 holds two seats: each row counts the person's attendances (2 in March, 2 this year).
    assert data[("甲", "市级")] == (2, 2)
    assert data[("甲", "县级")] == (2, 2)
    assert data[("丙", "乡镇级")] == (0, 1)  # February only (April is after the month)
    assert rows == 5  # the five mandates in office; 戊 resigned
    assert ticks[-1] == (5, 5)


def test_every_area_writes_zeros_for_a_quiet_county(workbook):
    book, _rows, _ticks = workbook
    for name in ["代表", "履职活动", "群众意见", "代表建议", "民生实事"]:
        sheet = book[name]
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "殷都区"]
        assert rows, name
        for row in rows:
            # Every figure cell holds a number, or "—" for a rate of nothing: never a blank.
            assert None not in row, (name, row)
            assert all(v in (0, "—") for v in row[2 if name in ("代表", "代表建议") else 1 :]), row
    activities = book["履职活动"]
    header = [c.value for c in activities[1]]
    quiet = next(r for r in activities.iter_rows(min_row=2, values_only=True) if r[0] == "殷都区")
    assert quiet[header.index("活动次数（合计）")] == 0
    assert quiet[header.index("视察")] == 0
