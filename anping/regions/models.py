from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region and everything below it, through the materialised path."""
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    """An administrative region: country → province → city → county → township.

    `path` holds the codes from the root down ("/100000/410000/410500/"), so a whole subtree is
    one indexed prefix match however deep or wide the tree grows (a national deployment has
    some 40,000 townships).
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County, district or county-level city")
        TOWNSHIP = "township", _("Township or street")

    code = models.CharField(_("administrative code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [
            # Subtree queries: `path LIKE '/100000/410000/410500/%'` for every scoped list.
            models.Index(
                fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            # Finding a region by the name a county wrote in its spreadsheet.
            models.Index(fields=["name"], name="region_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)

    def contains(self, other: "Region | None") -> bool:
        return other is not None and other.path.startswith(self.path)

    def ancestor_of_kind(self, kind: str) -> "Region | None":
        """The region of the given kind above (or equal to) this one, e.g. the county of a township."""
        codes = self.path.strip("/").split("/")
        for region in Region.objects.filter(code__in=codes):
            if region.kind == kind:
                return region
        return None

    @property
    def full_name(self) -> str:
        """Name with its county or city, as counties write it: "林州市黄华镇"."""
        if self.kind == self.Kind.TOWNSHIP and self.parent_id:
            return f"{self.parent.name}{self.name}"
        return self.name
