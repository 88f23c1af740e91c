"""Local regulations as they are drafted: the project and its stages, the versions of the draft
split into articles, consultation rounds on a version, and the comments with their answers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.accounts.access import ScopedQuerySet
from anping.history.models import TransitionBase
from anping.orgs.models import Organisation
from anping.regions.models import Region
from anping.uploads import UploadTo
from deputies.models import Person

APPROVAL_MONTHS = 4  # 立法法 art. 81: the provincial committee decides within four months


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (民法典 art. 202)."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- projects --------------------------------------------------------------------------------


class ProjectQuerySet(ScopedQuerySet):
    region_path = "region"

    def for_deputy(self, user):
        # A deputy sees the projects of the rounds they are invited to, nothing else.
        return self.filter(
            Exists(
                Invitation.objects.filter(round__version__project=OuterRef("pk"), person__user=user)
            )
        )


class Project(models.Model):
    """A local regulation from the legislative plan (立项) to its promulgation."""

    class Stage(models.TextChoices):
        PLANNED = "planned", _("In the legislative plan")
        DRAFTING = "drafting", _("Drafting")
        READING = "reading", _("Reading at the standing committee")
        REVIEWED = "reviewed", _("Unified review done")
        VOTED = "voted", _("Adopted by vote")
        APPROVED = "approved", _("Approved by the province")
        PROMULGATED = "promulgated", _("Promulgated")

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible committee"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={
            "kind__in": [Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE]
        },
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.PLANNED, editable=False
    )
    readings = models.PositiveSmallIntegerField(_("readings held"), default=0, editable=False)
    voted_on = models.DateField(_("voted on"), null=True, blank=True, editable=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    promulgated_on = models.DateField(_("promulgated on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("regulation project")
        verbose_name_plural = _("regulation projects")
        ordering = ["-year", "-pk"]
        indexes = [
            # The year figures: projects of a year within a region's subtree.
            models.Index(fields=["year", "region"], name="legislation_project_year"),
        ]

    def __str__(self) -> str:
        return self.title

    # The predicates of the steps: the services enforce them, the admin shows a button by them.
    def may_start_drafting(self) -> bool:
        return self.stage == self.Stage.PLANNED

    def may_hold_reading(self) -> bool:
        return self.stage in (self.Stage.DRAFTING, self.Stage.READING)

    def may_review(self) -> bool:
        return self.stage == self.Stage.READING

    def may_vote(self) -> bool:
        return self.stage == self.Stage.REVIEWED

    def may_approve(self) -> bool:
        return self.stage == self.Stage.VOTED

    def may_promulgate(self) -> bool:
        return self.stage == self.Stage.APPROVED

    def may_upload_version(self) -> bool:
        return self.stage != self.Stage.PROMULGATED

    @property
    def is_promulgated(self) -> bool:
        return self.stage == self.Stage.PROMULGATED

    @property
    def approval_due(self) -> dt.date | None:
        return add_months(self.voted_on, APPROVAL_MONTHS) if self.voted_on else None

    @property
    def approval_overdue(self) -> bool:
        due = self.approval_due
        return bool(due and self.stage == self.Stage.VOTED and timezone.localdate() > due)


class ProjectTransitionQuerySet(ScopedQuerySet):
    via = "project"


class ProjectTransition(TransitionBase):
    """One stage passed: from, to, who, when and the remarks (a reading's members' remarks, the
    unified review's report, the vote's result)."""

    subject_field = "project"
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("from"), max_length=20, blank=True, choices=Project.Stage.choices
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Project.Stage.choices)
    meeting = models.CharField(_("meeting"), max_length=200, blank=True)
    held_on = models.DateField(_("date"), null=True, blank=True)

    objects = ProjectTransitionQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("project stage")
        verbose_name_plural = _("project stages")


# --- versions and their articles ---------------------------------------------------------------


class VersionQuerySet(ScopedQuerySet):
    via = "project"


class Version(models.Model):
    """One version of the draft, as uploaded (.docx), split into its articles."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Draft for comments (征求意见稿)")
        FIRST = "first", _("First-reading draft (一审稿)")
        SECOND = "second", _("Second-reading draft (二审稿)")
        THIRD = "third", _("Third-reading draft (三审稿)")
        VOTE = "vote", _("Draft for the vote (表决稿)")
        APPROVED = "approved", _("Text as approved")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version number"), editable=False)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title in the file"), max_length=200, blank=True, editable=False)
    file = models.FileField(_("file"), upload_to=UploadTo("legislation/versions"), editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="version_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project.title}（{self.get_kind_display()}）"


class ArticleQuerySet(ScopedQuerySet):
    via = "version"


class Article(models.Model):
    """One article (条) of a version, with the chapter and section it stands in and its parts:
    `parts` is a list of paragraphs (款), each `{"text": ..., "items": [{"label": "（一）",
    "text": ..., "subitems": [{"label": "1.", "text": ...}]}]}`."""

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveSmallIntegerField(_("article number"))
    label = models.CharField(_("article"), max_length=20)
    chapter = models.CharField(_("chapter"), max_length=200, blank=True)
    section = models.CharField(_("section"), max_length=200, blank=True)
    parts = models.JSONField(_("paragraphs"), default=list)
    text = models.TextField(_("text"))

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="article_number_once"),
        ]

    def __str__(self) -> str:
        return self.label


