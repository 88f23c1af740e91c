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


NOSTREAM = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE


def _entry(name: str, *, kind: int, right: int = NOSTREAM, child: int = NOSTREAM) -> bytes:
    """One 128-byte directory entry: the name, its kind (5 root, 2 stream), its siblings in the
    directory's tree (here each stream's right sibling is the next one) and an empty stream."""
    encoded = (name + "\x00").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\x00")
        + len(encoded).to_bytes(2, "little")
        + bytes([kind, 1])  # kind, colour black
        + NOSTREAM.to_bytes(4, "little")  # left sibling
        + right.to_bytes(4, "little")
        + child.to_bytes(4, "little")
        + b"\x00" * 36  # class id, state bits, times
        + END_OF_CHAIN.to_bytes(4, "little")  # first sector: none (empty stream)
        + b"\x00" * 8  # size 0
    )


def _ole(*names: str, padding: int = 0) -> bytes:
    """An OLE compound file laid out as Word and Excel write one: the header, the allocation
    table (sector 0), then the directory (from sector 1, four entries a sector, its sectors
    chained through the table), then `padding` bytes of stream data."""
    entries = [_entry("Root Entry", kind=5, child=1 if names else NOSTREAM)]
    entries += [
        _entry(name, kind=2, right=i + 2 if i + 1 < len(names) else NOSTREAM)
        for i, name in enumerate(names)
    ]
    directory = [
        b"".join(entries[i : i + 4]).ljust(512, b"\x00") for i in range(0, len(entries), 4)
    ]
    fat = [0xFFFFFFFD]  # sector 0 holds the table itself
    for i in range(len(directory)):
        fat.append(i + 2 if i + 1 < len(directory) else 0xFFFFFFFE)
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[30:32] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[44:48] = (1).to_bytes(4, "little")  # one allocation-table sector ...
    header[48:52] = (1).to_bytes(4, "little")  # the directory starts at sector 1
    header[68:72] = (0xFFFFFFFE).to_bytes(4, "little")  # no extra DIFAT sectors
    header[76:80] = (0).to_bytes(4, "little")  # ... which is sector 0
    header[80:512] = b"\xff" * 432
    table = b"".join(n.to_bytes(4, "little") for n in fat)
    return bytes(header) + table + b"".join(directory) + b"\x00" * padding


DOC = _ole("1Table", "WordDocument", "\x05SummaryInformation")
XLS = _ole("Workbook", "\x05SummaryInformation")
XLS_BIFF5 = _ole("Book")
MSI = _ole("\x05SummaryInformation", "\u4840\u3f3f\u4577")
# A Word file whose main stream is named in the third directory sector.
DOC_FAR = _ole(
    "Data",
    "1Table",
    "ObjectPool",
    "\x01CompObj",
    "\x05SummaryInformation",
    "Macros",
    "a",
    "b",
    "WordDocument",
)
# A program that merely contains the words, in a broken OLE shell.
OLE_BROKEN = (
    OLE + "Root Entry".encode("utf-16-le") + b"\x00" * 54 + "WordDocument".encode("utf-16-le")
)

ZIP = _ooxml("text/plain", "readme.txt").replace(b"[Content_Types].xml", b"[Other_Typesxx].xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
