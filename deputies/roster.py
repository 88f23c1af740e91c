"""The roster workbook counties send: reading its cells as counties write them, and checking every
row before anything is written.

Pure on purpose: `validate()` takes the rows and a `Lookups` snapshot of what the database holds
(regions, terms, persons, mandates, expertise, loaded in a handful of queries by `load_lookups`)
and returns a `Plan`: every error found, by row and column, or what to create and update. Nothing
here writes; `deputies.services.roster_apply` carries out a plan with no error in it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from anping.regions.models import Region

from . import idnumbers
from .idnumbers import MOBILE_RE, IdNumberError
from .models import LEVEL_REGION_KIND, Level, chinese_number

# The workbook's columns, in the order counties use; the headers are the file format itself.
COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("party", "政治面貌"),
    ("level", "代表层级"),
    ("term", "届次"),
    ("electoral_unit", "选举单位"),
    ("region", "所属区域"),
    ("employer_post", "工作单位及职务"),
    ("expertise", "专业领域"),
    ("mobile", "手机号码"),
    ("id_number", "身份证号"),
]
HEADERS = [header for _key, header in COLUMNS]
# The example row of the blank workbook offered for download.
EXAMPLE_ROW = [
    "张三",
    "男",
    "汉族",
    "1975-05-20",
    "中共党员",
    "县",
    "第十七届",
    "黄华镇选区",
    "林州市黄华镇",
    "林州市黄华镇人民政府镇长",
    "农业、法律",
    "13912345678",
    "",
]
HEADER = dict(COLUMNS)

# How each level is written in the workbook (and on export).
LEVEL_WRITTEN = {
    Level.NATIONAL: "全国",
    Level.PROVINCIAL: "省",
    Level.CITY: "市",
    Level.COUNTY: "县",
    Level.TOWNSHIP: "乡镇",
}
_LEVEL_WORDS = {
    "全国": Level.NATIONAL,
    "国家": Level.NATIONAL,
    "省": Level.PROVINCIAL,
    "市": Level.CITY,
    "地市": Level.CITY,
    "县": Level.COUNTY,
    "区": Level.COUNTY,
    "县区": Level.COUNTY,
    "县市区": Level.COUNTY,
    "县(市、区)": Level.COUNTY,
    "乡镇": Level.TOWNSHIP,
    "乡": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
    "乡镇街道": Level.TOWNSHIP,
}
GENDERS = {"男": "M", "男性": "M", "M": "M", "女": "F", "女性": "F", "F": "F"}
GENDER_WRITTEN = {"M": "男", "F": "女"}
EXPERTISE_SPLIT = re.compile(r"[、，,；;/\s]+")
# 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日; a midnight time after it is what a date cell
# becomes when a sheet was saved as text somewhere on its way.
DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$"
)
DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# A formula-looking text is exported as a text cell (never a formula); older exports wrote it
# with a leading apostrophe, which the import still strips.
FORMULA_START = ("=", "+", "-", "@")
MAX_LENGTH = {
    "name": 40,
    "ethnicity": 20,
    "party": 30,
    "electoral_unit": 100,
    "employer_post": 200,
}


class CellError(ValueError):
    """A cell that cannot be read; its message (Chinese) goes to the person who sent the file."""


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).replace("\u3000", " ").strip()
    if s.startswith("'") and s[1:].startswith(FORMULA_START):
        s = s[1:]
    return s


def parse_level(value) -> Level:
    s = re.sub(r"\s+", "", text(value)).replace("（", "(").replace("）", ")")
    for suffix in ("人大代表", "代表", "人大", "级"):
        s = s.removesuffix(suffix)
    try:
        return _LEVEL_WORDS[s]
    except KeyError:
        raise CellError(
            _("Unknown level “%(value)s”: write 全国, 省, 市, 县 or 乡镇.") % {"value": text(value)}
        ) from None


def chinese_to_int(s: str) -> int | None:
    """十五 → 15, 二十一 → 21, 九 → 9; None if it is not a number from 1 to 99."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["两"] = 2
    if not s or any(c not in digits and c != "十" for c in s):
        return None
    if "十" not in s:
        return digits[s] if len(s) == 1 else None
    head, _sep, tail = s.partition("十")
    if len(head) > 1 or len(tail) > 1:
        return None
    tens = digits[head] if head else 1
    return tens * 10 + (digits[tail] if tail else 0)


