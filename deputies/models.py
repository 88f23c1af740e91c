from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anping.accounts import access
from anping.history.models import TransitionBase
from anping.regions.models import Region


class Level(models.TextChoices):
    """The five levels of people's congress (代表层级)."""

    # A context of their own: "City" alone is also the region kind (市), and the project
    # catalog, read first, would name the level after it.
    NATIONAL = "national", pgettext_lazy("congress level", "National")
    PROVINCIAL = "provincial", pgettext_lazy("congress level", "Provincial")
    CITY = "city", pgettext_lazy("congress level", "City")
    COUNTY = "county", pgettext_lazy("congress level", "County")
    TOWNSHIP = "township", pgettext_lazy("congress level", "Township")


# The kind of region whose congress sits at each level.
LEVEL_REGION_KIND = {
    Level.NATIONAL: Region.Kind.COUNTRY,
    Level.PROVINCIAL: Region.Kind.PROVINCE,
    Level.CITY: Region.Kind.CITY,
    Level.COUNTY: Region.Kind.COUNTY,
    Level.TOWNSHIP: Region.Kind.TOWNSHIP,
}

CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """15 → 十五, 3 → 三, 21 → 二十一 (terms and sessions are written this way)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{head}十{CHINESE_NUMERALS[ones] if ones else ''}"


class ReferenceQuerySet(access.ScopedQuerySet):
    """Congresses, terms, sessions and expertise tags are public reference data: every signed-in
    role reads them all (a county's staff read the city's session numbers, a deputy files a
    suggestion in a session). Who may *change* them is decided by the services, not here."""

    def for_staff(self, user):
        return self.all()

    def for_deputy(self, user):
        return self.all()

    def for_unit(self, user):
        return self.all()

    def for_evaluator(self, user):
        return self.all()


class Expertise(models.Model):
    """A professional field a deputy can bring: law, fire safety, accounting, audit ..."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Congress(models.Model):
    """The people's congress of one region at one level, e.g. 安阳市人民代表大会."""

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="congresses"
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "region"], name="congress_one_per_level_region"
            ),
        ]

    def __str__(self) -> str:
        if self.level == Level.NATIONAL:
            return "全国人民代表大会"
        return f"{self.region.name}人民代表大会"

    @property
    def short_name(self) -> str:
        """ "市", "林州市" ...: the prefix used in suggestion numbers."""
        return {Level.NATIONAL: "全国", Level.PROVINCIAL: "省", Level.CITY: "市"}.get(
            self.level, self.region.name
        )


class Term(models.Model):
    """A numbered five-year term of a congress (届)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["congress__region__path", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="term_number_positive"),
        ]

    def __str__(self) -> str:
        congress = str(self.congress)
        return congress.replace("人民代表大会", f"第{chinese_number(self.number)}届人民代表大会")


class Session(models.Model):
    """A numbered session of a term (次会议), e.g. 安阳市第十五届人民代表大会第三次会议."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("session number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="session_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term}第{chinese_number(self.number)}次会议"

    @property
    def short_label(self) -> str:
        """ "市十五届人大三次会议": the prefix of suggestion numbers."""
        c = self.term.congress
        return f"{c.short_name}{chinese_number(self.term.number)}届人大{chinese_number(self.number)}次会议"


class PersonQuerySet(access.ScopedQuerySet):
    """Staff: persons holding a mandate in their region; a deputy: themself; others: no one."""

    deputy_path = ""  # the row is the person itself

    def for_staff(self, user):
        # A person has no region of their own: they are in a region through their mandates
        # (one person may sit in 林州市 and for the city), so the rule is "holds a mandate there".
        if access.staff_region_path(user) == "":
            return self.all()
        return self.filter(
            Exists(
                Mandate.objects.filter(person=OuterRef("pk")).filter(
                    access.region_q(user, "region")
                )
            )
        )

    def wholly_within(self, user) -> "PersonQuerySet":
        """Persons all of whose mandates lie in the staff member's region (and who hold one):
        only for them may a county's staff act as the person (link their portal account)."""
        if access.staff_region_path(user) == "":
            return self.all()
        outside = Mandate.objects.filter(person=OuterRef("pk")).exclude(
            access.region_q(user, "region")
        )
        return self.for_staff(user).filter(~Exists(outside))


