"""Deputies' suggestions (代表建议): the suggestion, its handling units, replies, feedback,
commitments, evaluation and key-suggestion supervision.

Every change of state is written by `proposals.services` and recorded as a `Transition` row.
Dates that lists, reminders and monthly statistics filter on are indexed; statuses are
`TextChoices` nested in their model.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.access import ScopedQuerySet
from anping.history.models import TransitionBase
from anping.regions.models import Region
from anping.uploads.storage import UploadTo


class NumberSeries(models.Model):
    """The counter of one numbering series: a session's suggestions, or one year's recess
    suggestions of a term. Registration locks this row, so numbers have no gap and no double."""

    key = models.CharField(_("series"), max_length=60, unique=True)
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("numbering series")
        verbose_name_plural = _("numbering series")

    def __str__(self) -> str:
        return f"{self.key}: {self.last_number}"


class SuggestionQuerySet(ScopedQuerySet):
    """Staff: their region's suggestions once submitted (drafts are the deputy's own);
    deputies: those they lead or co-sign, and those merged with theirs; units: those with an
    assignment to their unit; evaluators: their cases; anyone else: none."""

    def for_staff(self, user) -> SuggestionQuerySet:
        # Drafts are the deputy's own; and a semi-join on the region ids of the subtree (not a
        # join on the path): the newest-first list then walks its index and stops at one page.
        path = access.staff_region_path(user)
        if path is None:
            return self.none()
        submitted = self.exclude(status=Suggestion.Status.DRAFT)
        if path == "":
            return submitted
        return submitted.filter(
            region_id__in=Region.objects.filter(path__startswith=path).values("pk")
        )

    def for_deputy(self, user) -> SuggestionQuerySet:
        # Not only the lead's: co-signers (invited or confirmed) and the leads of suggestions
        # merged into this one see it too.
        return self.filter(
            Q(lead__user=user)
            | Exists(
                CoSigner.objects.filter(
                    suggestion=OuterRef("pk"),
                    person__user=user,
                    status__in=[CoSigner.Status.INVITED, CoSigner.Status.CONFIRMED],
                )
            )
            | Exists(Suggestion.objects.filter(merged_into=OuterRef("pk"), lead__user=user))
        )

    def for_unit(self, user) -> SuggestionQuerySet:
        # A suggestion has no unit of its own: any assignment to the unit (in any round) shows it.
        return self.filter(
            Exists(
                Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=user.organisation_id)
            )
        )

    def for_evaluator(self, user) -> SuggestionQuerySet:
        # Through the evaluator's cases.
        return self.filter(
            Exists(Evaluation.objects.filter(suggestion=OuterRef("pk"), evaluator=user))
        )

    def for_lists(self) -> SuggestionQuerySet:
        return self.select_related("lead", "region", "session__term__congress", "term__congress")


class ReplyQuerySet(ScopedQuerySet):
    via = "suggestion"


class SuggestionPartQuerySet(ScopedQuerySet):
    """Rows that belong to one suggestion (feedback, supervision, history): visible with it."""

    via = "suggestion"


class ExtensionRequestQuerySet(ScopedQuerySet):
    via = "assignment"


class Suggestion(models.Model):
    """A deputy's suggestion: written by its lead deputy, co-signed by others, numbered on
    registration, handled by units, answered, rated by the deputy."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        RETURNED = "returned", _("Returned to the deputy for revision")
        DECLINED = "declined", _("Not registered")
        REGISTERED = "registered", _("Registered, awaiting assignment")
        ASSIGNED = "assigned", _("Being handled")
        SENT_BACK = "sent_back", _("Sent back by a unit, awaiting reassignment")
        ANSWERED = "answered", _("Answered, awaiting feedback")
        REHANDLING = "rehandling", _("Being handled again")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged into another suggestion")

    class Category(models.TextChoices):
        ECONOMY = "economy", _("Economy and industry")
        URBAN = "urban", _("Urban construction and management")
        RURAL = "rural", _("Agriculture and rural areas")
        EDUCATION = "education", _("Education, science and culture")
        HEALTH = "health", _("Health and social security")
        ECOLOGY = "ecology", _("Ecology and environment")
        TRANSPORT = "transport", _("Transport")
        GOVERNANCE = "governance", _("Government and the rule of law")
        OTHER = "other", _("Other")

    class Period(models.TextChoices):
        SESSION = "session", _("During a session")
        RECESS = "recess", _("Between sessions")

    OPEN_STATUSES = (Status.ASSIGNED, Status.SENT_BACK, Status.REHANDLING)

    lead = models.ForeignKey(
        "deputies.Person",
        verbose_name=_("lead deputy"),
        on_delete=models.PROTECT,
        related_name="suggestions_led",
    )
    term = models.ForeignKey(
        "deputies.Term",
        verbose_name=_("congress term"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The region of the lead deputy's mandate: county staff see their region's."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    period = models.CharField(_("filed"), max_length=8, choices=Period.choices, blank=True)
    session = models.ForeignKey(
        "deputies.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    series = models.CharField(_("numbering series"), max_length=60, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_label = models.CharField(_("number"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    assign_by = models.DateField(_("to be assigned by"), null=True, blank=True)
    assign_by_basis = models.CharField(
        _("how the assignment date was set"), max_length=200, blank=True
    )
    due_date = models.DateField(
        _("answer due"),
        null=True,
        blank=True,
        help_text=_("The earliest answer deadline of the units still handling it."),
    )
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    is_key = models.BooleanField(_("key suggestion"), default=False)
    key_chosen_at = models.DateTimeField(_("chosen as key suggestion at"), null=True, blank=True)
    key_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_suggestions",
    )
    gram_count = models.PositiveSmallIntegerField(_("distinct character pairs"), default=0)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"],
                condition=Q(number__isnull=False),
                name="suggestion_unique_number_in_series",
                violation_error_message=_("This number is already taken in its series."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | ~Q(series=""),
                name="suggestion_number_has_series",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="suggestion_merged_has_target",
                violation_error_message=_("A merged suggestion must name the one it joined."),
            ),
            models.CheckConstraint(
                condition=~Q(period="session") | Q(session__isnull=False),
                name="suggestion_session_period_has_session",
            ),
        ]
        indexes = [
            # Staff list: newest submitted first, a page at a time (with or without a status).
            models.Index(fields=["-submitted_at", "-id"], name="sugg_submitted_desc"),
            models.Index(fields=["status", "-submitted_at"], name="sugg_status_submitted"),
            # Reminders and "answered on time" figures: open suggestions by due date.
            models.Index(fields=["status", "due_date"], name="sugg_status_due"),
            # Monthly statistics: registered and answered per month.
            models.Index(fields=["registered_at"], name="sugg_registered_at"),
            models.Index(fields=["answered_at"], name="sugg_answered_at"),
            # A deputy's own list.
            models.Index(fields=["lead", "-created_at"], name="sugg_lead_created"),
            # Duplicate finder: candidates of a year.
            models.Index(fields=["year", "status"], name="sugg_year_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number_label} {self.title}" if self.number_label else self.title

    def clean(self):
        if self.status == self.Status.MERGED and not self.merged_into_id:
            raise ValidationError(_("A merged suggestion must name the one it joined."))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    # Status tests for templates (no template compares a status with a literal).
    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.REGISTERED

    @property
    def is_answered(self) -> bool:
        return self.status == self.Status.ANSWERED

    def status_badge(self) -> str:
        """The CSS class of its status badge in the portal."""
        if self.status in (self.Status.CLOSED,):
            return "ok"
        if self.status in (self.Status.DECLINED, self.Status.RETURNED, self.Status.SENT_BACK):
            return "bad"
        if self.status in (self.Status.ANSWERED, self.Status.SUBMITTED, self.Status.REHANDLING):
            return "warn"
        return ""

    def days_left(self) -> int | None:
        if self.due_date is None:
            return None
        return (self.due_date - timezone.localdate()).days


class CoSigner(models.Model):
    """A deputy invited to co-sign (联名), who confirms or declines on their own portal."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Invitation withdrawn")

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="cosigners"
    )
    person = models.ForeignKey(
        "deputies.Person",
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="cosigned",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "person"],
                name="cosigner_once_per_suggestion",
                violation_error_message=_("This deputy has already been invited."),
            ),
        ]
        indexes = [
            # A deputy's invitations awaiting an answer (portal start page).
            models.Index(fields=["person", "status"], name="cosigner_person_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"

    @property
    def is_invited(self) -> bool:
        return self.status == self.Status.INVITED


class Transition(TransitionBase):
    """One recorded step of a suggestion's history: who, when, from what, to what, and why.
    Steps that change no status (an extension granted, a contact recorded) are recorded too,
    with the same status on both sides."""

    class Action(models.TextChoices):
        CREATE = "create", _("Draft written")
        EDIT = "edit", _("Draft edited")
        INVITE = "invite", _("Co-signer invited")
        UNINVITE = "uninvite", _("Invitation withdrawn")
        COSIGN = "cosign", _("Co-signature confirmed")
        COSIGN_DECLINE = "cosign_decline", _("Co-signature declined")
        ATTACH = "attach", _("Attachment added")
        SUBMIT = "submit", _("Submitted")
        RETURN = "return", _("Returned to the deputy")
        DECLINE = "decline", _("Not registered")
        REGISTER = "register", _("Registered")
        ASSIGN = "assign", _("Assigned")
        SEND_BACK = "send_back", _("Sent back by a unit")
        REASSIGN = "reassign", _("Reassigned")
        EXTENSION_ASK = "extension_ask", _("Extension requested")
        EXTENSION_APPROVE = "extension_approve", _("Extension approved")
        EXTENSION_REFUSE = "extension_refuse", _("Extension refused")
        CONTACT = "contact", _("Deputy contacted")
        OPINION = "opinion", _("Co-unit opinion sent")
        REPLY = "reply", _("Unit replied")
        ANSWER = "answer", _("Answered")
        FEEDBACK = "feedback", _("Feedback given")
        REHANDLE = "rehandle", _("Handled again")
        CLOSE = "close", _("Closed")
        MERGE = "merge", _("Merged")
        KEY = "key", _("Chosen as key suggestion")
        SUPERVISOR = "supervisor", _("Supervising leader assigned")
        SUPERVISION = "supervision", _("Supervision recorded")
        EVALUATION_ASK = "evaluation_ask", _("Evaluation requested")
        EVALUATION_SEND = "evaluation_send", _("Sent to evaluation")
        EVALUATION_VERDICT = "evaluation_verdict", _("Evaluation verdict")
        REPEAT = "repeat", _("Earlier suggestion confirmed as the same problem")
        COMMITMENT_DONE = "commitment_done", _("Commitment carried out")
        DEADLINE = "deadline", _("Deadline recomputed")

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("step"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=Suggestion.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Suggestion.Status.choices)
    # The actor as shown at the time (a unit's staff with their unit's name), kept when the
    # account is renamed or removed.
    by_label = models.CharField(_("by (as shown)"), max_length=120, blank=True)

    subject_field = "suggestion"
    objects = SuggestionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("history step")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]
        indexes = [
            # A suggestion's timeline.
            models.Index(fields=["suggestion", "at"], name="transition_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}（{self.from_label} → {self.to_label}）"


class AssignmentQuerySet(ScopedQuerySet):
    region_path = "suggestion__region"
    unit_path = "unit"

    def for_deputy(self, user) -> AssignmentQuerySet:
        # Deputies and evaluators see who handles the suggestions they see.
        return self.filter(suggestion__in=Suggestion.objects.visible_to(user))

    for_evaluator = for_deputy

    def open(self) -> AssignmentQuerySet:
        return self.filter(status=Assignment.Status.OPEN)

    def answering(self) -> AssignmentQuerySet:
        return self.filter(role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT])


class Assignment(models.Model):
    """A suggestion given to one handling unit: as the lead unit (主办), a co-unit (协办/会办,
    which sends its opinion to the lead unit) or one of several units that split it (分办, each
    answering its part). Deadlines are computed from the settings and the working-day calendar
    and keep the text that explains them."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-handling unit")
        SPLIT = "split", _("Split: answers its part")

    class Status(models.TextChoices):
        OPEN = "open", _("Being handled")
        SENT_BACK = "sent_back", _("Sent back")
        REPLACED = "replaced", _("Reassigned to another unit")
        DONE = "done", _("Done")

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    start_date = models.DateField(_("assigned on"))
    due_date = models.DateField(_("due"))
    due_basis = models.CharField(_("how the deadline was computed"), max_length=300)
    send_back_until = models.DateField(_("may be sent back until"), null=True, blank=True)
    send_back_basis = models.CharField(
        _("how the send-back window was computed"), max_length=300, blank=True
    )
    extension_months = models.PositiveSmallIntegerField(_("months of extension granted"), default=0)
    opinion = models.TextField(_("co-unit opinion"), blank=True)
    opinion_at = models.DateTimeField(_("opinion sent at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion", "round", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                condition=Q(role="lead", status__in=["open", "done", "sent_back"]),
                name="assignment_one_lead_per_round",
                violation_error_message=_("A suggestion has one lead unit."),
            ),
            models.UniqueConstraint(
                fields=["suggestion", "unit", "round"],
                condition=Q(status__in=["open", "done", "sent_back"]),
                name="assignment_unit_once_per_round",
                violation_error_message=_("This unit already handles this suggestion."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="assignment_due_after_start",
            ),
        ]
        indexes = [
            # The unit inbox: a unit's open assignments by due date.
            models.Index(fields=["unit", "status", "due_date"], name="assignment_unit_inbox"),
            # Reminder scans: open assignments due on a given day, and overdue.
            models.Index(
                fields=["due_date"], condition=Q(status="open"), name="assignment_open_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"

    @property
    def answers(self) -> bool:
        return self.role in (self.Role.LEAD, self.Role.SPLIT)

    @property
    def is_co(self) -> bool:
        return self.role == self.Role.CO

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def days_left(self) -> int:
        return (self.due_date - timezone.localdate()).days

    def due_badge(self) -> str:
        left = self.days_left()
        if self.status != self.Status.OPEN:
            return "ok"
        return "bad" if left < 0 else ("warn" if left <= 15 else "")


class ExtensionRequest(models.Model):
    """A unit asking for more time; staff approve or refuse. Never beyond MAX_TOTAL_MONTHS."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    months = models.PositiveSmallIntegerField(_("months asked"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending",
                violation_error_message=_("An extension request is already awaiting a decision."),
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="extension_months_positive"),
        ]
        indexes = [
            # Staff's queue of requests awaiting a decision.
            models.Index(fields=["status", "requested_at"], name="extension_status"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} +{self.months}"


class ContactRecord(models.Model):
    """The unit contacted the deputy before answering (required before the reply)."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Telephone")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", _("Meeting or site inspection")
        OTHER = "other", _("Other")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="contacts"
    )
    contacted_on = models.DateField(_("contacted on"))
    method = models.CharField(_("how"), max_length=8, choices=Method.choices)
    notes = models.TextField(_("what was discussed"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact with the deputy")
        verbose_name_plural = _("contacts with the deputy")
        ordering = ["contacted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_method_display()}"


class Reply(models.Model):
    """A unit's answer to the deputies (to every signer, and to the deputies of merged
    suggestions), with its class."""

    class Grade(models.TextChoices):
        A = "A", _("A: solved or basically solved, or adopted")
        B = "B", _("B: being solved or planned (commitments with dates)")
        C = "C", _("C: waiting on conditions")
        D = "D", _("D: kept for reference")

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="replies"
    )
    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="reply"
    )
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    text = models.TextField(_("text"))
    grade = models.CharField(_("class"), max_length=1, choices=Grade.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_by = models.CharField(_("signed by"), max_length=60, blank=True)
    replied_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["round", "created_at", "pk"]
        indexes = [
            # Monthly statistics by class and date.
            models.Index(fields=["grade", "replied_on"], name="reply_grade_date"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.unit} · {self.grade}"


class CommitmentQuerySet(ScopedQuerySet):
    via = "reply"

    def overdue(self, today: dt.date | None = None) -> CommitmentQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=Commitment.Status.OPEN, due_date__lt=today)


class Commitment(models.Model):
    """A promise with a date in a B-class reply, followed until carried out (with evidence) or
    overdue: the answer to "answered but not carried out" (重答复、轻落实)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be carried out")
        DONE = "done", _("Carried out")

    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="commitments"
    )
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    text = models.CharField(_("commitment"), max_length=300)
    due_date = models.DateField(_("to be carried out by"))
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    done_on = models.DateField(_("carried out on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(evidence="") & Q(done_on__isnull=False)),
                name="commitment_done_has_evidence",
                violation_error_message=_("A commitment carried out needs its evidence and date."),
            ),
        ]
        indexes = [
            # Reminder scans and the unit's list: open commitments by due date.
            models.Index(fields=["unit", "status", "due_date"], name="commitment_unit_due"),
            models.Index(fields=["status", "due_date"], name="commitment_status_due"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def overdue_days(self) -> int:
        return max((timezone.localdate() - self.due_date).days, 0) if self.is_overdue else 0


class Feedback(models.Model):
    """The deputy's verdict on an answer. Written only by `services.feedback_give`, which only the
    deputy may call: no staff screen enters or changes it (the problem of 被满意)."""

    class Verdict(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="feedback"
    )
    deputy = models.ForeignKey(
        "deputies.Person",
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="suggestion_feedback",
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    verdict = models.CharField(_("verdict"), max_length=14, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    objects = SuggestionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("deputy's feedback")
        verbose_name_plural = _("deputies' feedback")
        ordering = ["round", "given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy", "round"],
                name="feedback_once_per_round",
                violation_error_message=_("Feedback has already been given for this answer."),
            ),
        ]
        indexes = [
            # Satisfaction figures by month.
            models.Index(fields=["verdict", "given_at"], name="feedback_verdict_date"),
        ]

    def __str__(self) -> str:
        return self.get_verdict_display()

    def badge(self) -> str:
        """The CSS class of its verdict badge."""
        return {self.Verdict.SATISFIED: "ok", self.Verdict.NOT_SATISFIED: "bad"}.get(
            self.verdict, "warn"
        )


class EvaluatorAppointment(models.Model):
    """A member of the expert pool appointed for a term to evaluate suggestions' handling."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="evaluator_appointments",
        limit_choices_to={"role": "evaluator"},
    )
    term = models.ForeignKey(
        "deputies.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("field of expertise"), max_length=60, blank=True)
    appointed_on = models.DateField(_("appointed on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("evaluator appointment")
        verbose_name_plural = _("evaluator pool")
        ordering = ["term", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "term"], name="evaluator_once_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} · {self.term}"


class EvaluationQuerySet(ScopedQuerySet):
    region_path = "suggestion__region"
    evaluator_path = "evaluator"


class Evaluation(models.Model):
    """Third-party evaluation (第三方评估) of how a suggestion was handled."""

    class Reason(models.TextChoices):
        NOT_SATISFIED = "not_satisfied", _("The deputy was not satisfied")
        BASIC = "basic", _("Basically satisfied, chosen by staff")
        REPEATED = "repeated", _("The same problem raised again in a later year")
        DEPUTY_ASKED = "deputy_asked", _("The deputy asked for it")
        UNIT_ASKED = "unit_asked", _("The handling unit asked for it")
        KEY = "key", _("Key suggestion (gate 3)")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested, awaiting an evaluator")
        ASSIGNED = "assigned", _("With the evaluator")
        DONE = "done", _("Verdict given")

    class Verdict(models.TextChoices):
        PROPER = "proper", _("Handled properly")
        AGAIN = "again", _("Handle again")
        REFERENCE = "reference", _("Keep for reference")

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    reason = models.CharField(_("why evaluated"), max_length=14, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    request_note = models.TextField(_("request"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    opinion = models.TextField(_("evaluator's opinion"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(status__in=["requested", "assigned"]),
                name="evaluation_one_open_per_suggestion",
                violation_error_message=_("This suggestion is already being evaluated."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(verdict="") & Q(evaluator__isnull=False)),
                name="evaluation_done_has_verdict",
            ),
            models.CheckConstraint(
                condition=~Q(status="assigned") | Q(evaluator__isnull=False),
                name="evaluation_assigned_has_evaluator",
            ),
        ]
        indexes = [
            # An evaluator's cases, and staff's queue of requests.
            models.Index(fields=["evaluator", "status"], name="evaluation_evaluator"),
            models.Index(fields=["status", "created_at"], name="evaluation_status"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} · {self.get_reason_display()}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class RepeatLink(models.Model):
    """Staff confirmed that an earlier suggestion raised the same problem (proposed by the
    duplicate finder): grounds for evaluation when a problem comes back year after year."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="repeats"
    )
    earlier = models.ForeignKey(
        Suggestion,
        verbose_name=_("earlier suggestion"),
        on_delete=models.CASCADE,
        related_name="repeated_by",
    )
    similarity = models.FloatField(_("similarity"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("same problem raised before")
        verbose_name_plural = _("same problems raised before")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "earlier"], name="repeat_link_once"),
            models.CheckConstraint(
                condition=~Q(suggestion=models.F("earlier")), name="repeat_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} ≈ {self.earlier_id}"


class SupervisionEvent(models.Model):
    """Gate 2 of a key suggestion: a visit, meeting or inspection by its supervising leader."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit to the unit")
        MEETING = "meeting", _("Supervision meeting")
        INSPECTION = "inspection", _("Site inspection")
        OTHER = "other", _("Other")

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="supervision_events",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = SuggestionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision event")
        verbose_name_plural = _("supervision events")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class AttachmentQuerySet(ScopedQuerySet):
    via = "suggestion"


class Attachment(models.Model):
    """A file belonging to a suggestion, a reply or a commitment's evidence. Served only through
    the download view, to those who may see the suggestion."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=UploadTo("proposals/attachments"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Shingle(models.Model):
    """One distinct pair of characters of a suggestion's title and opening: the inverted index the
    duplicate finder reads, on SQLite and PostgreSQL alike."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="+"
    )
    gram = models.CharField(_("character pair"), max_length=2)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("character pair")
        verbose_name_plural = _("character pairs")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "gram"], name="shingle_once"),
        ]
        indexes = [
            # The finder: suggestions of some years sharing these pairs.
            models.Index(fields=["gram", "year", "suggestion"], name="shingle_lookup"),
        ]

    def __str__(self) -> str:
        return self.gram
