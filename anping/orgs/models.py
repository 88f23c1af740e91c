from django.db import models
from django.utils.translation import gettext_lazy as _

from anping.accounts.access import ScopedQuerySet


class OrganisationQuerySet(ScopedQuerySet):
    """Organisations are reference data for every signed-in role: a deputy must see which unit
    answers, a unit which committee it answers to, a county's staff the city's units they assign
    to. Writing is narrower: staff place organisations only in their own region
    (`anping.orgs.services`)."""

    def for_staff(self, user):
        return self.all()  # a county's staff assign suggestions to the city's units too

    def for_deputy(self, user):
        return self.all()  # the deputy sees which unit answers

    def for_unit(self, user):
        return self.all()  # a unit sees the committees and co-handling units it deals with

    def for_evaluator(self, user):
        return self.all()  # an evaluator sees the units of the cases assigned

    def handling_units(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.HANDLING_UNIT, is_active=True)


class Organisation(models.Model):
    """A body the portal deals with: a congress standing committee, or a government unit that
    handles suggestions and carries out livelihood projects."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("People's congress standing committee")
        SPECIAL_COMMITTEE = "special", _("Special committee or working body")
        HANDLING_UNIT = "unit", _("Government handling unit")
        # Residents' opinions also go to the bodies closest to them, and to the 12345 hotline
        # (a recorded hand-off: the hotline answers through its own system).
        TOWNSHIP = "township", _("Township government or street office")
        VILLAGE = "village", _("Village or community committee")
        HOTLINE = "hotline", _("12345 government service hotline")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    contact_person = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="org_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name
