"""Residents' opinions as a closed loop (issue 12).

A resident scans a deputy's or a station's card (`Card`), writes an opinion and confirms their
mobile number with a one-time SMS code (`Submission`, held until the code is right). The opinion
itself is a `stations.Opinion` (so the duty record and the statistics count it with the rest);
its loop is a `Case`: the deputy's step, the staff's dispatch to a handling unit, the unit's reply
on the clock, the resident's confirmation (or a follow-up call), each step a `CaseStep` row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.history.models import TransitionBase
from anping.orgs.models import Organisation
from anping.regions.models import Region
from anping.uploads.storage import UploadTo
from deputies.models import Person
from stations.models import Opinion, Station

# Organisations an opinion may be dispatched to.
HANDLING_KINDS = (
    Organisation.Kind.HANDLING_UNIT,
    Organisation.Kind.TOWNSHIP,
    Organisation.Kind.VILLAGE,
    Organisation.Kind.HOTLINE,
)


class CardQuerySet(access.ScopedQuerySet):
    deputy_path = "person"

    def for_staff(self, user):
        # A card belongs to a deputy or to a station: staff see those of their region.
        return self.filter(
            access.region_q(user, "station__region") | Q(person__in=Person.objects.visible_to(user))
        )


class Card(models.Model):
    """A public QR card (代表码, 联络站码): its token is the only thing the public URL carries."""

    token = models.CharField(_("token"), max_length=16, unique=True, editable=False)
    person = models.OneToOneField(
        Person,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opinion_card",
    )
    station = models.OneToOneField(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opinion_card",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("QR card")
        verbose_name_plural = _("QR cards")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, station__isnull=False)
                | Q(person__isnull=False, station__isnull=True),
                name="opinion_card_one_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.station)


class Submission(models.Model):
    """What a resident wrote, held until the SMS code confirms the mobile number. The code is
    kept only as a hash; three wrong codes or an expired code end the attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the code")
        VERIFIED = "verified", _("Verified")
        FAILED = "failed", _("Ended (wrong or expired code)")

    card = models.ForeignKey(
        Card, verbose_name=_("card"), on_delete=models.CASCADE, related_name="submissions"
    )
    deputy = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=12, choices=Opinion.Topic.choices)
    text = models.TextField(_("opinion"))
    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=30, blank=True)
    phone = models.CharField(_("mobile number"), max_length=11)
    address = models.GenericIPAddressField(_("address"), null=True)
    code_hash = models.CharField(_("code hash"), max_length=128)
    wrong_codes = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident's submission")
        verbose_name_plural = _("residents' submissions")
        indexes = [
            # The limits: submissions per mobile number / per address in the last hour.
            models.Index(fields=["phone", "created_at"], name="submission_phone_time"),
            models.Index(fields=["address", "created_at"], name="submission_addr_time"),
        ]

    def __str__(self) -> str:
        return f"{self.pk}"


