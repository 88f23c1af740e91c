"""Staff import a county's roster in the browser: the preview, the confirmation, the errors."""

import pytest

from deputies.models import Mandate, Person
from tests.conftest import browser_login
from tests.deputies.workbooks import good_rows, row, workbook

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("roster_reference")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_import(page, live_server):
    page.goto(f"{live_server.url}/admin/deputies/person/")
    page.get_by_role("link", name="导入", exact=True).click()
    page.wait_for_url("**/import/")


def choose_file(page, content: bytes):
    page.set_input_files(
        "#id_import_file",
        files=[{"name": "林州市代表名册.xlsx", "mimeType": XLSX, "buffer": content}],
    )
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_staff_import_a_good_roster_after_seeing_the_preview(
    transactional_db, live_server, page, city_staff
):
    browser_login(page, live_server, "city")
    open_import(page, live_server)
    choose_file(page, workbook(good_rows()))

    assert page.locator(".roster-summary").inner_text().startswith("预览：5 条新任职")
    preview = page.locator("table.import-preview")
    assert preview.locator("tr.new").count() == 5
    assert "李红梅" in preview.inner_text()
    assert Person.objects.count() == 0

    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/admin/deputies/person/")
    assert "新增代表 4 人" in page.locator(".messagelist").inner_text()
    listing = page.locator("#result_list").inner_text()
    for name in ("王建国", "李红梅", "赵强", "孙丽"):
        assert name in listing
    assert (Person.objects.count(), Mandate.objects.count()) == (4, 5)


def test_staff_see_every_error_of_a_broken_roster_and_nothing_is_imported(
    transactional_db, live_server, page, county_staff
):
    browser_login(page, live_server, "linzhou")
    open_import(page, live_server)
    rows = good_rows()[:1] + [
        row("李四", region="城关镇"),
        row("张三", level="村级", mobile="12345"),
        row("", birth="2030-01-01", id_number="41058119750520001"),
    ]
    choose_file(page, workbook(rows))

    assert "文件有 3 行有错误，未导入任何内容" in page.locator("#roster-errors").inner_text()
    errors = page.locator("tr.roster-error")
    lines = [errors.nth(i).inner_text() for i in range(errors.count())]
    assert len(lines) == 6
    text = "\n".join(lines)
    for expected in (
        "汤阴县城关镇",
        "无法识别的代表层级“村级”",
        "不是有效的手机号码",
        "姓名未填写",
        "晚于今天",
        "身份证号应为18位",
    ):
        assert expected in text
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert Person.objects.count() == 0


def test_staff_are_told_a_file_was_already_imported_and_find_it_in_the_history(
    transactional_db, live_server, page, county_staff
):
    content = workbook([row(region="林州市黄华镇"), row("李四", region="林州市开元街道")])
    browser_login(page, live_server, "linzhou")
    open_import(page, live_server)
    choose_file(page, content)
    assert page.locator(".roster-previous").count() == 0
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/admin/deputies/person/")

    open_import(page, live_server)
    choose_file(page, content)
    note = page.locator(".roster-previous").inner_text()
    assert note.startswith("此文件已于 ") and "由 李敏 导入过" in note
    assert page.get_by_role("button", name="确认导入").count() == 1  # still allowed

    open_import(page, live_server)
    page.get_by_role("link", name="查看导入记录").click()
    page.wait_for_url("**/admin/deputies/rosterimport/")
    listing = page.locator("#result_list").inner_text()
    assert "林州市代表名册.xlsx" in listing and "已导入" in listing
    assert Person.objects.count() == 2
