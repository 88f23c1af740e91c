"""The one shape of a recorded step: every workflow's transition rows inherit it.

A step's row says which object moved, from what to what, who did it, when, and why. Each app's
concrete model adds the foreign key to its object (named by `subject_field`) and narrows
`from_status` / `to_status` to its own choices by redeclaring them; the columns keep one naming
everywhere, so one template (`templates/history/_timeline.html`) shows every history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionBase(models.Model):
    subject_field: str = ""  # the concrete model's foreign key to the object that moved

    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        subject = getattr(self, f"{self.subject_field}_id", "") if self.subject_field else ""
        return f"{subject}: {self.from_label} → {self.to_label}"

    def _status_label(self, field: str) -> str:
        value = getattr(self, field)
        choices = dict(self._meta.get_field(field).flatchoices)
        return str(choices.get(value, value))

    @property
    def from_label(self) -> str:
        return self._status_label("from_status")

    @property
    def to_label(self) -> str:
        return self._status_label("to_status")

    @property
    def subject(self):
        return getattr(self, self.subject_field)
