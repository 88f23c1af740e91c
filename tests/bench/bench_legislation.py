"""Draft regulations: splitting a 300-article draft (.docx) into its parts and diffing two
versions of it, each against a bare python-docx read of the same file (what any reading of the
upload costs anyway)."""

from __future__ import annotations

import io

import docx

from legislation import diff
from legislation.parsing import read_docx
from tests.bench.run import median_time
from tests.legislation.drafts import cn, docx_bytes

ARTICLES = 300


def _draft(changed_every: int = 0) -> bytes:
    lines = ["安阳市某管理条例（草案）"]
    for n in range(1, ARTICLES + 1):
        if n % 30 == 1:
            lines.append(f"第{cn(n // 30 + 1)}章　第{n // 30 + 1}部分")
        body = f"第{n}条所列事项，由市人民政府有关部门依照职责负责实施，并向社会公布办理结果。"
        if changed_every and n % changed_every == 0:
            body = body.replace("有关部门", "有关部门和乡镇人民政府")
        lines.append(f"第{cn(n)}条　{body}")
        if n % 5 == 0:
            lines += ["（一）制定工作方案；", "（二）组织实施；", "1.定期检查；", "2.公布结果。"]
            lines.append("前款规定的事项，应当依法公开。")
    return docx_bytes(lines)


def run(table) -> None:
    old, new = _draft(), _draft(changed_every=7)

    def bare():
        return [p.text for p in docx.Document(io.BytesIO(old)).paragraphs]

    baseline = median_time(bare, repeat=5)
    value = median_time(lambda: read_docx(io.BytesIO(old)), repeat=5)
    table.ratio(
        f"legislation: split a {ARTICLES}-article draft (.docx)",
        value,
        baseline,
        within=1.5,
        note="baseline: python-docx reading the paragraphs",
    )
    a, b = read_docx(io.BytesIO(old)).articles, read_docx(io.BytesIO(new)).articles
    value = median_time(lambda: diff.compare(a, b), repeat=5)
    changes = diff.compare(a, b)
    table.ratio(
        f"legislation: diff two {ARTICLES}-article versions",
        value,
        baseline,
        within=1.0,
        note=f"{diff.summary(changes)['changed']} changed; baseline: the bare read",
    )
