"""Small files of each kind, built in memory: what people upload, and what they must not."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 40
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04" + b"\x00" * 40
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
TEXT = "关于解决城区老旧小区加装电梯问题的建议\n一、基本情况\n".encode() * 20
GBK_TEXT = "安阳市文峰区人大代表联络站活动记录\r\n".encode("gb18030") * 20
UTF16_TEXT = "\ufeff代表建议办理情况说明\r\n".encode("utf-16-le") * 10
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _ooxml(main_content_type: str, main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/{main_part}" ContentType="{main_content_type}"/></Types>',
        )
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


DOCX = _ooxml(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "word/document.xml",
)
DOCM = _ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml")
PPTX = _ooxml(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "ppt/presentation.xml",
)


def _xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["项目", "进度"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = _xlsx()
DOC = OLE + "Root Entry".encode("utf-16-le") + b"\x00" * 54 + "WordDocument".encode("utf-16-le")
XLS = OLE + "Root Entry".encode("utf-16-le") + b"\x00" * 54 + "Workbook".encode("utf-16-le")
MSI = (
    OLE
    + "Root Entry".encode("utf-16-le")
    + b"\x00" * 54
    + "\x05SummaryInformation".encode("utf-16-le")
)
ZIP = _ooxml("text/plain", "readme.txt").replace(b"[Content_Types].xml", b"[Other_Typesxx].xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
