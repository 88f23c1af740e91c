"""Chinese resident ID numbers (GB 11643): 6-digit region code, birth date, sequence (odd for
men, even for women), and a check digit."""

from __future__ import annotations

import datetime as dt
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id_number(region_code: str, birth: dt.date, sequence: int, male: bool) -> str:
    seq = sequence % 1000
    if (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    first17 = f"{region_code[:6]}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


class IdNumberError(ValueError):
    pass


def parse_id_number(value: str) -> tuple[dt.date, str]:
    """Check an ID number and return (birth date, gender 'M'/'F'); raise IdNumberError with the
    reason in the error's `code`: 'length', 'format', 'check', 'date'."""
    value = value.strip().upper()
    if len(value) != 18:
        raise IdNumberError("length")
    if not ID_RE.match(value):
        raise IdNumberError("format")
    if check_digit(value[:17]) != value[17]:
        raise IdNumberError("check")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError("date") from exc
    return birth, "M" if int(value[16]) % 2 == 1 else "F"