class Person(models.Model):
    """A natural person who holds one or more deputy mandates. Persons and mandates are counted
    separately: a city deputy who is also a county deputy is one person with two mandates."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    # A person's name is 姓名, a tag's or a congress's 名称: one English word, two Chinese ones.
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    party = models.CharField(_("political affiliation"), max_length=30, blank=True)
    education = models.CharField(_("education"), max_length=30, blank=True)
    employer_post = models.CharField(_("employer and post"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=40, blank=True)
    expertise = models.ManyToManyField(
        Expertise, verbose_name=_("expertise"), blank=True, related_name="persons"
    )
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name", "pk"]
        permissions = [("view_personal_data", _("Can see mobile and ID numbers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="person_unique_id_number",
                violation_error_message=_("A deputy with this ID number already exists."),
            ),
        ]
        indexes = [
            # Import matching when a row has no ID number: name + birth date (+ region).
            models.Index(fields=["name", "birth_date"], name="person_name_birth"),
        ]

    def __str__(self) -> str:
        return self.name

    def masked_mobile(self) -> str:
        return access.mask_phone(self.mobile)

    def masked_id_number(self) -> str:
        return access.mask_id_number(self.id_number)

    def _shows_personal_data_to(self, user) -> bool:
        return access.may_see_personal_data(user) or (
            self.user_id is not None and self.user_id == getattr(user, "pk", None)
        )

    def mobile_for(self, user) -> str:
        """The mobile number as `user` may see it: in full for committee staff and for the
        deputy themself, masked (139****5678) for everyone else."""
        return self.mobile if self._shows_personal_data_to(user) else self.masked_mobile()

    def id_number_for(self, user) -> str:
        return self.id_number if self._shows_personal_data_to(user) else self.masked_id_number()


class MandateQuerySet(access.ScopedQuerySet):
    region_path = "region"
    deputy_path = "person"

    def serving(self) -> "MandateQuerySet":
        return self.filter(status=Mandate.Status.SERVING)


class Mandate(models.Model):
    """One person's seat in one term of one congress."""

    class Status(models.TextChoices):
        SERVING = "serving", _("Serving")
        RESIGNED = "resigned", _("Resigned")
        TERMINATED = "terminated", _("Terminated")
        DECEASED = "deceased", _("Deceased")

    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="mandates"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="mandates"
    )
    # Copied from the term's congress so that counts by level need no join; set by the services.
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, editable=False)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="mandates",
        help_text=_("The region the deputy belongs to in this congress."),
    )
    electoral_unit = models.CharField(_("electoral unit or delegation"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SERVING
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["person__name", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "term"],
                name="mandate_one_per_person_term",
                violation_error_message=_("This deputy already holds a mandate in this term."),
            ),
            models.CheckConstraint(
                condition=(Q(status="serving") & Q(end_date__isnull=True))
                | (~Q(status="serving") & Q(end_date__isnull=False)),
                name="mandate_end_date_iff_ended",
                violation_error_message=_(
                    "A serving mandate has no end date; an ended one must have one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="mandate_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            # Counts and filters by level and status (roster figures, coverage, vote eligibility).
            models.Index(fields=["level", "status"], name="mandate_level_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.term}"

    @property
    def is_serving(self) -> bool:
        return self.status == self.Status.SERVING


class MandateChangeQuerySet(access.ScopedQuerySet):
    via = "mandate"


class MandateChange(TransitionBase):
    """A recorded change of a mandate's status: who, when, from what, to what, and why."""

    subject_field = "mandate"

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Mandate.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Mandate.Status.choices)

    objects = MandateChangeQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("mandate change")
        verbose_name_plural = _("mandate changes")


class AccountLinkQuerySet(access.ScopedQuerySet):
    via = "person"


class AccountLink(TransitionBase):
    """A portal account linked to a deputy, or unlinked from them: who did it, when and why.
    The account is the deputy's identity on the portal (their ballot, feedback, ID number), so
    every change of it is a row here, written only by `services.person_link_account`."""

    class Status(models.TextChoices):
        UNLINKED = "unlinked", _("No portal account")
        LINKED = "linked", _("Portal account linked")

    subject_field = "person"

    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="account_links"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    # The account before and after (kept even when the account is deleted later: the names).
    old_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    new_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AccountLinkQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("portal account change")
        verbose_name_plural = _("portal account changes")


class RosterImportQuerySet(access.ScopedQuerySet):
    """Committee staff: the imports made in their region and below (a county's staff see
    their county's attempts, city staff every county's); anyone else: none."""

    region_path = "region"


class RosterImport(models.Model):
    """One roster workbook that was imported, or whose preview was refused for its errors:
    who sent which file (name, size, SHA-256), when, and what it did."""

    class Outcome(models.TextChoices):
        REFUSED = "refused", _("Previewed with errors")
        IMPORTED = "imported", _("Imported")

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The importer's region (their scope): county staff see the imports of their region.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    persons_created = models.PositiveIntegerField(_("deputies created"), default=0)
    persons_updated = models.PositiveIntegerField(_("deputies updated"), default=0)
    mandates_created = models.PositiveIntegerField(_("mandates created"), default=0)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="imported") | Q(error_rows__gt=0),
                name="roster_import_refused_has_errors",
                violation_error_message=_("A refused import has at least one row with errors."),
            ),
        ]
        indexes = [
            # The preview's "this file was already imported on … by …": by SHA-256, newest.
            models.Index(fields=["sha256", "-at"], name="roster_import_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_outcome_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.outcome == self.Outcome.REFUSED and not self.error_rows:
            raise ValidationError(_("A refused import has at least one row with errors."))
