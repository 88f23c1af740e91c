"""Reading the roster workbook: openpyxl in read-only mode, values only, and the file's size
and SHA-256 kept for the import record."""

import datetime as dt
import hashlib
import io

import openpyxl
import pytest

from deputies.resources import RosterXLSX
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
    with pytest.raises(Exception):  # noqa: B017 - the admin turns any read error into a message
        RosterXLSX().create_dataset(b"PK\x03\x04 broken zip")
