"""Form fields that check uploads by their content."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .validation import CONTENT_TYPES, DEFAULT_KINDS, EXTENSIONS, JPEG, validate_upload


def accept_attribute(allowed: Iterable[str]) -> str:
    """The file picker's `accept`: extensions and types, so that a phone offers its camera and
    the documents that fit (the server checks the content anyway)."""
    allowed = set(allowed)
    extensions = sorted({EXTENSIONS[kind] for kind in allowed if kind in EXTENSIONS})
    if JPEG in allowed:
        extensions.append(".jpeg")
    types = sorted({CONTENT_TYPES[kind].split(";")[0] for kind in allowed if kind in CONTENT_TYPES})
    return ",".join(extensions + types)


class ContentTypeFileField(forms.FileField):
    """A FileField whose upload is checked by `validate_upload`; the clean file carries the
    detected kind as `file.upload_kind`."""

    def __init__(
        self, *, allowed: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None, **kwargs
    ):
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute(self.allowed))

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file is not initial and hasattr(file, "read"):
            file.upload_kind = validate_upload(file, allowed=self.allowed, max_bytes=self.max_bytes)
        return file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleContentTypeFileField(ContentTypeFileField):
    """Several files in one picker (a suggestion's attachments): a list of clean files, each
    checked; `max_files` limits how many."""

    widget = MultipleFileInput

    def __init__(self, *, max_files: int = 10, **kwargs):
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("At most %(n)d files.") % {"n": self.max_files}, code="max_files"
            )
        errors, clean = [], []
        for file in files:
            try:
                clean.append(super().clean(file, initial))
            except ValidationError as exc:
                name = getattr(file, "name", "")
                errors.extend(
                    _("%(name)s: %(message)s") % {"name": name, "message": message}
                    for message in exc.messages
                )
        if errors:
            raise ValidationError(errors)
        return clean
