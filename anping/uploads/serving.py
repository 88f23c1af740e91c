"""Serving a stored attachment to someone the caller has already allowed to see it."""

from __future__ import annotations

import os
from urllib.parse import quote

from django.http import FileResponse, Http404

from .storage import original_filename
from .validation import CONTENT_TYPES, EXTENSIONS, INLINE_KINDS, detect_kind


def _disposition(kind_of_response: str, filename: str) -> str:
    """Both forms of the name (RFC 6266): `filename*` in UTF-8 for Chinese names, and an ASCII
    `filename` for the rare client that does not read it."""
    stem, extension = os.path.splitext(filename)
    ascii_stem = stem.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    ascii_stem = ascii_stem.strip(" ._-") or "attachment"
    ascii_name = ascii_stem + extension.encode("ascii", "ignore").decode().replace('"', "")
    return f"{kind_of_response}; filename=\"{ascii_name}\"; filename*=utf-8''{quote(filename)}"


def serve_protected(request, file_field, *, filename: str, inline: bool = False) -> FileResponse:
    """Stream a stored file (a model's FieldFile) as a download named `filename`.

    The caller decides access first (through the object's `visible_to`, answering 404 to
    outsiders); this only serves. The content type comes from the content, never from a name;
    the browser is told not to guess another (`nosniff`) and not to keep a copy in shared caches.
    `inline=True` lets a PDF or an image open in the browser; anything else is always a download.
    A missing file is a 404."""
    if not file_field or not file_field.name:
        raise Http404
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    kind = detect_kind(handle)
    filename = original_filename(filename, default="attachment" + EXTENSIONS.get(kind, ""))
    response = FileResponse(
        handle, content_type=CONTENT_TYPES.get(kind, "application/octet-stream")
    )
    as_inline = inline and kind in INLINE_KINDS
    response["Content-Disposition"] = _disposition(
        "inline" if as_inline else "attachment", filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if kind != "pdf":
        # Nothing in an attachment may run as a page of the portal (PDF viewers need plugins).
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