def parse_term(value) -> int:
    s = re.sub(r"\s+", "", text(value)).removeprefix("第").removesuffix("届")
    number = int(s) if s.isdigit() else chinese_to_int(s)
    if not number or number > 99:
        raise CellError(
            _("Unreadable term “%(value)s”: write it as 第十五届 or 15.") % {"value": text(value)}
        )
    return number


def parse_date(value, *, today: dt.date) -> dt.date:
    """Excel dates, Excel serial numbers, 19750520, 2024-01-05, 2024/1/5, 2024年1月5日."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        s = text(value)
        if not s:
            raise CellError(_("The date is missing."))
        match = DATE_TEXT.match(s) or DATE_DIGITS.match(s)
        if match:
            try:
                day = dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise CellError(_("“%(value)s” is not a real date.") % {"value": s}) from None
        elif re.fullmatch(r"\d{1,5}(\.0+)?", s):
            # An Excel serial number (days since 1899-12-30) in a cell not formatted as a date.
            day = EXCEL_EPOCH + dt.timedelta(days=int(float(s)))
        else:
            raise CellError(
                _("Unreadable date “%(value)s”: write it as 1975-05-20 or 1975年5月20日.")
                % {"value": s}
            )
    if day > today:
        raise CellError(_("The date %(date)s is in the future.") % {"date": day.isoformat()})
    if day.year < 1900:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": day.isoformat()})
    return day


def parse_gender(value) -> str:
    s = text(value).upper()
    try:
        return GENDERS[s]
    except KeyError:
        raise CellError(
            _("Unknown gender “%(value)s”: write 男 or 女.") % {"value": text(value)}
        ) from None


def parse_mobile(value) -> str:
    s = re.sub(r"[\s-]", "", text(value)).removeprefix("+86")
    if s and not MOBILE_RE.match(s):
        raise CellError(
            _("“%(value)s” is not a mobile number (11 digits starting with 1).")
            % {"value": text(value)}
        )
    return s


ID_MESSAGES = {
    "length": gettext_noop("The ID number must have 18 characters (it has %(n)s)."),
    "format": gettext_noop("The ID number may hold only digits and a final X."),
    "check": gettext_noop("The ID number's check digit is wrong: check it against the card."),
    "date": gettext_noop("The ID number holds a birth date that does not exist."),
}


def parse_id_number(value) -> tuple[str, dt.date | None, str | None]:
    s = re.sub(r"\s+", "", text(value)).upper()
    if not s:
        return "", None, None
    try:
        birth, gender = idnumbers.parse_id_number(s)
    except IdNumberError as exc:
        raise CellError(_(ID_MESSAGES[str(exc)]) % {"n": len(s)}) from None
    return s, birth, gender


def parse_expertise(value) -> list[str]:
    names = []
    for name in EXPERTISE_SPLIT.split(text(value)):
        if name and name not in names:
            if len(name) > 30:
                raise CellError(_("Expertise “%(value)s” is too long.") % {"value": name})
            names.append(name)
    return names


# --- regions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionRef:
    id: int
    name: str
    kind: str
    path: str
    full_name: str

    @property
    def county_key(self) -> str:
        """The path of the county (or of the region itself if it lies above a county): a person
        without an ID number is recognised by name, birth date and this."""
        return "/".join(self.path.strip("/").split("/")[:4])


class RegionIndex:
    """Finds a region by the name a county wrote: "黄华镇", "林州市黄华镇", "安阳市林州市黄华镇"."""

    def __init__(self, regions: Iterable[tuple[int, str, str, str, str, int | None]]):
        # rows of (id, code, name, kind, path, parent_id)
        rows = list(regions)
        by_code = {code: (rid, name, kind, path) for rid, code, name, kind, path, _p in rows}
        self.by_id: dict[int, RegionRef] = {}
        self.by_written: dict[str, set[int]] = defaultdict(set)
        for rid, _code, name, kind, path, _parent in rows:
            chain = [by_code[c][1] for c in path.strip("/").split("/") if c in by_code]
            # Below the country: 河南省安阳市林州市黄华镇, 安阳市林州市黄华镇, 林州市黄华镇, 黄华镇.
            names = chain[1:] if len(chain) > 1 else chain
            full = "".join(names[-2:]) if kind == Region.Kind.TOWNSHIP else name
            self.by_id[rid] = RegionRef(rid, name, kind, path, full)
            for start in range(len(names)):
                self.by_written["".join(names[start:])].add(rid)
        self.by_path = {ref.path: ref for ref in self.by_id.values()}

    def find(self, value) -> RegionRef:
        s = re.sub(r"\s+", "", text(value))
        if not s:
            raise CellError(_("The region is missing."))
        found = self.by_written.get(s, set())
        if len(found) == 1:
            return self.by_id[next(iter(found))]
        if not found:
            # "黄华" for 黄华镇, "林州黄华镇" for 林州市黄华镇: offer what they probably meant.
            close = sorted(
                {
                    ref.full_name
                    for ref in self.by_id.values()
                    if len(s) >= 2 and (ref.name.startswith(s) or ref.full_name.endswith(s[-3:]))
                }
            )[:3]
            if close:
                raise CellError(
                    _("Unknown region “%(value)s”: did you mean %(names)s?")
                    % {"value": s, "names": "、".join(close)}
                )
            raise CellError(_("Unknown region “%(value)s”.") % {"value": s})
        names = "、".join(sorted(self.by_id[i].full_name for i in found))
        raise CellError(
            _("“%(value)s” is ambiguous (%(names)s): write its full name, e.g. %(example)s.")
            % {
                "value": s,
                "names": names,
                "example": sorted(self.by_id[i].full_name for i in found)[0],
            }
        )

    def ancestor_of_kind(self, region: RegionRef, kind: str) -> RegionRef | None:
        parts = region.path.strip("/").split("/")
        for depth in range(len(parts), 0, -1):
            ref = self.by_path.get("/" + "/".join(parts[:depth]) + "/")
            if ref is not None and ref.kind == kind:
                return ref
        return None


# --- what the database holds, and the plan --------------------------------------------------


@dataclass
class ExistingPerson:
    id: int
    values: dict  # the person's own fields, as the row would write them
    county_keys: set[str] = field(default_factory=set)
    expertise: set[str] = field(default_factory=set)
    # Whether the importer sees this person (`Person.visible_to`): a county's import may match
    # and change only its own deputies, never one it cannot see.
    in_scope: bool = True


@dataclass
class Lookups:
    regions: RegionIndex
    # (level, congress region id, number) → term id
    terms: dict[tuple[str, int, int], int]
    persons_by_id_number: dict[str, ExistingPerson]
    # (name, birth date, county key) → person (only persons without an ID number are matched so
    # when the row has one; see `_match`)
    persons_by_name: dict[tuple[str, dt.date, str], ExistingPerson]
    # (person id, term id) → (mandate id, region id, electoral unit)
    mandates: dict[tuple[int, int], tuple[int, int, str]]
    # The expertise tags the roster holds: a row names only these (city staff keep the list).
    expertise: set[str] = field(default_factory=set)


PERSON_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "employer_post",
    "mobile",
    "id_number",
]


@dataclass
class RowError:
    row: int  # the row number as the spreadsheet shows it (the header is row 1)
    column: str  # the column's header, or "" for the whole row
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row}
        if self.column:
            where = _("row %(row)s, column %(column)s") % {"row": self.row, "column": self.column}
        return f"{where}: {self.message}"


@dataclass
class PlannedPerson:
    values: dict
    expertise: list[str]
    existing: ExistingPerson | None = None
    changed: bool = False
    first_row: int = 0


@dataclass
class PlannedMandate:
    person: PlannedPerson
    term_key: tuple[str, int, int]
    term_id: int | None
    region_id: int
    electoral_unit: str
    row: int
    existing: tuple[int, int, str] | None = None

    @property
    def changed(self) -> bool:
        return self.existing is not None and (
            self.existing[1] != self.region_id or self.existing[2] != self.electoral_unit
        )


@dataclass
class RowOutcome:
    row: int
    kind: str  # "new", "update" or "skip" (import-export's words)
    values: list[str]  # the row as read, for the preview


@dataclass
class Plan:
    errors: list[RowError] = field(default_factory=list)
    persons: list[PlannedPerson] = field(default_factory=list)
    mandates: list[PlannedMandate] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_persons(self) -> list[PlannedPerson]:
        return [p for p in self.persons if p.existing is None]

    @property
    def changed_persons(self) -> list[PlannedPerson]:
        return [p for p in self.persons if p.existing is not None and p.changed]

    @property
    def new_mandates(self) -> list[PlannedMandate]:
        return [m for m in self.mandates if m.existing is None]

    @property
    def changed_mandates(self) -> list[PlannedMandate]:
        return [m for m in self.mandates if m.changed]


def read_rows(headers: Sequence, rows: Iterable[Sequence]) -> tuple[list[dict], list[RowError]]:
    """The sheet's rows as {field: cell}, numbered as the spreadsheet numbers them; blank rows
    (often left at the end of a sheet) are dropped. A missing column is an error of row 1."""
    names = [text(h) for h in headers]
    errors = [
        RowError(1, header, _("This column is missing."))
        for header in HEADERS
        if header not in names
    ]
    position = {key: names.index(header) for key, header in COLUMNS if header in names}
    out = []
    for number, cells in enumerate(rows, start=2):
        if all(c is None or text(c) == "" for c in cells):
            continue
        row = {key: (cells[i] if i < len(cells) else None) for key, i in position.items()}
        row["_row"] = number
        out.append(row)
    return out, errors


def _congress_region(
    lookups: Lookups, level: Level, region: RegionRef
) -> tuple[RegionRef | None, str]:
    kind = LEVEL_REGION_KIND[level]
    found = lookups.regions.ancestor_of_kind(region, kind)
    if found is None:
        return None, _("%(region)s does not belong to a %(level)s congress.") % {
            "region": region.full_name,
            "level": level.label,
        }
    return found, ""


def _congress_label(level: Level, congress_region: RegionRef) -> str:
    if level == Level.NATIONAL:
        return "全国人民代表大会"
    return f"{congress_region.name}人民代表大会"


def _unknown_term(lookups: Lookups, level: Level, congress_region: RegionRef, number: int) -> str:
    """A term the roster does not hold is an error, never a new term made from a typo
    (第九十届): the message offers the congress's nearest terms. A new term is entered in the
    admin first."""
    held = sorted(
        (
            n
            for (lv, region_id, n) in lookups.terms
            if lv == level and region_id == congress_region.id
        ),
        key=lambda n: (abs(n - number), n),
    )[:3]
    congress = _congress_label(level, congress_region)
    if held:
        return _(
            "%(congress)s has no %(term)s in the roster: did you mean %(names)s? A new term "
            "is added under Terms in the admin first."
        ) % {
            "congress": congress,
            "term": term_label(number),
            "names": "、".join(term_label(n) for n in held),
        }
    return _(
        "%(congress)s has no term in the roster yet: add %(term)s under Terms in the admin first."
    ) % {"congress": congress, "term": term_label(number)}


def _unknown_expertise(lookups: Lookups, name: str) -> str:
    """An expertise tag the roster does not hold is an error (the list is the city's, kept by
    its staff), with the nearest tags offered."""
    close = [n for n in sorted(lookups.expertise) if name in n or n in name]
    close += difflib.get_close_matches(name, sorted(lookups.expertise), n=3, cutoff=0.5)
    close = list(dict.fromkeys(close))[:3]
    if close:
        return _("Unknown expertise “%(value)s”: did you mean %(names)s?") % {
            "value": name,
            "names": "、".join(close),
        }
    return _(
        "Unknown expertise “%(value)s”: use a field from the list kept by the city's staff."
    ) % {"value": name}


def validate(
    rows: list[dict],
    lookups: Lookups,
    *,
    today: dt.date,
    scope_path: str = "",
    header_errors: Sequence[RowError] = (),
    cell_errors: Sequence[RowError] = (),
) -> Plan:
    """Check every row and every cell; collect every error; if there is none, say what to write.

    `scope_path` is the importing staff member's region: a county's staff import only rows of
    their own region and below. `cell_errors` are errors found while reading the sheet (a
    formula with no computed value), listed with the others."""
    plan = Plan(errors=list(header_errors))
    if plan.errors:
        return plan
    plan.errors.extend(cell_errors)
    by_key: dict[tuple, PlannedPerson] = {}
    seen_mandates: dict[tuple[int, tuple[str, int, int]], int] = {}

    for row in rows:
        number = row["_row"]
        errors: list[RowError] = []

        def cell(key, parse, *args, _errors=errors, _row=row, _number=number, **kwargs):
            try:
                return parse(_row.get(key), *args, **kwargs)
            except CellError as exc:
                _errors.append(RowError(_number, HEADER[key], str(exc)))
                return None

        values = {}
        name = re.sub(r"\s+", "", text(row.get("name")))
        if not name:
            errors.append(RowError(number, HEADER["name"], _("The name is missing.")))
        values["name"] = name
        values["gender"] = cell("gender", parse_gender)
        values["birth_date"] = cell("birth_date", parse_date, today=today)
        ethnicity = text(row.get("ethnicity")) or "汉族"
        values["ethnicity"] = ethnicity if ethnicity.endswith("族") else f"{ethnicity}族"
        values["party"] = text(row.get("party"))
        values["employer_post"] = text(row.get("employer_post"))
        values["mobile"] = cell("mobile", parse_mobile)
        id_parsed = cell("id_number", parse_id_number)
        values["id_number"] = id_parsed[0] if id_parsed else None
        for key, limit in MAX_LENGTH.items():
            value = values.get(key, text(row.get(key)))
            if value and len(value) > limit:
                errors.append(
                    RowError(
                        number,
                        HEADER[key],
                        _("Too long: at most %(limit)s characters.") % {"limit": limit},
                    )
                )
        if id_parsed and id_parsed[0]:
            _id, id_birth, id_gender = id_parsed
            if values["birth_date"] and id_birth != values["birth_date"]:
                errors.append(
                    RowError(
                        number,
                        HEADER["id_number"],
                        _("The ID number gives the birth date %(id_birth)s, not %(birth)s.")
                        % {"id_birth": id_birth.isoformat(), "birth": values["birth_date"]},
                    )
                )
            if values["gender"] and id_gender != values["gender"]:
                errors.append(
                    RowError(
                        number,
                        HEADER["id_number"],
                        _("The ID number is a %(gender)s's, but the gender column says %(column)s.")
                        % {
                            "gender": GENDER_WRITTEN[id_gender],
                            "column": GENDER_WRITTEN[values["gender"]],
                        },
                    )
                )
        level = cell("level", parse_level)
        term_number = cell("term", parse_term)
        region = cell("region", lookups.regions.find)
        electoral_unit = text(row.get("electoral_unit"))
        expertise = cell("expertise", parse_expertise) or []

        congress_region = None
        if region is not None:
            if scope_path and not region.path.startswith(scope_path):
                errors.append(
                    RowError(
                        number,
                        HEADER["region"],
                        _("%(region)s is outside the region you manage.")
                        % {"region": region.full_name},
                    )
                )
            elif level is not None:
                congress_region, message = _congress_region(lookups, level, region)
                if congress_region is None:
                    errors.append(RowError(number, HEADER["region"], message))
                elif (
                    term_number is not None
                    and (level.value, congress_region.id, term_number) not in lookups.terms
                ):
                    errors.append(
                        RowError(
                            number,
                            HEADER["term"],
                            _unknown_term(lookups, level, congress_region, term_number),
                        )
                    )
        for name_ in expertise:
            if name_ not in lookups.expertise:
                errors.append(
                    RowError(number, HEADER["expertise"], _unknown_expertise(lookups, name_))
                )

        outcome_values = [text(row.get(key)) for key, _header in COLUMNS]
        if errors:
            plan.errors.extend(errors)
            continue

        # One person per ID number, else per name + birth date + county; a second row of the
        # same person (another level) adds a mandate to them.
        keys = [("name", name, values["birth_date"], region.county_key)]
        if values["id_number"]:
            keys.insert(0, ("id", values["id_number"]))
        person = next((by_key[k] for k in keys if k in by_key), None)
        if person is None:
            existing = _match(lookups, values, region)
            if existing is not None and not existing.in_scope:
                # Names no one: the importer learns only that the number is taken elsewhere.
                plan.errors.append(
                    RowError(
                        number,
                        HEADER["id_number"],
                        _(
                            "This ID number belongs to a deputy outside the region you manage: "
                            "check it, or ask the city committee's staff."
                        ),
                    )
                )
                continue
            person = PlannedPerson(values=values, expertise=list(expertise), first_row=number)
            person.existing = existing
            plan.persons.append(person)
        else:
            for name_ in expertise:
                if name_ not in person.expertise:
                    person.expertise.append(name_)
        for k in keys:
            by_key.setdefault(k, person)

        term_key = (level.value, congress_region.id, term_number)
        mandate_key = (id(person), term_key)
        if mandate_key in seen_mandates:
            plan.errors.append(
                RowError(
                    number,
                    HEADER["term"],
                    _("The same mandate (same person, level and term) is already on row %(row)s.")
                    % {"row": seen_mandates[mandate_key]},
                )
            )
            continue
        seen_mandates[mandate_key] = number
        term_id = lookups.terms[term_key]  # checked above: the import never makes a term
        existing_mandate = (
            lookups.mandates.get((person.existing.id, term_id))
            if person.existing is not None
            else None
        )
        mandate = PlannedMandate(
            person=person,
            term_key=term_key,
            term_id=term_id,
            region_id=region.id,
            electoral_unit=electoral_unit,
            row=number,
            existing=existing_mandate,
        )
        plan.mandates.append(mandate)
        plan.outcomes.append(RowOutcome(number, "", outcome_values))

    if plan.errors:
        plan.errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column else -1))
        return plan

    for person in plan.persons:
        if person.existing is not None:
            old = person.existing.values
            new = person.values
            # An empty cell never wipes what the roster already holds.
            person.changed = any(new[f] and new[f] != old[f] for f in PERSON_FIELDS) or bool(
                set(person.expertise) - person.existing.expertise
            )
    for mandate, outcome in zip(plan.mandates, plan.outcomes, strict=True):
        if mandate.existing is None:
            outcome.kind = "new"
        elif mandate.changed or mandate.person.changed:
            outcome.kind = "update"
        else:
            outcome.kind = "skip"
    return plan


def _match(lookups: Lookups, values: dict, region: RegionRef) -> ExistingPerson | None:
    """The person a row is about: by ID number (wherever they sit: one number, one person;
    the caller refuses a match outside the importer's scope), else by name, birth date and
    county among the persons the importer sees."""
    if values["id_number"]:
        found = lookups.persons_by_id_number.get(values["id_number"])
        if found is not None:
            return found
    found = lookups.persons_by_name.get((values["name"], values["birth_date"], region.county_key))
    if found is None or not found.in_scope:
        return None
    if values["id_number"] and found.values["id_number"]:
        return None  # the same name and birthday, but another ID number: another person
    return found


def term_label(number: int) -> str:
    return f"第{chinese_number(number)}届"


# --- reading the database: a handful of queries whatever the number of rows ------------------


def _in(field_name: str, values: list, sql_type: str) -> Iterable[dict]:
    """Filters `field_name IN values`, as few as the database allows: on PostgreSQL one, the
    whole list sent as a single array parameter (`IN (SELECT unnest(%s))`), so the preview's
    queries are the same for 100 rows and for 10,000; on SQLite (`make run`), chunks of 5,000
    parameters. Nothing for an empty list."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    if not values:
        return
    if connection.vendor == "postgresql":
        yield {f"{field_name}__in": RawSQL(f"SELECT unnest(%s::{sql_type}[])", [values])}
        return
    for start in range(0, len(values), 5000):
        yield {f"{field_name}__in": values[start : start + 5000]}


def load_lookups(rows: list[dict], user=None) -> Lookups:
    """Everything `validate` compares the rows with: the region tree, the terms, the expertise
    tags, and the persons (with their mandates and expertise) the rows may be about, each marked
    whether `user` sees it. Queries: regions, terms, expertise tags, persons by ID number,
    persons by name, their mandates, their expertise, and (for a county's staff) which of them
    the importer sees: seven or eight, however many rows (on SQLite, one per 5,000 values; see
    `_in`)."""
    from anping.accounts import access

    from .models import Expertise, Mandate, Person, Term

    regions = RegionIndex(
        Region.objects.values_list("id", "code", "name", "kind", "path", "parent_id")
    )
    terms = {
        (level, region_id, number): term_id
        for term_id, level, region_id, number in Term.objects.values_list(
            "id", "congress__level", "congress__region_id", "number"
        )
    }
    id_numbers = sorted({re.sub(r"\s+", "", text(r.get("id_number"))).upper() for r in rows} - {""})
    names = sorted({re.sub(r"\s+", "", text(r.get("name"))) for r in rows} - {""})
    persons: dict[int, ExistingPerson] = {}
    for batch in _in("id_number", id_numbers, "text"):
        for values in Person.objects.filter(**batch).values("id", *PERSON_FIELDS):
            pk = values.pop("id")
            persons[pk] = ExistingPerson(pk, values)
    for batch in _in("name", names, "text"):
        for values in Person.objects.filter(**batch).values("id", *PERSON_FIELDS):
            pk = values.pop("id")
            persons.setdefault(pk, ExistingPerson(pk, values))
    mandates = {}
    ids = sorted(persons)
    for batch in _in("person_id", ids, "bigint"):
        for mandate_id, person_id, term_id, region_id, unit, path in Mandate.objects.filter(
            **batch
        ).values_list("id", "person_id", "term_id", "region_id", "electoral_unit", "region__path"):
            mandates[(person_id, term_id)] = (mandate_id, region_id, unit)
            persons[person_id].county_keys.add("/".join(path.strip("/").split("/")[:4]))
        through = Person.expertise.through
        for person_id, expertise in through.objects.filter(**batch).values_list(
            "person_id", "expertise__name"
        ):
            persons[person_id].expertise.add(expertise)
    if user is not None and ids and access.staff_region_path(user) != "":
        seen = set()
        for batch in _in("pk", ids, "bigint"):
            seen.update(
                Person.objects.visible_to(user).filter(**batch).values_list("pk", flat=True)
            )
        for pk, person in persons.items():
            person.in_scope = pk in seen
    by_id_number = {p.values["id_number"]: p for p in persons.values() if p.values["id_number"]}
    by_name = {}
    for person in persons.values():
        for county_key in person.county_keys:
            by_name[(person.values["name"], person.values["birth_date"], county_key)] = person
    return Lookups(
        regions=regions,
        terms=terms,
        persons_by_id_number=by_id_number,
        persons_by_name=by_name,
        mandates=mandates,
        expertise=set(Expertise.objects.values_list("name", flat=True)),
    )


# --- the preview's summary ------------------------------------------------------------------


@dataclass
class LevelSummary:
    level: Level
    new_persons: int = 0
    updated_persons: int = 0
    new_mandates: int = 0
    updated_mandates: int = 0
    unchanged: int = 0


@dataclass
class PreviewSummary:
    levels: list[LevelSummary]
    # Distinct persons: one person at two levels is counted once here, once in each level row.
    new_persons: int
    updated_persons: int
    new_mandates: int
    updated_mandates: int
    unchanged: int


def preview_summary(plan: Plan) -> PreviewSummary:
    """What confirming the plan will do, by level, counted from the plan (no query)."""
    by_level = {level: LevelSummary(level) for level in Level}
    seen: set[tuple[int, Level]] = set()
    for mandate in plan.mandates:
        level = Level(mandate.term_key[0])
        line = by_level[level]
        person = mandate.person
        if (id(person), level) not in seen:
            seen.add((id(person), level))
            if person.existing is None:
                line.new_persons += 1
            elif person.changed:
                line.updated_persons += 1
        if mandate.existing is None:
            line.new_mandates += 1
        elif mandate.changed:
            line.updated_mandates += 1
        elif not person.changed:
            line.unchanged += 1
    changed_mandates = len(plan.changed_mandates)
    new_mandates = len(plan.new_mandates)
    return PreviewSummary(
        levels=[line for line in by_level.values() if any(_counts(line))],
        new_persons=len(plan.new_persons),
        updated_persons=len(plan.changed_persons),
        new_mandates=new_mandates,
        updated_mandates=changed_mandates,
        unchanged=sum(line.unchanged for line in by_level.values()),
    )


def _counts(line: LevelSummary) -> tuple[int, ...]:
    return (
        line.new_persons,
        line.updated_persons,
        line.new_mandates,
        line.updated_mandates,
        line.unchanged,
    )
