"""Checking an upload by what it contains, not by what it is called.

A deputy's photo of a broken road, a unit's signed reply in PDF or Word, a spreadsheet of figures:
those are accepted. A program renamed "答复.pdf" is not, whatever its name says, and nothing is
larger than `settings.ATTACHMENT_MAX_BYTES`.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
from collections.abc import Iterable

import olefile
import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

PDF = "pdf"
JPEG = "jpeg"
PNG = "png"
WEBP = "webp"
DOCX = "docx"
XLSX = "xlsx"
DOC = "doc"
XLS = "xls"
TEXT = "txt"

# WebP: what many Android phones save photos as.
DEFAULT_KINDS: frozenset[str] = frozenset({PDF, JPEG, PNG, WEBP, DOCX, XLSX, DOC, XLS, TEXT})
IMAGE_KINDS: frozenset[str] = frozenset({JPEG, PNG, WEBP})
# What a browser may show in a tab instead of downloading (see serving.serve_protected).
INLINE_KINDS: frozenset[str] = frozenset({PDF, JPEG, PNG, WEBP})

CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    WEBP: "image/webp",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOC: "application/msword",
    XLS: "application/vnd.ms-excel",
    TEXT: "text/plain; charset=utf-8",
}
EXTENSIONS = {
    PDF: ".pdf",
    JPEG: ".jpg",
    PNG: ".png",
    WEBP: ".webp",
    DOCX: ".docx",
    XLSX: ".xlsx",
    DOC: ".doc",
    XLS: ".xls",
    TEXT: ".txt",
}
# How the message names the kinds a field accepts, in this order.
GROUPS = [
    ({PDF}, "PDF"),
    ({JPEG, PNG, WEBP}, gettext_lazy("images")),
    ({DOC, DOCX}, "Word"),
    ({XLS, XLSX}, "Excel"),
    ({TEXT}, gettext_lazy("plain text")),
]

HEAD_BYTES = 64 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
CONTENT_TYPES_LIMIT = 1024 * 1024  # an Office [Content_Types].xml is a few kilobytes
MARKUP = ("<html", "<script", "<svg", "<!doctype", "<?xml", "<body", "<iframe", "<meta")


# --- reading ---------------------------------------------------------------------------------


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def _read(file, n: int = -1) -> bytes:
    file.seek(0)
    try:
        data = file.read(n)
    finally:
        file.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _zip_kind(file) -> tuple[str | None, str]:
    """(kind, what it is) for a ZIP container: Word and Excel documents are ZIPs whose
    [Content_Types].xml declares the main part."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return None, _("ZIP archive")
            if info.file_size > CONTENT_TYPES_LIMIT:
                return None, _("ZIP archive")
            declared = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError):
        return None, _("damaged ZIP archive")
    finally:
        file.seek(0)
    if b"macroEnabled" in declared:
        return None, _("Office file with macros")
    if b"wordprocessingml.document.main+xml" in declared:
        return DOCX, "Word (.docx)"
    if b"spreadsheetml.sheet.main+xml" in declared:
        return XLSX, "Excel (.xlsx)"
    return None, _("other Office file")


# What olefile raises on a structure that does not hold together: its own OleFileError (an
# OSError) for the defects it names, and ValueError, IndexError, struct.error or EOFError from
# tables that point past the end or are cut short.
OLE_DAMAGE = (OSError, ValueError, IndexError, struct.error, EOFError, RecursionError)


def _ole_names(file) -> list[str] | None:
    """The stream names in an OLE compound file's directory (olefile reads the header, the
    allocation table and the directory, not the streams); None when the structure does not
    hold together."""
    file.seek(0)
    try:
        ole = olefile.OleFileIO(file)
        try:
            return [path[-1] for path in ole.listdir(streams=True, storages=False)]
        finally:
            ole.close()  # leaves a file it did not open alone
    except OLE_DAMAGE:
        return None
    finally:
        file.seek(0)


