from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .access import ScopedQuerySet, region_q


class UserQuerySet(ScopedQuerySet):
    """Staff see the accounts of their region: staff, deputies registered there and the staff
    of units there; superusers see every account; nobody else sees any."""

    region_path = "region"

    # An account belongs to a region through its own region or, for unit staff, its unit's:
    # either puts it in the list of that region's staff.
    def for_staff(self, user):
        return self.filter(region_q(user, "region") | region_q(user, "organisation__region"))


class AccountManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    """An account. Its role decides what it may see and do (see `anping.accounts.access`).

    A deputy's account is linked from the deputy's `Person` row (deputies app), so that the
    shared apps never import the deputies app.
    """

    class Role(models.TextChoices):
        CITY_STAFF = "city_staff", _("City committee staff")
        COUNTY_STAFF = "county_staff", _("County committee staff")
        DEPUTY = "deputy", _("Deputy")
        UNIT_STAFF = "unit_staff", _("Handling-unit staff")
        EVALUATOR = "evaluator", _("Evaluator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Committee staff see and manage this region and everything below it."),
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("For handling-unit staff: the unit whose work they do."),
    )
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)

    objects = AccountManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["city_staff", "county_staff"]) | Q(region__isnull=False),
                name="user_staff_has_region",
                violation_error_message=_("Committee staff must have a region."),
            ),
            models.CheckConstraint(
                condition=~Q(role="unit_staff") | Q(organisation__isnull=False),
                name="user_unit_staff_has_unit",
                violation_error_message=_("Handling-unit staff must belong to a unit."),
            ),
        ]

    @property
    def is_committee_staff(self) -> bool:
        return self.is_superuser or self.role in (self.Role.CITY_STAFF, self.Role.COUNTY_STAFF)
