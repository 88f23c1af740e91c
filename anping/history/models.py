"""The one shape of a recorded step: every workflow's transition rows inherit it.

A step's row says which object moved, from what to what, who did it, when, and why. Each app's
concrete model adds the foreign key to its object (named by `subject_field`) and narrows
`from_status` / `to_status` to its own choices by redeclaring them; the columns keep one naming
everywhere, so one template (`templates/history/_timeline.html`) shows every history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
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
        """ "投票 5：已准备 → 进行中": the object's kind and number, and the step in the words of the
        object's own statuses (no query: the subject is not loaded for this)."""
        if self.subject_field:
            related = self._meta.get_field(self.subject_field).related_model
            number = getattr(self, f"{self.subject_field}_id", "")
            subject = f"{related._meta.verbose_name} {number}"
        else:
            subject = str(self._meta.verbose_name)
        if not self.from_status or self.from_status == self.to_status:
            return f"{subject}：{self.to_label}"
        return f"{subject}：{self.from_label} → {self.to_label}"

    def _status_label(self, field: str) -> str:
        value = getattr(self, field)
        choices = dict(self._meta.get_field(field).flatchoices)
        if not choices and self.subject_field:
            # A transition row that does not repeat its object's choices reads them there.
            related = self._meta.get_field(self.subject_field).related_model
            try:
                choices = dict(related._meta.get_field("status").flatchoices)
            except FieldDoesNotExist:
                choices = {}
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
