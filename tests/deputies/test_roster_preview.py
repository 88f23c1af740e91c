"""The preview of a large workbook: every error, but only the first 100 valid rows, a summary
by level, and a number of queries that does not grow with the rows."""

import datetime as dt
import re

import pytest

from deputies.models import Level, Person
from deputies.resources import PREVIEW_ROWS
from tests.deputies.test_roster_import import errors_shown, import_through_admin, upload
from tests.deputies.workbooks import id_for, row, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_reference")]


def many_rows(n: int, start: int = 0) -> list[list]:
    """n township rows of n different persons; every fifth person also a county deputy."""
    rows = []
    for i in range(start, start + n):
        birth = dt.date(1960 + i % 30, 1 + i % 12, 1 + i % 28)
        person = dict(
            name=f"代表{i:05d}", gender="男", birth=birth.isoformat(), region="林州市黄华镇"
        )
        id_number = id_for(birth, True, seq=i % 900 + 10)
        rows.append(row(**person, level="乡镇", term="第十八届", id_number=id_number))
        if i % 5 == 0:
            rows.append(row(**person, level="县", term="第十七届", id_number=id_number))
    return rows


def test_a_large_preview_shows_the_first_100_rows_and_a_summary_by_level(client, city_staff):
    client.force_login(city_staff)
    rows = many_rows(150)  # 150 township rows, 30 county rows
    response = upload(client, workbook(rows))
    body = response.content.decode()
    assert len(re.findall(r'<tr class="new">', body)) == PREVIEW_ROWS == 100
    assert "仅显示前 100 行，共 180 行" in body
    summary = response.context["result"].roster_summary
    by_level = {line.level: line for line in summary.levels}
    assert (by_level[Level.TOWNSHIP].new_persons, by_level[Level.TOWNSHIP].new_mandates) == (
        150,
        150,
    )
    assert (by_level[Level.COUNTY].new_persons, by_level[Level.COUNTY].new_mandates) == (30, 30)
    assert (summary.new_persons, summary.new_mandates) == (150, 180)  # persons counted once
    table = re.search(r'<table class="roster-preview-summary">.*?</table>', body, re.S).group(0)
    assert "乡镇" in table and "县" in table and "<th>150</th><th>0</th><th>180</th>" in table
    assert Person.objects.count() == 0


def test_a_small_preview_shows_every_row_without_the_note(client, city_staff):
    client.force_login(city_staff)
    body = upload(client, workbook(many_rows(10))).content.decode()
    assert len(re.findall(r'<tr class="new">', body)) == 12
    assert "仅显示前" not in body


def test_the_summary_counts_updates_and_unchanged_rows(client, city_staff):
    client.force_login(city_staff)
    rows = many_rows(10)
    import_through_admin(client, workbook(rows))
    rows[0][11] = "13800001111"  # a new phone number for 代表00000 (township and county rows)
    summary = upload(client, workbook(rows)).context["result"].roster_summary
    assert (summary.new_persons, summary.updated_persons, summary.new_mandates) == (0, 1, 0)
    by_level = {line.level: line for line in summary.levels}
    assert by_level[Level.TOWNSHIP].updated_persons == 1
    assert by_level[Level.TOWNSHIP].unchanged == 9
    assert by_level[Level.COUNTY].unchanged == 1  # 代表00005's county row


def test_every_error_of_a_large_file_is_listed(client, city_staff):
    client.force_login(city_staff)
    rows = many_rows(150)
    for r in rows:
        r[11] = "12345"  # every mobile number malformed
    response = upload(client, workbook(rows))
    shown = errors_shown(response)
    assert len(shown) == 180
    assert {c for _r, c, _m in shown} == {"手机号码"}
    assert "文件有 180 行有错误" in response.content.decode()


@pytest.mark.parametrize("broken", [False, True], ids=["good", "with errors"])
def test_preview_queries_do_not_grow_with_rows(
    client, city_staff, django_assert_num_queries, broken
):
    client.force_login(city_staff)
    small, large = many_rows(5), many_rows(300, start=5)
    if broken:
        for r in small + large:
            r[11] = "12345"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        upload(client, workbook(small))
    # Session and user; then the lookups: regions, terms, persons by ID number, persons by
    # name (their mandates and expertise only when some exist); the preview's "already
    # imported?" look-up by SHA-256 — or, for a refused file, the savepoints and the INSERT
    # of its record. The same at 5 rows and at 360.
    with django_assert_num_queries(len(five)):
        response = upload(client, workbook(large))
    assert response.status_code == 200
    assert ("仅显示前 100 行，共 360 行" in response.content.decode()) is not broken


def test_the_lookups_take_seven_queries_for_5_rows_and_for_6000(linzhou, django_assert_num_queries):
    from deputies import roster
    from tests.factories import make_deputy

    make_deputy(region=linzhou, name="代表00001", expertise=("法律",))

    def rows(n):
        return [{"name": f"代表{i:05d}", "id_number": f"41058119750520{i:04d}"} for i in range(n)]

    # regions, terms, persons by ID number, persons by name, their mandates, their expertise,
    # the expertise tags: the names and ID numbers go as one array parameter each, not in
    # chunks.
    for n in (5, 6000):
        with django_assert_num_queries(7):
            lookups = roster.load_lookups(rows(n))
        [(name, _birth, _county)] = lookups.persons_by_name
        assert name == "代表00001"


def test_the_error_table_lists_the_first_rows_and_counts_them_all(client, city_staff, monkeypatch):
    from deputies import resources

    monkeypatch.setattr(resources, "ERROR_ROWS_SHOWN", 3)
    client.force_login(city_staff)
    rows = many_rows(5)
    for r in rows:
        r[11] = "12345"
    response = upload(client, workbook(rows))
    body = response.content.decode()
    assert len(errors_shown(response)) == 3
    assert len(rows) == 6
    assert "文件有 6 行有错误" in body and "共 6 行有错误，仅列出前 3 行的错误" in body
    assert "读取的是第一个工作表“代表名册”" in body


def test_a_formula_without_a_value_is_an_error_in_the_preview(client, city_staff):
    client.force_login(city_staff)
    rows = many_rows(2)
    rows[1][9] = "=A2&B2"
    response = upload(client, workbook(rows))
    [(number, column, message)] = errors_shown(response)
    assert (number, column) == ("3", "工作单位及职务") and "=A2&amp;B2" in message
    assert response.context.get("confirm_form") is None
