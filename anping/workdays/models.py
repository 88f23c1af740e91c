"""The working-day calendar's exceptions to the weekend rule.

A day is a working day when it is Monday to Friday, unless the State Council declares it part of a
public holiday; and a Saturday or Sunday is a working day when it is declared a make-up working day
(调休上班). `CalendarDay` holds those exceptions: copied from the maintained `chinesecalendar`
package (`manage.py sync_workdays`) and entered by city staff for years the package does not cover
yet. The clock itself is in `calendar.py`; every write goes through `services.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.accounts import access


class CalendarQuerySet(access.ScopedQuerySet):
    """The calendar's rows: committee staff only; nobody else sees the rows themselves."""

    def for_staff(self, user) -> CalendarQuerySet:
        # The calendar is city-wide reference data with no region: every committee staff user
        # reads all of it (only city staff change it, see the services).
        return self.all()


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (day off)")
        WORKDAY = "workday", _("Make-up working day")

    class Source(models.TextChoices):
        PACKAGE = "package", _("State Council schedule (chinesecalendar package)")
        STAFF = "staff", _("Entered by staff")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("holiday"),
        max_length=50,
        help_text=_("The holiday this day belongs to, for example 春节 or 国庆节."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["-date"]
        # The clock reads the whole table at once (a few hundred rows), so the unique index on
        # the date is the only one it needs; the admin's date filter uses it too.
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                name="workdays_day_unique_date",
                violation_error_message=_("This date is already in the calendar."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="workdays_day_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["package", "staff"]),
                name="workdays_day_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            # Monday to Friday are working days already; a make-up day replaces a weekend day.
            raise ValidationError(
                {"kind": _("A make-up working day falls on a Saturday or a Sunday.")}
            )


class CalendarChange(models.Model):
    """One change of the calendar: who set or removed which day, when and why. Deadlines move
    when the calendar changes, so a unit asking why its deadline moved finds the answer here."""

    date = models.DateField(_("date"))
    kind_before = models.CharField(
        _("before"), max_length=10, choices=CalendarDay.Kind.choices, blank=True
    )
    kind_after = models.CharField(
        _("after"), max_length=10, choices=CalendarDay.Kind.choices, blank=True
    )
    name = models.CharField(_("holiday"), max_length=50, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-at", "-pk"]
        indexes = [
            # The admin's change log, newest first.
            models.Index(fields=["-at"], name="workdays_change_at"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.kind_before or '-'} → {self.kind_after or '-'}"
