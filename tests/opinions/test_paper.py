"""Opinions collected on paper: an .xlsx, every error by row and column, nothing written from a
file with errors; only staff, only their region."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from opinions.models import Case
from opinions.paper import COLUMNS
from stations.models import Opinion

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("意见.xlsx", out.getvalue())


def _good(township, me):
    return [
        "2024-05-03",
        "民声微信群",
        "城乡建设",
        "村口排水沟堵塞",
        township.full_name,
        me.name,
        "王大爷",
        "",
    ]


def test_a_clean_sheet_is_imported_with_cases(client, wenfeng_staff, township, me):
    client.force_login(wenfeng_staff)
    rows = [_good(township, me), _good(township, me)[:-1] + ["13812345678"]]
    response = client.post("/opinions/import/", {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert Opinion.objects.count() == 2
    assert set(Opinion.objects.values_list("channel", "taken_by_id")) == {("wechat", me.pk)}
    assert sorted(Case.objects.values_list("status", "phone")) == [
        ("new", ""),
        ("new", "13812345678"),
    ]


def test_every_error_is_listed_and_nothing_written(client, wenfeng_staff, township, me, linzhou):
    client.force_login(wenfeng_staff)
    rows = [
        _good(township, me),
        [
            "2099-01-01",
            "飞鸽",
            "城乡建设",
            "",
            linzhou.children.first().full_name,
            "无此人",
            "",
            "123",
        ],
    ]
    page = client.post("/opinions/import/", {"file": _xlsx(rows)}).content.decode()
    assert not Opinion.objects.exists() and not Case.objects.exists()
    for column in ("日期", "渠道", "意见内容", "乡镇（街道）", "代表", "群众手机"):
        assert f"<td>3</td><td>{column}</td>" in page


def test_a_sheet_without_the_columns_is_refused(client, wenfeng_staff):
    client.force_login(wenfeng_staff)
    wb = Workbook()
    wb.active.append(["名称"])
    out = io.BytesIO()
    wb.save(out)
    page = client.post(
        "/opinions/import/", {"file": SimpleUploadedFile("x.xlsx", out.getvalue())}
    ).content.decode()
    assert "日期" in page and not Opinion.objects.exists()


def test_a_program_renamed_xlsx_is_refused(client, wenfeng_staff):
    client.force_login(wenfeng_staff)
    client.post("/opinions/import/", {"file": SimpleUploadedFile("a.xlsx", b"MZ\x90\x00binary")})
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("who", ["deputy_user", "unit_staff", "outsider"])
def test_only_staff_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/opinions/import/").status_code == 404


def test_county_staff_outside_the_region_cannot_import_its_deputies(
    client, county_staff, township, me
):
    client.force_login(county_staff)
    page = client.post("/opinions/import/", {"file": _xlsx([_good(township, me)])})
    assert page.status_code == 200
    assert not Opinion.objects.exists()
