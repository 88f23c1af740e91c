"""Where uploads are stored and under what name.

Stored names are random (`proposals/attachments/2026/11/3f2a….pdf`): nothing a user typed reaches
the file system, names cannot collide or be guessed, and the name the user gave is kept in a field
of its own (`original_filename`) for the download.
"""

from __future__ import annotations

import os
import unicodedata
import uuid

from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .validation import EXTENSIONS

SAFE_EXTENSIONS = frozenset(EXTENSIONS.values()) | {".jpeg"}
ORIGINAL_MAX_LENGTH = 200


@deconstructible(path="anping.uploads.storage.UploadTo")
class UploadTo:
    """`models.FileField(upload_to=UploadTo("proposals/attachments"))`."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename or "")[1].lower()
        if extension not in SAFE_EXTENSIONS:
            extension = ""
        return f"{self.prefix}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadTo) and self.prefix == other.prefix


def original_filename(file_or_name, *, default: str = "attachment") -> str:
    """The name the user gave, fit to keep and to offer again on download: no folders, no
    control or format characters, at most 200 characters (the extension kept).

    Format characters (Unicode category Cf) include the bidirectional controls: a right-to-left
    override (U+202E) makes "答复\u202efdp.exe" display as "答复exe.pdf"; the isolates and marks
    (U+2066–2069, U+200E/F, U+061C) and zero-width characters go too. Applied both when a name is
    stored and when it is served, so names stored before are cleaned on the way out."""
    name = getattr(file_or_name, "name", file_or_name) or ""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        return default
    if len(name) > ORIGINAL_MAX_LENGTH:
        stem, extension = os.path.splitext(name)
        extension = extension[:20]
        name = stem[: ORIGINAL_MAX_LENGTH - len(extension)] + extension
    return name
