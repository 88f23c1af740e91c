"""Reading cells as counties write them (pure functions: no database)."""

import datetime as dt

import pytest

from deputies import roster
from deputies.models import Level

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("全国", Level.NATIONAL),
        ("全国人大代表", Level.NATIONAL),
        ("省级", Level.PROVINCIAL),
        ("省人大代表", Level.PROVINCIAL),
        ("市", Level.CITY),
        ("市级", Level.CITY),
        ("县人大代表", Level.COUNTY),
        ("县级", Level.COUNTY),
        ("区级代表", Level.COUNTY),
        ("乡镇", Level.TOWNSHIP),
        (" 乡镇级 ", Level.TOWNSHIP),
        ("乡镇人大代表", Level.TOWNSHIP),
    ],
)
def test_levels_are_read_with_or_without_suffixes(written, level):
    assert roster.parse_level(written) == level


@pytest.mark.parametrize("written", ["村级", "", None, "市县"])
def test_unknown_levels_are_errors(written):
    with pytest.raises(roster.CellError, match="代表层级"):
        roster.parse_level(written)


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("第十五届", 15),
        ("十五届", 15),
        ("15", 15),
        (15, 15),
        (15.0, 15),
        ("第18届", 18),
        ("第二十一届", 21),
        ("第十届", 10),
        ("九", 9),
    ],
)
def test_terms_are_read_in_chinese_or_digits(written, number):
    assert roster.parse_term(written) == number


@pytest.mark.parametrize("written", ["第届", "十五十", "abc", "", "0"])
def test_unreadable_terms_are_errors(written):
    with pytest.raises(roster.CellError):
        roster.parse_term(written)


@pytest.mark.parametrize(
    "written",
    [
        "2024-01-05",
        "2024/1/5",
        "2024年1月5日",
        "20240105",
        20240105,
        "2024.01.05",
        "2024-01-05 00:00:00",
        dt.datetime(2024, 1, 5, 0, 0),
        dt.date(2024, 1, 5),
        45296,
        "45296",
    ],
)
def test_dates_are_read_as_text_excel_dates_or_serial_numbers(written):
    assert roster.parse_date(written, today=TODAY) == dt.date(2024, 1, 5)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2024-02-30", "不是真实存在的日期"),
        ("2027-01-01", "晚于今天"),
        ("去年", "无法识别"),
        ("", "未填写"),
        ("1975-13-01", "不是真实存在的日期"),
    ],
)
def test_impossible_or_future_dates_are_errors(written, message):
    with pytest.raises(roster.CellError, match=message):
        roster.parse_date(written, today=TODAY)


def test_mobile_numbers_lose_spaces_and_prefix_but_must_be_eleven_digits():
    assert roster.parse_mobile("139 1234 5678") == "13912345678"
    assert roster.parse_mobile("+86 139-1234-5678") == "13912345678"
    assert roster.parse_mobile(13912345678) == "13912345678"
    assert roster.parse_mobile("") == ""
    for bad in ("1391234567", "23912345678", "0372-1234567"):
        with pytest.raises(roster.CellError, match="手机号码"):
            roster.parse_mobile(bad)


def test_id_numbers_are_checked_for_length_characters_check_digit_and_date():
    from deputies.idnumbers import make_id_number

    good = make_id_number("410581", dt.date(1975, 5, 20), 11, True)
    assert roster.parse_id_number(good.lower()) == (good, dt.date(1975, 5, 20), "M")
    assert roster.parse_id_number(" ") == ("", None, None)
    wrong_check = good[:-1] + ("1" if good[-1] != "1" else "2")
    cases = {
        good[:17]: "应为18位",
        good[:16] + "A" + good[17]: "只能由数字组成",
        wrong_check: "校验码不对",
    }
    for value, message in cases.items():
        with pytest.raises(roster.CellError, match=message):
            roster.parse_id_number(value)
    first17 = "410581" + "19750230" + "001"
    from deputies.idnumbers import check_digit

    with pytest.raises(roster.CellError, match="出生日期不存在"):
        roster.parse_id_number(first17 + check_digit(first17))


def test_expertise_is_split_on_the_chinese_enumeration_comma_and_others():
    assert roster.parse_expertise("法律、消防，审计;法律") == ["法律", "消防", "审计"]
    assert roster.parse_expertise(None) == []


def test_the_apostrophe_of_older_exports_is_stripped_from_formula_looking_text():
    for value in ("=1+1", "+86", "-主任", "@SUM(A1)"):
        assert roster.text("'" + value) == value
        assert roster.text(value) == value
    assert roster.text("'引号开头") == "'引号开头"


def test_regions_are_found_by_short_or_full_name_and_near_misses_get_suggestions(anyang):
    from anping.regions.models import Region
    from deputies.roster import RegionIndex

    index = RegionIndex(
        Region.objects.values_list("id", "code", "name", "kind", "path", "parent_id")
    )
    for written in (
        "黄华镇",
        "林州市黄华镇",
        "安阳市林州市黄华镇",
        "河南省安阳市林州市黄华镇",
        " 林州市 黄华镇 ",
    ):
        assert index.find(written).full_name == "林州市黄华镇"
    assert index.find("林州市").kind == Region.Kind.COUNTY
    with pytest.raises(
        roster.CellError,
        match="汤阴县城关镇、滑县城关镇、内黄县城关镇|内黄县城关镇、汤阴县城关镇、滑县城关镇",
    ):
        index.find("城关镇")
    with pytest.raises(roster.CellError, match="您是不是要填“林州市黄华镇”"):
        index.find("黄华")
    with pytest.raises(roster.CellError, match="^找不到区域“火星镇”。$"):
        index.find("火星镇")
