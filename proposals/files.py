"""Attachments of suggestions: checked by content and size (anping.uploads) before they are
stored, and served only to those who may see the suggestion."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from anping.errors import DomainError

# Photos of the problem, signed replies and evidence in PDF or Word, figures in Excel.
ALLOWED = frozenset({"pdf", "jpeg", "png", "docx", "xlsx", "doc", "xls"})


def check_upload(file) -> str:
    """The detected kind of an upload; a `DomainError` in Chinese when it may not be stored."""
    from anping.uploads.validation import validate_upload

    try:
        return validate_upload(file, allowed=ALLOWED)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages)) from exc
