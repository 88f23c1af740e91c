"""Opinions collected on paper, sent as an .xlsx: every row checked against lookups loaded once,
every error listed by row and column, nothing written from a file with errors (the roster
import's standard)."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from anping.regions.models import Region
from deputies.models import Person
from stations.models import Opinion

# The sheet's headers, as stations and counties write them (the first row).
COLUMNS = ["日期", "渠道", "主题", "意见内容", "乡镇（街道）", "代表", "群众姓名", "群众手机"]
MAX_ROWS = 5000


@dataclass
class Row:
    number: int
    received_on: dt.date
    channel: str
    topic: str
    text: str
    region: Region
    deputy: Person
    name: str
    phone: str


@dataclass
class Plan:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)


def _labels(choices) -> dict[str, str]:
    out = {}
    for value, label in choices:
        out[str(label)] = value
        out[value] = value
    return out


def read(file, *, by) -> Plan:
    """Check the whole sheet for `by` (committee staff): deputies and townships must lie in
    their region. Lookups are two queries whatever the number of rows."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    plan = Plan()
    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, InvalidFileException):
        plan.errors.append((0, "", _("This is not an .xlsx workbook.")))
        return plan
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        plan.errors.append((1, "、".join(missing), _("These columns are missing.")))
        return plan
    at = {name: header.index(name) for name in COLUMNS}
    channels = _labels(Opinion.Channel.choices)
    topics = _labels(Opinion.Topic.choices)
    townships: dict[str, Region] = {}
    for r in (
        Region.objects.filter(kind=Region.Kind.TOWNSHIP)
        .filter(_staff_path_q(by, "path"))
        .select_related("parent")
    ):
        townships[r.full_name] = r
        townships.setdefault(r.name, r)
    deputies: dict[str, list[Person]] = {}
    for p in Person.objects.visible_to(by).only("pk", "name"):
        deputies.setdefault(p.name, []).append(p)
    today = timezone.localdate()
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            plan.errors.append((number, "", _("At most %(n)d rows a file.") % {"n": MAX_ROWS}))
            break
        cell = {name: values[i] if i < len(values) else None for name, i in at.items()}
        if all(v in (None, "") for v in cell.values()):
            continue
        errors = len(plan.errors)

        def err(column, message, number=number):
            plan.errors.append((number, column, message))

        day = cell["日期"]
        if isinstance(day, dt.datetime):
            day = day.date()
        elif isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day.strip())
            except ValueError:
                day = None
        if not isinstance(day, dt.date):
            err("日期", _("Write the date as 2024-05-03."))
        elif day > today:
            err("日期", _("The date cannot be in the future."))
        channel = channels.get(str(cell["渠道"] or "").strip())
        if channel is None:
            err("渠道", _("Unknown channel."))
        topic = topics.get(str(cell["主题"] or "").strip())
        if topic is None:
            err("主题", _("Unknown topic."))
        text = str(cell["意见内容"] or "").strip()
        if not text:
            err("意见内容", _("Write the opinion."))
        elif len(text) > 2000:
            err("意见内容", _("Please keep it under 2,000 characters."))
        region = townships.get(str(cell["乡镇（街道）"] or "").strip())
        if region is None:
            err("乡镇（街道）", _("No such township or street in your region."))
        found = deputies.get(str(cell["代表"] or "").strip(), [])
        if len(found) != 1:
            err(
                "代表",
                _("No such deputy in your region.")
                if not found
                else _("Several deputies have this name."),
            )
        phone = str(cell["群众手机"] or "").strip()
        if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            err("群众手机", _("Enter an 11-digit mobile number."))
        if len(plan.errors) == errors:
            plan.rows.append(
                Row(
                    number,
                    day,
                    channel,
                    topic,
                    text,
                    region,
                    found[0],
                    str(cell["群众姓名"] or "").strip()[:30],
                    phone,
                )
            )
    if not plan.rows and not plan.errors:
        plan.errors.append((2, "", _("The sheet has no rows.")))
    return plan


def _staff_path_q(user, field_name: str):
    from django.db.models import Q

    from anping.accounts import access

    path = access.staff_region_path(user)
    if path is None:
        return Q(pk__in=[])
    return Q(**{f"{field_name}__startswith": path}) if path else Q()
