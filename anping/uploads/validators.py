"""`UploadValidator`: the content check as a validator for a model's FileField."""

from __future__ import annotations

from collections.abc import Iterable

from .validation import DEFAULT_KINDS, validate_upload


class UploadValidator:
    """`models.FileField(validators=[UploadValidator(allowed={"pdf", "jpeg", "png"})])`.

    Checks files being uploaded; a file already stored (re-validating a saved row) is not
    read again."""

    def __init__(self, allowed: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None):
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes

    def __call__(self, value) -> None:
        if not value or getattr(value, "_committed", False):
            return
        validate_upload(
            getattr(value, "file", value), allowed=self.allowed, max_bytes=self.max_bytes
        )

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.allowed == other.allowed
            and self.max_bytes == other.max_bytes
        )

    def deconstruct(self):
        # Sorted, so that migrations do not change with the set's order.
        kwargs = {"allowed": sorted(self.allowed)}
        if self.max_bytes is not None:
            kwargs["max_bytes"] = self.max_bytes
        return "anping.uploads.validators.UploadValidator", (), kwargs
