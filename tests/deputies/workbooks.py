"""Roster workbooks as counties send them, built in the test with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from deputies.idnumbers import make_id_number
from deputies.roster import HEADERS


def workbook(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "代表名册"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(
    name="王建国",
    gender="男",
    birth="1975-05-20",
    level="县",
    term="第十七届",
    region="林州市黄华镇",
    *,
    ethnicity="汉族",
    party="中共党员",
    unit="黄华镇选区",
    post="林州市黄华镇农业合作社理事长",
    expertise="农业、法律",
    mobile="13912345678",
    id_number="",
) -> list:
    return [
        name,
        gender,
        ethnicity,
        birth,
        party,
        level,
        term,
        unit,
        region,
        post,
        expertise,
        mobile,
        id_number,
    ]


def id_for(birth: dt.date, male: bool = True, seq: int = 11, region_code: str = "410581") -> str:
    return make_id_number(region_code, birth, seq, male)


def good_rows() -> list[list]:
    """Five rows, four persons: 李红梅 is a city deputy and a county deputy of 林州市."""
    return [
        row(
            "王建国",
            "男",
            "1975-05-20",
            "县人大代表",
            "第十七届",
            "林州市黄华镇",
            id_number=id_for(dt.date(1975, 5, 20), True, 11),
        ),
        row(
            "李红梅",
            "女",
            dt.datetime(1980, 3, 8),
            "市级",
            "15",
            "林州市",
            unit="林州市代表团",
            id_number=id_for(dt.date(1980, 3, 8), False, 22),
            expertise="法律、消防",
        ),
        row(
            "李红梅",
            "女",
            "1980/3/8",
            "县",
            "十七届",
            "林州市开元街道",
            unit="开元街道选区",
            id_number=id_for(dt.date(1980, 3, 8), False, 22),
            expertise="审计",
        ),
        row(
            "赵  强",
            "男",
            "1968年11月2日",
            "乡镇",
            "第十八届",
            "黄华镇",
            unit="第三选区",
            mobile="139 1234 5679",
        ),
        row(
            "孙丽",
            "女",
            19900101,
            "乡镇人大代表",
            "第18届",
            "汤阴县城关镇",
            expertise="",
            mobile="",
        ),
    ]
