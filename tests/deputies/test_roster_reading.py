"""Reading the roster workbook: openpyxl in read-only mode, values only, and the file's size
and SHA-256 kept for the import record."""

import datetime as dt
import hashlib
import io

import openpyxl
import pytest

from deputies.resources import RosterFileError, RosterXLSX
from deputies.roster import HEADERS
from tests.deputies.workbooks import good_rows, workbook


def test_the_workbook_is_read_read_only_as_values(monkeypatch):
    opened = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        book = real(*args, **kwargs)
        opened.append((kwargs, book))
        return book

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    content = workbook(good_rows())
    dataset = RosterXLSX().create_dataset(content)

    [(kwargs, book)] = opened
    assert kwargs == {"read_only": True, "data_only": True}
    assert book.read_only
    assert dataset.headers[0] == "姓名" and len(dataset) == 5
    assert dataset[1][3] == dt.datetime(1980, 3, 8)  # a date cell stays a date
    assert dataset[4][3] == 19900101  # a number stays a number
    assert dataset.roster_file.size == len(content)
    assert dataset.roster_file.sha256 == hashlib.sha256(content).hexdigest()


def test_rows_shorter_or_longer_than_the_header_are_fitted_to_it():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "民族"])
    sheet.append(["张三"])  # a row the county left short
    sheet.append(["李四", "女", "回族", "a note in a column without a header"])
    out = io.BytesIO()
    book.save(out)
    dataset = RosterXLSX().create_dataset(out.getvalue())
    assert [list(r) for r in dataset] == [["张三", None, None], ["李四", "女", "回族"]]


def test_a_broken_file_is_an_error_not_a_partial_dataset():
    with pytest.raises(RosterFileError):  # the admin shows its message
        RosterXLSX().create_dataset(b"PK\x03\x04 broken zip")


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def two_sheets(second_headers) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(workbook(good_rows())))
    other = book.create_sheet("第二批")
    other.append(second_headers)
    other.append(["王五", "男"])
    return saved(book)


def test_only_the_first_sheet_is_read_and_it_is_named():
    dataset = RosterXLSX().create_dataset(two_sheets(["说明", "填表人"]))
    assert (dataset.roster_sheet, dataset.roster_sheets, len(dataset)) == ("代表名册", 2, 5)


def test_a_workbook_with_a_second_roster_sheet_is_refused():
    with pytest.raises(RosterFileError) as refused:
        RosterXLSX().create_dataset(two_sheets(list(HEADERS)))
    assert "第二批" in str(refused.value) and "代表名册" in str(refused.value)


@pytest.mark.parametrize("headers", [[], list(HEADERS)], ids=["empty", "headers only"])
def test_a_workbook_without_rows_is_refused_in_chinese(headers):
    with pytest.raises(RosterFileError) as refused:
        RosterXLSX().create_dataset(workbook([], headers=headers))
    assert "没有代表数据" in str(refused.value)


def test_reading_stops_at_the_row_cap(settings):
    settings.ROSTER_MAX_ROWS = 5
    assert len(RosterXLSX().create_dataset(workbook(good_rows()))) == 5
    with pytest.raises(RosterFileError) as refused:
        RosterXLSX().create_dataset(workbook(good_rows() + [good_rows()[0]]))
    assert "超过 5 行" in str(refused.value)


def test_formula_cells_without_a_value_are_listed_as_errors_of_their_rows():
    rows = good_rows()
    rows[1][9] = '=CONCATENATE("林州市","法院")'  # openpyxl saves a formula, no value
    dataset = RosterXLSX().create_dataset(workbook(rows))
    [error] = dataset.roster_cell_errors
    assert (error.row, error.column) == (3, "工作单位及职务") and "公式" in error.message
    assert RosterXLSX().create_dataset(workbook(good_rows())).roster_cell_errors == []
