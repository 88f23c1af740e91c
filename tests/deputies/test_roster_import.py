"""Importing a county's roster workbook in the admin: preview, confirm, every error at once."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anping.regions.models import Region
from deputies.models import Expertise, Level, Mandate, Person
from tests.deputies.workbooks import good_rows, id_for, row, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_reference")]

IMPORT_URL = "/admin/deputies/person/import/"
CONFIRM_URL = "/admin/deputies/person/process_import/"


def upload(client, content: bytes, name="名册.xlsx"):
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"},
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(CONFIRM_URL, data)


def import_through_admin(client, content: bytes):
    preview = upload(client, content)
    assert preview.context.get("confirm_form") is not None, errors_shown(preview)
    return confirm(client, preview)


def errors_shown(response) -> list[tuple[str, str, str]]:
    """(row, column, message) of every line of the error table the admin shows."""
    html = response.content.decode()
    found = re.findall(
        r'<tr class="roster-error"><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>', html
    )
    return [(r, c, m) for r, c, m in found]


def test_good_workbook_is_previewed_and_written_only_on_confirm(client, city_staff):
    client.force_login(city_staff)
    preview = upload(client, workbook(good_rows()))
    body = preview.content.decode()
    assert "预览" in body and "确认导入" in body
    assert "5 条新任职" in body
    assert Person.objects.count() == 0  # the preview wrote nothing

    response = confirm(client, preview)
    assert response.status_code == 302
    assert Person.objects.count() == 4
    assert Mandate.objects.count() == 5
    message = str(list(response.wsgi_request._messages)[0])
    assert "新增代表 4 人" in message and "新增任职 5 条" in message


def test_a_person_on_two_rows_is_one_deputy_with_two_mandates(client, city_staff):
    client.force_login(city_staff)
    import_through_admin(client, workbook(good_rows()))
    li = Person.objects.get(name="李红梅")
    assert sorted(li.mandates.values_list("level", flat=True)) == [Level.CITY, Level.COUNTY]
    assert sorted(li.expertise.values_list("name", flat=True)) == ["审计", "法律", "消防"]


def test_values_are_read_as_counties_write_them(client, city_staff):
    client.force_login(city_staff)
    import_through_admin(client, workbook(good_rows()))
    zhao = Person.objects.get(name="赵强")  # "赵  强": the spaces that align two-character names
    assert zhao.birth_date == dt.date(1968, 11, 2)
    assert zhao.mobile == "13912345679"
    mandate = zhao.mandates.get()
    assert (mandate.level, mandate.term.number, mandate.region.name) == (
        Level.TOWNSHIP,
        18,
        "黄华镇",
    )
    sun = Person.objects.get(name="孙丽")
    assert sun.birth_date == dt.date(1990, 1, 1)
    assert sun.mandates.get().region.full_name == "汤阴县城关镇"
    wang = Person.objects.get(name="王建国")
    assert wang.mandates.get().term.congress.region.name == "林州市"


def test_an_unknown_expertise_tag_is_an_error_offering_the_near_ones(client, city_staff):
    client.force_login(city_staff)
    response = upload(
        client, workbook([row(expertise="法律、消防安全"), row("李四", expertise="园艺")])
    )
    assert errors_shown(response) == [
        ("2", "专业领域", "未知的专业领域“消防安全”：您是否指消防？"),
        ("3", "专业领域", "未知的专业领域“园艺”：请使用市人大常委会维护的专业领域列表中的名称。"),
    ]
    assert Expertise.objects.count() == 4 and Person.objects.count() == 0
    import_through_admin(client, workbook(good_rows()))
    assert sorted(Expertise.objects.values_list("name", flat=True)) == [
        "农业",
        "审计",
        "法律",
        "消防",
    ]
    assert Person.objects.get(name="王建国").expertise.count() == 2


def test_an_unknown_term_is_an_error_offering_the_congresss_terms(client, city_staff):
    from deputies.models import Term

    terms = Term.objects.count()
    client.force_login(city_staff)
    response = upload(
        client,
        workbook([row(term="第九十届"), row("李四", level="省", term="第十四届", region="林州市")]),
    )
    assert errors_shown(response) == [
        (
            "2",
            "届次",
            "名册中没有林州市人民代表大会第九十届：您是否指第十七届？新的届次请先在管理后台的“届次”中添加。",
        ),
        (
            "3",
            "届次",
            "名册中还没有河南省人民代表大会的任何届次：请先在管理后台的“届次”中添加第十四届。",
        ),
    ]
    assert Term.objects.count() == terms and Person.objects.count() == 0


def test_importing_the_same_file_again_creates_no_duplicates(client, city_staff, roster_snapshot):
    client.force_login(city_staff)
    content = workbook(good_rows())
    import_through_admin(client, content)
    before = roster_snapshot()
    preview = upload(client, content)
    assert "0 条新任职" in preview.content.decode()
    confirm(client, preview)
    assert roster_snapshot() == before


def test_a_person_without_id_number_is_matched_by_name_birth_date_and_region(client, city_staff):
    client.force_login(city_staff)
    import_through_admin(client, workbook([row("赵强", "男", "1968-11-02", mobile="")]))
    # The next year's sheet gives his phone and a second level: the same person.
    import_through_admin(
        client,
        workbook(
            [
                row("赵强", "男", "1968-11-02", mobile="13700001111"),
                row("赵强", "男", "1968-11-02", "乡镇", "第十八届", "林州市黄华镇", mobile=""),
            ]
        ),
    )
    zhao = Person.objects.get()
    assert zhao.mobile == "13700001111"
    assert zhao.mandates.count() == 2


def test_the_same_name_and_birthday_in_another_county_is_another_person(client, city_staff):
    client.force_login(city_staff)
    import_through_admin(
        client,
        workbook(
            [
                row("王伟", "男", "1970-01-01", region="林州市黄华镇"),
                row("王伟", "男", "1970-01-01", region="滑县道口镇"),
            ]
        ),
    )
    assert Person.objects.filter(name="王伟").count() == 2


def test_every_error_is_listed_at_once_and_nothing_is_imported(client, city_staff):
    client.force_login(city_staff)
    born = dt.date(1975, 5, 20)
    rows = [
        row("王建国", id_number=id_for(born)),  # row 2: fine
        row("李四", region="火星镇"),  # row 3
        row("张三", level="村级"),  # row 4
        row("刘洋", mobile="1391234"),  # row 5
        row("陈静", id_number="41058119750520001"),  # row 6: 17 characters
        row("周敏", id_number=id_for(born)[:-1] + ("0" if id_for(born)[-1] != "0" else "1")),
        row("吴刚", birth="1980-05-20", id_number=id_for(born)),  # row 8: another birth date
        row("郑丽", gender="女", id_number=id_for(born, male=True)),  # row 9: a man's number
        row("冯军", birth="2024-02-30"),  # row 10: no such day
        row("褚亮", birth="2999-01-01"),  # row 11: the future
        row("", birth="1970-01-01"),  # row 12: no name
        row("卫东", gender="未知"),  # row 13
        row("王建国", id_number=id_for(born)),  # row 14: the same mandate as row 2
        row("蒋平", region="城关镇"),  # row 15: three counties have one
    ]
    response = upload(client, workbook(rows))
    shown = errors_shown(response)
    rows_with_errors = sorted({int(r) for r, _c, _m in shown})
    assert rows_with_errors == list(range(3, 16))
    by_row = {int(r): (c, m) for r, c, m in shown}
    assert by_row[3] == ("所属区域", "找不到区域“火星镇”。")
    assert by_row[4][0] == "代表层级" and "村级" in by_row[4][1]
    assert by_row[5][0] == "手机号码"
    assert by_row[6] == ("身份证号", "身份证号应为18位（现为17位）。")
    assert by_row[7] == ("身份证号", "身份证号的校验码不对，请与身份证核对。")
    assert by_row[8][0] == "身份证号" and "1975-05-20" in by_row[8][1]
    assert by_row[9][0] == "身份证号" and "男" in by_row[9][1]
    assert by_row[10] == ("出生日期", "“2024-02-30”不是真实存在的日期。")
    assert by_row[11][0] == "出生日期" and "晚于今天" in by_row[11][1]
    assert by_row[12] == ("姓名", "姓名未填写。")
    assert by_row[13][0] == "性别"
    assert by_row[14][0] == "届次" and "第 2 行" in by_row[14][1]
    assert by_row[15][0] == "所属区域"
    for county in ("汤阴县城关镇", "滑县城关镇", "内黄县城关镇"):
        assert county in by_row[15][1]
    assert "文件有 13 行有错误，未导入任何内容" in response.content.decode()
    assert response.context.get("confirm_form") is None  # no way to confirm
    assert Person.objects.count() == 0


def test_one_bad_row_among_good_ones_imports_nothing(client, city_staff):
    client.force_login(city_staff)
    rows = good_rows() + [row("坏行", mobile="12")]
    response = upload(client, workbook(rows))
    assert [(r, c) for r, c, _m in errors_shown(response)] == [("7", "手机号码")]
    assert Person.objects.count() == 0


def test_a_missing_column_is_reported_on_the_header_row(client, city_staff):
    client.force_login(city_staff)
    headers = [h for h in __import__("deputies.roster").roster.HEADERS if h != "届次"]
    response = upload(client, workbook([r[:6] + r[7:] for r in good_rows()], headers=headers))
    assert errors_shown(response) == [("1", "届次", "缺少这一列。")]


def test_a_file_too_large_is_refused_plainly(client, city_staff, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(city_staff)
    response = upload(client, workbook(good_rows()))
    assert "文件过大" in response.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 .xls"),
        ("姓名,性别\n张三,男\n".encode(), "不是 Excel 工作簿"),
        (b"PK\x03\x04 broken zip", "无法作为 Excel 工作簿（.xlsx）读取"),
        (workbook([]), "第一个工作表（“代表名册”）中没有代表数据"),
    ],
    ids=["xls", "csv", "broken zip", "headers only"],
)
def test_a_file_that_is_not_a_workbook_is_refused_plainly(client, city_staff, content, message):
    client.force_login(city_staff)
    response = upload(client, content)
    body = response.content.decode()
    assert message in body
    assert "KeyError" not in body and "No valid data" not in body
    assert Person.objects.count() == 0


def test_a_county_import_cannot_match_or_change_another_countys_deputy(
    client, county_staff, roster_snapshot
):
    from tests.factories import make_deputy

    yindu = Region.objects.get(code="410505")
    other = make_deputy(region=yindu, name="殷都代表", level=Level.COUNTY, term_number=17)
    before = roster_snapshot()
    client.force_login(county_staff)
    born = other.birth_date
    rows = [row("改名", birth=born.isoformat(), id_number=other.id_number, mobile="13800000000")]
    response = upload(client, workbook(rows))
    # An error on the row that names no one: neither who holds the number nor where.
    [(number, column, message)] = errors_shown(response)
    assert (number, column) == ("2", "身份证号")
    assert "以外" in message and "殷都" not in message and "殷都代表" not in message
    assert "更新代表" not in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert roster_snapshot() == before


def test_a_county_import_matches_by_name_only_deputies_it_sees(client, county_staff, city_staff):
    from tests.factories import make_deputy

    town = Region.objects.get(name="黄华镇")
    mine = make_deputy(region=town, name="赵强", level=Level.TOWNSHIP, term_number=18, id_number="")
    mine.birth_date = dt.date(1968, 11, 2)
    mine.save()
    client.force_login(county_staff)
    import_through_admin(client, workbook([row("赵强", "男", "1968-11-02", mobile="13700001111")]))
    mine.refresh_from_db()
    assert mine.mobile == "13700001111" and mine.mandates.count() == 2


def test_county_staff_import_only_rows_of_their_region(client, county_staff):
    client.force_login(county_staff)
    response = upload(
        client, workbook([row(region="林州市黄华镇"), row("李四", region="滑县道口镇")])
    )
    assert errors_shown(response) == [("3", "所属区域", "滑县道口镇不在您管辖的区域内。")]
    import_through_admin(client, workbook([row(region="林州市黄华镇")]))
    assert Person.objects.count() == 1


def test_only_committee_staff_reach_the_import(client, deputy_user, unit_staff, outsider):
    for user in (deputy_user, unit_staff, outsider):
        client.force_login(user)
        response = upload(client, workbook(good_rows()))
        assert response.status_code == 302 and "/admin/login/" in response.url
    assert not Person.objects.exclude(user__isnull=False).exists()