def _ole_kind(file) -> tuple[str | None, str]:
    """Old Word and Excel files are OLE compound files (as are installers): tell them apart by
    the name of their main stream in the directory."""
    names = _ole_names(file)
    if names is None:
        return None, _("damaged OLE compound file")
    if "WordDocument" in names:
        return DOC, "Word (.doc)"
    if "Workbook" in names or "Book" in names:
        return XLS, "Excel (.xls)"
    return None, _("other OLE compound file (for example an installer)")


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)  # Notepad's "Unicode"
    elif not head or b"\x00" in head:
        return False
    else:
        encodings = ("utf-8-sig", "gb18030")
    text = None
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=False: the sample may end in the middle of a character.
            text = decoder.decode(head, final=False)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        return False
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\x1b")
    if control > max(1, len(text) // 100):
        return False
    # Served as plain text it would be harmless, but a page or a script is not an attachment.
    lowered = text[:4096].lower()
    return not any(tag in lowered for tag in MARKUP)


def inspect(file) -> tuple[str | None, str]:
    """(kind, what it is for a person): the kind is one of the constants above, or None when the
    content is none of them."""
    head = _read(file, HEAD_BYTES)
    if head.startswith(b"%PDF-"):
        return PDF, "PDF"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG, _("PNG image")
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG, _("JPEG image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP, _("WebP image")
    if head.startswith(ZIP_SIGNATURE):
        return _zip_kind(file)
    if head.startswith(OLE_SIGNATURE):
        return _ole_kind(file)
    if head.startswith(b"MZ"):
        return None, _("Windows program (.exe)")
    if head.startswith(b"\x7fELF"):
        return None, _("program (ELF)")
    if _looks_like_text(head):
        return TEXT, _("plain text")
    return None, _describe_unknown(head)


def _describe_unknown(head: bytes) -> str:
    try:
        extension = puremagic.from_string(head)
    except (puremagic.PureError, ValueError):
        extension = ""
    if extension:
        return _("%(extension)s file") % {"extension": extension.lstrip(".").upper()}
    return _("unrecognised content")


def detect_kind(file) -> str | None:
    """The kind of content of `file` (a Django File, an upload, or an open binary file), or None."""
    return inspect(file)[0]


class Detected(str):
    """What `validate_upload` returns: the kind itself (`"pdf"`, `"jpeg"` ...), a string, with
    the matching `content_type` and stored `extension` at hand."""

    @property
    def kind(self) -> str:
        return str(self)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self]


# --- checking --------------------------------------------------------------------------------


def size_text(n: int) -> str:
    """A size as the portal says it everywhere ("10 MB", "2.5 MB"): Django's filesizeformat,
    binary units as the limits are set (10 × 1024 × 1024 bytes is "10 MB", never "10.5 MB"),
    without a trailing ".0"."""
    text = filesizeformat(n).replace("\xa0", " ")
    return re.sub(r"(\d)[.,]0(?=\D|$)", r"\1", text)


def allowed_text(allowed: Iterable[str]) -> str:
    """ "PDF、图片、Word、Excel": the kinds a field accepts, as the message names them."""
    allowed = set(allowed)
    names = [str(name) for kinds, name in GROUPS if kinds & allowed]
    return pgettext("list separator", ", ").join(names)


def validate_upload(
    file, *, allowed: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None
) -> Detected:
    """Check an uploaded file's size (at most `max_bytes`, by default
    `settings.ATTACHMENT_MAX_BYTES`) and its type by its content (one of `allowed`), and return
    its kind (`"pdf"`, `"jpeg"` ..., a `Detected` string with `.content_type` and `.extension`). Raises `ValidationError` with a message for
    the person who uploaded it ("文件过大：最大 10 MB", "不支持的文件类型：…（仅限 PDF、图片、
    Word、Excel、纯文本）"). The file is left at its start."""
    allowed = frozenset(allowed)
    limit = settings.ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    size = _size(file)
    if size > limit:
        raise ValidationError(
            _("File too large: at most %(size)s") % {"size": size_text(limit)},
            code="file_too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    kind, what = inspect(file)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("Unsupported file type: %(found)s (only %(allowed)s)")
            % {"found": what, "allowed": allowed_text(allowed)},
            code="file_type",
        )
    return Detected(kind)