# --- consultation rounds -----------------------------------------------------------------------


class ContactPointQuerySet(ScopedQuerySet):
    region_path = "region"


class ContactPoint(models.Model):
    """A grassroots legislative contact point (基层立法联系点) that gathers comments locally."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ContactPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("legislative contact point")
        verbose_name_plural = _("legislative contact points")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoundQuerySet(ScopedQuerySet):
    region_path = "version__project__region"

    def for_deputy(self, user):
        # A deputy sees the rounds they are invited to.
        return self.filter(
            Exists(Invitation.objects.filter(round=OuterRef("pk"), person__user=user))
        )


class Round(models.Model):
    """A consultation round on one version, with a deadline; invited deputies comment, and the
    public too when it is opened to them."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for comments")
        CLOSED = "closed", _("Closed")

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"), default=timezone.localdate)
    deadline = models.DateTimeField(_("deadline"))
    is_public = models.BooleanField(_("open to the public"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, editable=False
    )
    activity = models.OneToOneField(
        "stations.Activity",
        verbose_name=_("duty activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legislation_round",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def project(self) -> Project:
        return self.version.project

    def accepts_comments(self, now: dt.datetime | None = None) -> bool:
        """Open, opened and not past its deadline: the rule every comment service checks."""
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and timezone.localdate(now) >= self.opens_on
            and now <= self.deadline
        )

    def may_close(self, now: dt.datetime | None = None) -> bool:
        return self.status == self.Status.OPEN and (now or timezone.now()) > self.deadline

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class RoundTransitionQuerySet(ScopedQuerySet):
    via = "round"


class RoundTransition(TransitionBase):
    subject_field = "round"
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("from"), max_length=20, blank=True, choices=Round.Status.choices
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Round.Status.choices)

    objects = RoundTransitionQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("round status change")
        verbose_name_plural = _("round status changes")


class InvitationQuerySet(ScopedQuerySet):
    region_path = "round__version__project__region"
    deputy_path = "person"


class Invitation(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    attended = models.BooleanField(_("attended a meeting of the round"), default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="invitation_once"),
        ]
        indexes = [
            # "Is this deputy invited?" and a deputy's rounds.
            models.Index(fields=["person", "round"], name="invitation_person_round"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.round_id}"


class CommentQuerySet(ScopedQuerySet):
    region_path = "round__version__project__region"
    deputy_path = "person"


class Comment(models.Model):
    """A comment on one article of the round's version (or on the draft as a whole), and its
    answer by the legislative affairs staff."""

    class Channel(models.TextChoices):
        DEPUTY = "deputy", _("Deputy")
        PUBLIC = "public", _("Public")
        CONTACT_POINT = "contact_point", _("Legislative contact point")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="comments"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("Empty: a comment on the draft as a whole."),
    )
    channel = models.CharField(_("channel"), max_length=14, choices=Channel.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        verbose_name=_("contact point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    public_name = models.CharField(_("name (optional)"), max_length=40, blank=True)
    public_phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    quote = models.CharField(_("words quoted"), max_length=300, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    outcome = models.CharField(
        _("answer"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    linked_article = models.ForeignKey(
        Article,
        verbose_name=_("changed article in a later version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changed_by_comments",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["round", "article__number", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(channel="deputy", person__isnull=False, contact_point__isnull=True)
                    | Q(channel="public", person__isnull=True, contact_point__isnull=True)
                    | Q(channel="contact_point", person__isnull=True, contact_point__isnull=False)
                ),
                name="comment_author_fits_channel",
                violation_error_message=_("The author does not fit the channel."),
            ),
        ]
        indexes = [
            # The answer sheet: a round's comments by article.
            models.Index(fields=["round", "article"], name="comment_round_article"),
            # The duty record: a deputy's comments by date.
            models.Index(fields=["person", "created_at"], name="comment_person_date"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_answered(self) -> bool:
        return self.outcome != self.Outcome.PENDING

    @property
    def is_adopted(self) -> bool:
        return self.outcome in (self.Outcome.ADOPTED, self.Outcome.PARTLY)

    def may_link(self) -> bool:
        """Only an adopted (or partly adopted) comment changed the text."""
        return self.is_adopted

    @property
    def author_label(self) -> str:
        if self.channel == self.Channel.DEPUTY and self.person_id:
            return self.person.name
        if self.channel == self.Channel.CONTACT_POINT and self.contact_point_id:
            return self.contact_point.name
        return self.public_name or str(_("A member of the public"))


class CommentTransitionQuerySet(ScopedQuerySet):
    via = "comment"


class CommentTransition(TransitionBase):
    """An answer given or changed, or a comment linked to the article it changed."""

    subject_field = "comment"
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("from"), max_length=20, blank=True, choices=Comment.Outcome.choices
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Comment.Outcome.choices)

    objects = CommentTransitionQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("answer history")
        verbose_name_plural = _("answer history")


class PhoneCode(models.Model):
    """A code sent by SMS to a member of the public who comments: kept only as a hash, valid for
    a few minutes and three attempts."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The latest code of a phone for a round; and the hourly sending limit.
            models.Index(fields=["phone", "created_at"], name="phonecode_phone_created"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.phone[:3]}****"
