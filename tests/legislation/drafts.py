"""Real-shaped drafts for the tests: Word files made with python-docx, as a drafting office
writes them (a centred title, chapter headings, 第X条 at the start of a paragraph)."""

from __future__ import annotations

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile

NUMS = "零一二三四五六七八九"


def cn(n: int) -> str:
    """12 → 十二, 103 → 一百零三 (as the drafts write article numbers)."""
    if n < 10:
        return NUMS[n]
    if n < 20:
        return "十" + (NUMS[n % 10] if n % 10 else "")
    if n < 100:
        return NUMS[n // 10] + "十" + (NUMS[n % 10] if n % 10 else "")
    rest = n % 100
    head = NUMS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + NUMS[rest]
    if rest < 20:
        return head + "一十" + (NUMS[rest % 10] if rest % 10 else "")
    return head + cn(rest)


def docx_bytes(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(lines: list[str], name: str = "草案.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        docx_bytes(lines),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def plain_draft(n: int = 32, *, changed: dict[int, str] | None = None) -> list[str]:
    """A regulation without chapters: `n` articles; `changed` replaces an article's text."""
    lines = ["安阳市测试管理条例（草案）"]
    for i in range(1, n + 1):
        text = (changed or {}).get(i, f"第{i}条规定的事项，由市人民政府有关部门依照职责负责实施。")
        lines.append(f"第{cn(i)}条　{text}")
    return lines


CHAPTERED = [
    "安阳市城市消防条例（草案）",
    "第一章　总则",
    "第一条　为了预防火灾和减少火灾危害，根据有关法律、法规，结合本市实际，制定本条例。",
    "第二条　本条例适用于本市行政区域内的消防工作。",
    "市、县（市、区）人民政府负责本行政区域内的消防工作。",
    "第二章　消防安全责任",
    "第一节　单位责任",
    "第三条　单位应当履行下列消防安全职责：",
    "（一）落实消防安全责任制；",
    "（二）按照国家标准配置消防设施、器材，并定期组织检验、维修，主要包括：",
    "1.火灾自动报警系统；",
    "2．自动喷水灭火系统；",
    "（三）保障疏散通道、安全出口畅通。",
    "单位的主要负责人是本单位的消防安全责任人。",
    "第二节　个人责任",
    "第四条　任何人都应当保护消防设施，预防火灾，报告火警。",
    "第三章　附则",
    "第五条　本条例自2025年1月1日起施行。",
]
