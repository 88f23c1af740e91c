"""Exporting the roster workbook: the import's headers, the user's region only, formulas
neutralised, and export-then-import changes nothing."""

import io
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies.models import Mandate, Person
from deputies.roster import HEADERS
from tests.deputies.test_roster_import import import_through_admin, upload
from tests.deputies.workbooks import good_rows, row, workbook
from tests.factories import make_deputy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_reference")]

EXPORT_URL = "/admin/deputies/person/export/"


def export(client, query=""):
    response = client.post(EXPORT_URL + query, {"format": "0", "resource": "0"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def sheet_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[c.value for c in r] for r in sheet.iter_rows()]


def test_export_has_the_import_headers_and_one_row_per_mandate(client, city_staff):
    client.force_login(city_staff)
    import_through_admin(client, workbook(good_rows()))
    rows = sheet_rows(export(client))
    assert rows[0] == HEADERS
    assert len(rows) - 1 == Mandate.objects.count() == 5
    li = [r for r in rows if r[0] == "李红梅"]
    assert sorted(r[5] for r in li) == ["县", "市"]
    assert {r[10] for r in li} == {"审计、法律、消防"}


def test_export_then_import_changes_nothing(client, city_staff, roster_snapshot):
    client.force_login(city_staff)
    import_through_admin(client, workbook(good_rows()))
    before = roster_snapshot()
    content = export(client)
    preview = upload(client, content)
    assert "预览：0 条新任职，0 条有变更，5 行与名册一致" in preview.content.decode()
    import_through_admin(client, content)
    assert roster_snapshot() == before


def test_formula_looking_cells_are_neutralised_and_read_back_as_they_were(
    client, city_staff, roster_snapshot
):
    client.force_login(city_staff)
    import_through_admin(
        client,
        workbook([row("王五", post="@SUM(A1)单位", expertise="法律"), row("赵六", post="-主任")]),
    )
    Person.objects.filter(name="王五").update(employer_post='=HYPERLINK("http://x","点击")')
    before = roster_snapshot()
    content = export(client)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "代表名册"
    posts = {r[0].value: r[9] for r in sheet.iter_rows(min_row=2)}
    # A text cell shown as written (no visible apostrophe), never a formula.
    assert posts["王五"].value == '=HYPERLINK("http://x","点击")'
    assert posts["王五"].data_type == "s" and posts["王五"].quotePrefix
    assert posts["赵六"].value == "-主任" and posts["赵六"].data_type == "s"
    assert posts["王五"].value != posts["赵六"].value
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    import_through_admin(client, content)
    assert roster_snapshot() == before


def test_county_staff_export_only_their_region(client, county_staff, linzhou, wenfeng):
    make_deputy(region=linzhou, name="林州代表")
    make_deputy(region=wenfeng, name="文峰代表")
    client.force_login(county_staff)
    names = [r[0] for r in sheet_rows(export(client))[1:]]
    assert names == ["林州代表"]


def test_export_follows_the_changelist_filters(client, city_staff, linzhou, wenfeng):
    make_deputy(region=linzhou, name="林州代表")
    make_deputy(region=wenfeng, name="文峰代表")
    client.force_login(city_staff)
    names = [r[0] for r in sheet_rows(export(client, "?region=410502"))[1:]]
    assert names == ["文峰代表"]


def test_only_committee_staff_may_export(client, deputy_user, unit_staff, evaluator, outsider):
    for user in (deputy_user, unit_staff, evaluator, outsider):
        client.force_login(user)
        response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_export_queries_do_not_grow_with_the_roster(client, city_staff, linzhou):
    client.force_login(city_staff)

    def queries(n):
        for i in range(n):
            make_deputy(region=linzhou, name=f"代表{i}", expertise=("法律", "审计"))
        with CaptureQueriesContext(connection) as ctx:
            export(client)
        return len(ctx.captured_queries)

    # session, user, the mandates, their expertise, two for the region names (and savepoints)
    assert queries(3) == queries(27)
