"""Splitting a draft regulation (.docx) into its numbered parts.

Chinese regulations are numbered in their text, not by Word's list numbering: 第一章 (chapter,
optional), 第一节 (section, optional, within a chapter), 第一条 (article). Within an article,
each further paragraph is a 款; a paragraph starting （一） is an item (项) of the paragraph
before it, and one starting 1. or 1． a sub-item (目) of the item before it.

`split_paragraphs(lines)` works on plain paragraphs; `read_docx(file)` reads them from Word with
python-docx. A text with no article at all is refused (`DraftError`), with what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

NUMERALS = "〇零一二三四五六七八九十百千两"
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS.update({"七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100, "千": 1000}

CHAPTER = re.compile(rf"^第([{NUMERALS}\d]+)章[\s\u3000]*(.*)$")
SECTION = re.compile(rf"^第([{NUMERALS}\d]+)节[\s\u3000]*(.*)$")
ARTICLE = re.compile(rf"^第([{NUMERALS}\d]+)条(?:[\s\u3000]+|(?=[^\s\u3000]))(.*)$", re.S)
ITEM = re.compile(rf"^([（(][{NUMERALS}]+[）)])[\s\u3000]*(.*)$", re.S)
SUBITEM = re.compile(r"^(\d{1,2}[.．、])[\s\u3000]*(.*)$", re.S)


class DraftError(ValueError):
    """The file is not a draft the portal can split; the message says what it expected."""


def chinese_number(text: str) -> int:
    """第十二条 → 12, 第一百零三条 → 103, also Arabic digits."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            raise ValueError(text)
    return total + digit


@dataclass
class Item:
    label: str
    text: str
    subitems: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"label": self.label, "text": self.text, "subitems": self.subitems}


@dataclass
class ParsedArticle:
    number: int
    label: str
    chapter: str = ""
    section: str = ""
    paragraphs: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The article as one plain text (what the diff compares), one line per part."""
        lines = []
        for p in self.paragraphs:
            if p["text"]:
                lines.append(p["text"])
            for item in p["items"]:
                lines.append(f"{item['label']}{item['text']}")
                lines += [f"{s['label']}{s['text']}" for s in item["subitems"]]
        return "\n".join(lines)


@dataclass
class ParsedDraft:
    title: str
    articles: list[ParsedArticle]


def _clean(line: str) -> str:
    return line.replace("\u3000", " ").strip()


def split_paragraphs(lines: list[str]) -> ParsedDraft:
    title = ""
    chapter = section = ""
    articles: list[ParsedArticle] = []
    current: ParsedArticle | None = None
    for raw in lines:
        line = _clean(raw)
        if not line:
            continue
        compact = re.sub(r"\s+", "", line)
        if m := CHAPTER.match(compact):
            chapter = f"第{m.group(1)}章　{m.group(2)}".strip("　")
            section, current = "", None
            continue
        if m := SECTION.match(compact):
            section = f"第{m.group(1)}节　{m.group(2)}".strip("　")
            current = None
            continue
        if m := ARTICLE.match(line):
            try:
                number = chinese_number(m.group(1))
            except ValueError:
                number = 0
            if number <= 0:
                raise DraftError(
                    _("“%(line)s”: the article number cannot be read.") % {"line": line[:30]}
                )
            if articles and number <= articles[-1].number:
                raise DraftError(
                    _(
                        "%(label)s comes after article %(n)d: the articles must be numbered in order."
                    )
                    % {"label": f"第{m.group(1)}条", "n": articles[-1].number}
                )
            current = ParsedArticle(number, f"第{m.group(1)}条", chapter, section)
            articles.append(current)
            rest = m.group(2).strip()
            current.paragraphs.append({"text": rest, "items": []})
            continue
        if current is None:
            if not articles and not chapter and not title:
                title = line
            continue
        if m := ITEM.match(line):
            if not current.paragraphs:
                current.paragraphs.append({"text": "", "items": []})
            current.paragraphs[-1]["items"].append(Item(m.group(1), m.group(2)).as_dict())
            continue
        if (m := SUBITEM.match(line)) and current.paragraphs and current.paragraphs[-1]["items"]:
            current.paragraphs[-1]["items"][-1]["subitems"].append(
                {"label": m.group(1), "text": m.group(2)}
            )
            continue
        current.paragraphs.append({"text": line, "items": []})
    if not articles:
        raise DraftError(
            _(
                "No article was found. A draft is numbered in its text: “第一条 …”, “第二条 …”, "
                "optionally in chapters (“第一章 总则”). Nothing was kept."
            )
        )
    return ParsedDraft(title, articles)


def docx_paragraphs(file) -> list[str]:
    """The text of every paragraph of a Word file's body, in order."""
    import docx

    file.seek(0)
    document = docx.Document(file)
    lines = [p.text for p in document.paragraphs]
    file.seek(0)
    return lines


def read_docx(file) -> ParsedDraft:
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        lines = docx_paragraphs(file)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise DraftError(_("The Word file could not be read: it may be damaged.")) from exc
    return split_paragraphs(lines)