class Photo(models.Model):
    """A photo a resident sent with an opinion (checked by content, served only through the
    opinion's scope)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=UploadTo("opinions/photos"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(access.ScopedQuerySet):
    region_path = "opinion__region"
    # A unit reads what is with it now or was answered by it (sending back clears the unit).
    unit_path = "unit"

    def for_deputy(self, user):
        # The deputy sees the cases of the opinions they see (their own and their station's).
        return self.filter(opinion__in=Opinion.objects.visible_to(user))

    def with_lists(self):
        """What every list shows, in the same query."""
        return self.select_related("opinion__region__parent", "opinion__taken_by", "unit")


class Case(models.Model):
    """The loop of one opinion: who has it, until when, what was answered, what the resident
    said. Each step is a service in `opinions.services` with its predicate next to it."""

    class Status(models.TextChoices):
        NEW = "new", _("New, with the deputy")
        PROPOSED = "proposed", _("Proposed for dispatch")
        DISPATCHED = "dispatched", _("With the handling unit")
        RETURNED = "returned", _("Sent back by the unit")
        ANSWERED = "answered", _("Answered, waiting for the resident")
        REOPENED = "reopened", _("Not solved: back for another try")
        SOLVED = "solved", _("Solved, confirmed by the resident")
        UNSOLVED = "unsolved", _("Not solved, confirmed by the resident")
        NOT_CONFIRMED = "unconfirmed", _("Closed without the resident's confirmation")
        CLOSED = "closed", _("Answered and closed by the deputy")
        SUGGESTION = "suggestion", _("Taken up as a suggestion")
        GUIDED = "guided", _("Guided to the legal channel")
        HANDED_OFF = "handed_off", _("Handed to the 12345 hotline")

    class Outcome(models.TextChoices):
        SOLVED = "solved", _("Solved")
        IN_PROGRESS = "in_progress", _("Being solved")
        CANNOT = "cannot", _("Cannot be solved")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")

    opinion = models.OneToOneField(
        Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="case"
    )
    code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    submission = models.OneToOneField(
        Submission,
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_cases",
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    due = models.DateField(_("answer due"), null=True, blank=True)
    due_explained = models.CharField(_("how the deadline was counted"), max_length=300, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    solve_by = models.DateField(_("to be solved by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True)
    reopened = models.BooleanField(_("sent back once by the resident"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=14, choices=Satisfaction.choices, blank=True
    )
    by_call = models.BooleanField(_("confirmed by a follow-up call"), default=False)
    suggestion = models.ForeignKey(
        "proposals.Suggestion",
        verbose_name=_("suggestion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CaseQuerySet.as_manager()

    OPEN = frozenset({Status.NEW, Status.PROPOSED, Status.RETURNED, Status.REOPENED})

    class Meta:
        verbose_name = _("opinion case")
        verbose_name_plural = _("opinion cases")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dispatched") | Q(unit__isnull=False, due__isnull=False),
                name="opinion_case_dispatched_has_unit",
            ),
        ]
        indexes = [
            # The unit's inbox: its cases by status, soonest due first.
            models.Index(fields=["unit", "status", "due"], name="opinion_case_inbox"),
            # The reminder and closing scans: cases in one status by date.
            models.Index(fields=["status", "due"], name="opinion_case_status_due"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_final(self) -> bool:
        return self.status not in self.OPEN | {
            self.Status.DISPATCHED,
            self.Status.ANSWERED,
        }

    @property
    def masked_phone(self) -> str:
        return access.mask_phone(self.phone)


class ReplyFileQuerySet(access.ScopedQuerySet):
    via = "case"


class ReplyFile(models.Model):
    """A file the handling unit sent with its answer (checked by content, at most three).
    Served to those who see the case; on the resident's tracking page only when it is an image
    and the unit said it shows no personal data (`shown_to_resident`)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="reply_files"
    )
    file = models.FileField(_("file"), upload_to=UploadTo("opinions/replies"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    shown_to_resident = models.BooleanField(_("shown on the tracking page"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = ReplyFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply attachment")
        verbose_name_plural = _("reply attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        from anping.uploads.validation import IMAGE_KINDS

        return self.kind in IMAGE_KINDS

    @property
    def is_public(self) -> bool:
        """May the tracking page (no account) show it: an image by content, marked by the unit
        as showing no personal data."""
        return self.is_image and self.shown_to_resident


class CaseStepQuerySet(access.ScopedQuerySet):
    via = "case"


class CaseStep(TransitionBase):
    """One step of a case: from, to, who, when, why (and the unit, where one was chosen)."""

    subject_field = "case"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=Case.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Case.Status.choices)
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CaseStepQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("opinion case step")
        verbose_name_plural = _("opinion case steps")


class WeChatGroupQuerySet(access.ScopedQuerySet):
    region_path = "region"
    deputy_path = "person"


class WeChatGroup(models.Model):
    """A village or community WeChat group a deputy joined and showed themselves in (亮身份)."""

    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="wechat_groups"
    )
    name = models.CharField(_("group name"), max_length=60)
    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField(_("joined on"))
    size = models.PositiveIntegerField(_("members"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = WeChatGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("WeChat group")
        verbose_name_plural = _("WeChat groups")
        ordering = ["-joined_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name", "region"], name="wechat_group_once")
        ]

    def __str__(self) -> str:
        return self.name
