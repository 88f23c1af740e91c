"""Attachments: checking an upload by its content, naming it safely in storage, and serving it
only through a view that has decided who may see it.

- `validate_upload(file, *, allowed=DEFAULT_KINDS, max_bytes=None) -> str` (anping.uploads.validation)
- `UploadValidator(allowed=..., max_bytes=...)` for a model FileField's validators, and
  `ContentTypeFileField` for forms (anping.uploads.forms)
- `UploadTo("proposals/attachments")` for `upload_to`, `original_filename(file)` for the separate
  field that keeps the name the user gave (anping.uploads.storage)
- `size_text(n)`: a size as every message says it ("10 MB")
- `serve_protected(request, file_field, *, filename, inline=False)` (anping.uploads.serving)
"""

from .forms import ContentTypeFileField, MultipleContentTypeFileField
from .serving import serve_protected
from .storage import UploadTo, original_filename
from .validation import (
    CONTENT_TYPES,
    DEFAULT_KINDS,
    IMAGE_KINDS,
    Detected,
    detect_kind,
    size_text,
    validate_upload,
)
from .validators import UploadValidator

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_KINDS",
    "IMAGE_KINDS",
    "ContentTypeFileField",
    "Detected",
    "MultipleContentTypeFileField",
    "UploadTo",
    "UploadValidator",
    "detect_kind",
    "original_filename",
    "serve_protected",
    "size_text",
    "validate_upload",
]
