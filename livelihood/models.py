"""Livelihood projects (民生实事项目票决制): a year's round per congress, its candidates, the
secret-ballot vote that chooses them, their implementation and the year-end satisfaction rating.

Secrecy lives in the storage, not only on the screen. `Participation` records *that* a deputy
voted (one row per poll and person, unique in the database); `Ballot` and `Mark` record *what*
a ballot said. The two halves share no column: random UUID keys (no sequence), no timestamps,
nothing of the voter on the ballot and nothing of the ballot (not even the receipt) on the
participation. On close the poll's ballots, marks and participations are rewritten in a random
order in one transaction, so that their physical order and transaction ids carry nothing of the
order in which people voted (see docs/architecture.md for what remains).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.history.models import TransitionBase
from deputies.models import Term

# --- the round and its candidates --------------------------------------------------------------


class RoundQuerySet(access.ScopedQuerySet):
    """Committee staff: rounds of congresses in their region; nobody else through here (the
    public and deputies reach rounds through their published polls and projects)."""

    region_path = "term__congress__region"


class Round(models.Model):
    """One year of livelihood projects for one congress (city, county or township)."""

    term = models.ForeignKey(
        Term,
        verbose_name=_("congress term"),
        on_delete=models.PROTECT,
        related_name="livelihood_rounds",
        help_text=_("The congress and its current term: its serving deputies vote."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    collection_start = models.DateField(_("collection opens"))
    collection_end = models.DateField(_("collection closes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("livelihood round")
        verbose_name_plural = _("livelihood rounds")
        ordering = ["-year", "term__congress__region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "year"],
                name="lh_round_one_per_term_year",
                violation_error_message=_("This congress already has a round for that year."),
            ),
            models.CheckConstraint(
                condition=Q(collection_end__gte=models.F("collection_start")),
                name="lh_round_collection_ordered",
                violation_error_message=_("The collection cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.collection_start and self.collection_end:
            if self.collection_end < self.collection_start:
                raise ValidationError(_("The collection cannot close before it opens."))

    @property
    def congress(self):
        return self.term.congress

    def collecting_on(self, day: dt.date) -> bool:
        return self.collection_start <= day <= self.collection_end


class SuggestionQuerySet(access.ScopedQuerySet):
    region_path = "round__term__congress__region"


class Suggestion(models.Model):
    """A project idea sent in during the collection period, by the public, a deputy or a
    department. Staff turn the good ones into candidates of the government's list."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("The public")
        DEPUTY = "deputy", _("A deputy")
        DEPARTMENT = "department", _("A department")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ADOPTED = "adopted", _("Taken into the candidate list")
        NOT_ADOPTED = "not_adopted", _("Not taken up")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="suggestions"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    title = models.CharField(_("project idea"), max_length=120)
    description = models.TextField(_("description"))
    submitter_name = models.CharField(_("submitted by"), max_length=60)
    submitter_contact = models.CharField(_("contact"), max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.title

    def masked_contact(self) -> str:
        return access.mask_phone(self.submitter_contact)


class SuggestionTransitionQuerySet(access.ScopedQuerySet):
    via = "suggestion"


class SuggestionTransition(TransitionBase):
    """Staff's decision on a project idea (taken into the candidate list or not), as a row."""

    subject_field = "suggestion"

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("project idea"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=Suggestion.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Suggestion.Status.choices)

    objects = SuggestionTransitionQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("project idea decision")
        verbose_name_plural = _("project idea decisions")


class CandidateQuerySet(access.ScopedQuerySet):
    region_path = "round__term__congress__region"


class Candidate(models.Model):
    """A project on the government's candidate list for the vote."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="candidates"
    )
    number = models.PositiveSmallIntegerField(_("number on the ballot"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="livelihood_candidates",
        limit_choices_to={"kind": "unit"},
    )
    target = models.CharField(_("target"), max_length=300)
    funds = models.DecimalField(
        _("funds (10,000 yuan)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    timeline = models.CharField(_("timeline"), max_length=200)
    from_suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("from project idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidates",
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"],
                name="lh_candidate_unique_number",
                violation_error_message=_("Another candidate has this number on the ballot."),
            ),
            models.CheckConstraint(
                condition=Q(funds__gte=0),
                name="lh_candidate_funds_not_negative",
                violation_error_message=_("Funds cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def clean(self):
        if self.funds is not None and self.funds < 0:
            raise ValidationError({"funds": _("Funds cannot be negative.")})


# --- polls: the vote and the rating ------------------------------------------------------------


class PollQuerySet(access.ScopedQuerySet):
    """Staff: polls of congresses in their region. A deputy: polls of the terms they serve
    in. Units and outsiders: none (published results are public through `published()`)."""

    region_path = "round__term__congress__region"

    def for_deputy(self, user) -> PollQuerySet:
        # Not the deputy's own rows but the polls of every term they serve in.
        from deputies.models import Mandate

        return self.filter(
            round__term__mandates__person__user=user,
            round__term__mandates__status=Mandate.Status.SERVING,
        ).distinct()

    def published(self) -> PollQuerySet:
        return self.filter(status=Poll.Status.PUBLISHED)


class Poll(models.Model):
    """A secret ballot of a round's congress: the vote that chooses the projects, or the
    year-end satisfaction rating of the chosen ones. Its settings are frozen once it opens."""

    class Kind(models.TextChoices):
        VOTE = "vote", _("Vote on candidate projects")
        RATING = "rating", _("Year-end satisfaction rating")

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Closed and counted")
        PUBLISHED = "published", _("Result published")

    class Base(models.TextChoices):
        ALL_DEPUTIES = "all", _("All serving deputies of the congress")
        BALLOTS_CAST = "cast", _("Ballots cast")

    class TieRule(models.TextChoices):
        NONE_CHOSEN = "none", _("None of those tied at the last place is chosen")
        ALL_CHOSEN = "all", _("All of those tied at the last place are chosen")
        RUNOFF = "runoff", _("Those tied at the last place go to a run-off vote")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="polls"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.VOTE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARED
    )
    places = models.PositiveSmallIntegerField(_("places"), default=10)
    max_marks = models.PositiveSmallIntegerField(_("marks allowed per ballot"), default=10)
    base = models.CharField(
        _("pass rule base"), max_length=4, choices=Base.choices, default=Base.ALL_DEPUTIES
    )
    share_numerator = models.PositiveSmallIntegerField(_("share: numerator"), default=1)
    share_denominator = models.PositiveSmallIntegerField(_("share: denominator"), default=2)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"), default=3)
    tie_rule = models.CharField(
        _("tie at the last place"), max_length=8, choices=TieRule.choices, default=TieRule.RUNOFF
    )
    # Frozen when the poll opens: the number of serving deputies who may vote.
    electorate = models.PositiveIntegerField(_("deputies entitled to vote"), default=0)
    # Set when the poll closes (the count) and never changed afterwards.
    ballots_cast = models.PositiveIntegerField(_("ballots cast"), default=0)
    paper_cast = models.PositiveIntegerField(_("paper ballots cast"), default=0)
    paper_invalid = models.PositiveIntegerField(_("invalid paper ballots"), default=0)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    result_note = models.TextField(_("result note"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-round__year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind"],
                name="lh_poll_one_per_round_kind",
                violation_error_message=_("This round already has a poll of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1)
                & Q(max_marks__gte=1)
                & Q(max_marks__lte=models.F("places")),
                name="lh_poll_marks_within_places",
                violation_error_message=_(
                    "A ballot may carry at least one and at most as many marks as there are places."
                ),
            ),
            models.CheckConstraint(
                condition=Q(share_denominator__gte=1)
                & Q(share_numerator__lt=models.F("share_denominator"))
                & Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="lh_poll_fractions_valid",
                violation_error_message=_("Share and quorum must be fractions no larger than one."),
            ),
        ]
        indexes = [
            # The deputy's portal panel and the reminder scan: open polls.
            models.Index(fields=["status", "kind"], name="lh_poll_status_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_kind_display()}"

    def clean(self):
        if self.places is not None and self.max_marks is not None:
            if not 1 <= self.max_marks <= self.places:
                raise ValidationError(
                    {
                        "max_marks": _(
                            "A ballot may carry at least one and at most as many marks as there "
                            "are places."
                        )
                    }
                )
        if self.share_denominator and self.share_numerator >= self.share_denominator:
            raise ValidationError({"share_numerator": _("The share must be less than one.")})
        if self.quorum_denominator and self.quorum_numerator > self.quorum_denominator:
            raise ValidationError({"quorum_numerator": _("The quorum cannot exceed one.")})

    @property
    def is_vote(self) -> bool:
        return self.kind == self.Kind.VOTE

    @property
    def is_prepared(self) -> bool:
        return self.status == self.Status.PREPARED

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    # The steps' rules, on the object (as pretix's `order.cancel_allowed()`): the services
    # enforce them, and the admin's buttons and the ballot page show exactly what they allow.
    @property
    def settings_editable(self) -> bool:
        """Settings (and the candidate list of a vote) change only before voting opens."""
        return self.is_prepared

    @property
    def can_open(self) -> bool:
        return self.is_prepared

    @property
    def can_close(self) -> bool:
        return self.is_open

    @property
    def can_publish(self) -> bool:
        return self.is_closed

    @property
    def takes_ballots(self) -> bool:
        """Ballots (electronic or paper voters) are accepted only while voting is open."""
        return self.is_open

    @property
    def issues_links(self) -> bool:
        """One-time ballot links are made before or during the vote, and work until it closes."""
        return self.is_prepared or self.is_open

    @property
    def takes_paper_tally(self) -> bool:
        return self.is_vote and (self.is_open or self.is_closed)

    @property
    def shows_count(self) -> bool:
        """The count is shown to staff once the poll is closed, never before."""
        return self.is_closed or self.is_published

    @property
    def rule_text(self) -> str:
        """The pass rule in words, as printed on the ballot and in the result."""
        from .rules import rule_text

        return rule_text(self)


class PollScopedQuerySet(access.ScopedQuerySet):
    """Rows of a poll that only staff of the congress's region see."""

    region_path = "poll__round__term__congress__region"


class PollTransition(TransitionBase):
    """A recorded move of a poll's state: who, when, from what, to what, and why."""

    subject_field = "poll"

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=Poll.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Poll.Status.choices)

    objects = PollScopedQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("poll state change")
        verbose_name_plural = _("poll state changes")


class ParticipationQuerySet(access.ScopedQuerySet):
    """That a deputy voted is part of their duty record: staff of the region and the deputy."""

    region_path = "poll__round__term__congress__region"
    deputy_path = "person"


class Participation(models.Model):
    """The fact that a deputy voted in a poll, and how (on a phone or on paper). Never what.

    Random UUID key and no timestamp: nothing here orders or dates the vote, so nothing can be
    lined up with the ballots."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Electronic ballot")
        PAPER = "paper", _("Paper ballot")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        "deputies.Person",
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="livelihood_participations",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["poll", "person__name"]
        constraints = [
            # The one-ballot-per-deputy rule, in the database: two racing submissions meet here.
            models.UniqueConstraint(
                fields=["poll", "person"],
                name="lh_participation_one_per_poll_person",
                violation_error_message=_("This deputy has already voted in this poll."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.poll}"


class BallotQuerySet(access.ScopedQuerySet):
    """Nobody reads ballots one by one: only the count (services) and the result lines. No path
    is set, so every role sees none (staff included): a ballot must never become linkable."""

    def for_staff(self, user) -> BallotQuerySet:
        # The secrecy rule: not even the region's staff list ballots.
        return self.none()


class Ballot(models.Model):
    """What one ballot said, with nothing of who cast it. The receipt is kept only as a hash:
    the deputy holds the code, nobody else can reconstruct it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="ballots"
    )
    receipt_hash = models.CharField(_("receipt (hashed)"), max_length=64, blank=True)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [
            # Receipt check: does this code belong to a counted ballot of this poll?
            models.Index(
                fields=["receipt_hash"], condition=~Q(receipt_hash=""), name="lh_ballot_receipt"
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)


class Mark(models.Model):
    """One mark on a ballot: a candidate voted for, or a project rated with a grade."""

    class Grade(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        NOT_SATISFIED = "not", _("Not satisfied")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="marks"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate project"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "candidate"], name="lh_mark_one_per_ballot_candidate"
            ),
        ]

    def __str__(self) -> str:
        return str(self.candidate_id)


class BallotPass(models.Model):
    """A one-time ballot link for one deputy and one poll, printed (with a QR code) by staff
    before the session and handed over in a sealed slip. Only the hash of the token is kept.

    No timestamp of its use is stored: that it was used shows in the participation alone."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="passes"
    )
    person = models.ForeignKey(
        "deputies.Person", verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True)

    objects = PollScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot link")
        verbose_name_plural = _("ballot links")
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="lh_pass_one_per_poll_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.poll}"


class PaperTallyLine(models.Model):
    """The paper ballots' count for one candidate (or one project and grade), entered by staff
    once the paper ballots are counted. The totals (cast, invalid) sit on the poll."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="paper_lines"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate project"), on_delete=models.CASCADE, related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Mark.Grade.choices, blank=True)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("paper tally line")
        verbose_name_plural = _("paper tally lines")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "candidate", "grade"], name="lh_paper_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.count}"


class ResultLineQuerySet(access.ScopedQuerySet):
    region_path = "poll__round__term__congress__region"

    def published(self) -> ResultLineQuerySet:
        return self.filter(poll__status=Poll.Status.PUBLISHED)


class ResultLine(models.Model):
    """The counted result for one candidate of a closed poll. Written once, by `poll_close`."""

    class Outcome(models.TextChoices):
        CHOSEN = "chosen", _("Chosen")
        NOT_CHOSEN = "not_chosen", _("Not chosen")
        RUNOFF = "runoff", _("Tied at the last place: run-off")
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        NOT_SATISFIED = "not", _("Not satisfied")

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="results"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate project"), on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    votes = models.PositiveIntegerField(_("votes"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basic = models.PositiveIntegerField(_("basically satisfied"), default=0)
    not_satisfied = models.PositiveIntegerField(_("not satisfied"), default=0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)

    objects = ResultLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("result line")
        verbose_name_plural = _("result lines")
        ordering = ["poll", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "candidate"], name="lh_result_one_per_candidate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.outcome}"

    @property
    def badge(self) -> str:
        """The portal's badge class for the outcome."""
        good = (self.Outcome.CHOSEN, self.Outcome.SATISFIED)
        middle = (self.Outcome.RUNOFF, self.Outcome.BASIC)
        return "ok" if self.outcome in good else "warn" if self.outcome in middle else "bad"

    @property
    def rated(self) -> int:
        return self.satisfied + self.basic + self.not_satisfied

    def rate(self, part: int) -> float:
        return 100.0 * part / self.rated if self.rated else 0.0

    @property
    def satisfied_rate(self) -> float:
        return self.rate(self.satisfied)

    @property
    def basic_rate(self) -> float:
        return self.rate(self.basic)

    @property
    def not_satisfied_rate(self) -> float:
        return self.rate(self.not_satisfied)


# --- implementation ----------------------------------------------------------------------------


class ProjectQuerySet(access.ScopedQuerySet):
    """Staff: their region's projects. Unit staff: their unit's, and every published one (what
    the public sees, another unit sees too). Everyone else (deputies, evaluators and the public):
    the projects whose vote is published, through `public()`."""

    region_path = "round__term__congress__region"
    unit_path = "unit"

    def visible_to(self, user) -> ProjectQuerySet:
        # Published projects are public: the base's "nobody" for anonymous users and other roles
        # becomes "the published ones" here, and the unit's own rule adds to them.
        if access.is_committee_staff(user):
            return self.for_staff(user)
        from anping.accounts.models import User

        if access.role_of(user) == User.Role.UNIT_STAFF and user.organisation_id:
            return self.filter(Q(unit_id=user.organisation_id) | Q(pk__in=self.public()))
        return self.public()

    def public(self) -> ProjectQuerySet:
        return self.filter(
            round__polls__kind=Poll.Kind.VOTE, round__polls__status=Poll.Status.PUBLISHED
        )

    def with_progress(self, today: dt.date) -> ProjectQuerySet:
        """Each project's latest reported percentage and report date, and its milestones past
        their date and not done, in the same query."""
        latest = ProgressReport.objects.filter(project=models.OuterRef("pk")).order_by(
            "-reported_on", "-pk"
        )
        return self.annotate(
            latest_percent=models.Subquery(latest.values("percent")[:1]),
            latest_report_on=models.Subquery(latest.values("reported_on")[:1]),
            overdue_milestones=models.Count(
                "milestones",
                filter=Q(milestones__done_on__isnull=True) & Q(milestones__due_date__lt=today),
            ),
        )


class Project(models.Model):
    """A chosen project being carried out: its unit, plan, target, funds and report schedule."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Under way")
        COMPLETED = "completed", _("Completed")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="projects"
    )
    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("candidate project"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    title = models.CharField(_("title"), max_length=120)
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
        limit_choices_to={"kind": "unit"},
    )
    target = models.CharField(_("target"), max_length=300)
    funds = models.DecimalField(_("funds (10,000 yuan)"), max_digits=10, decimal_places=2)
    plan = models.TextField(_("implementation plan"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("planned completion"))
    report_every_days = models.PositiveSmallIntegerField(
        _("progress report every (days)"), default=30
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["round", "candidate__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="lh_project_dates_ordered",
                violation_error_message=_("The completion date cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(report_every_days__gte=1),
                name="lh_project_report_interval_positive",
                violation_error_message=_("Reports must be due at least every day."),
            ),
        ]
        indexes = [
            # The unit's portal list and the report-due scan: a unit's unfinished projects.
            models.Index(
                fields=["unit"], condition=Q(completed_on__isnull=True), name="lh_project_unit_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(_("The completion date cannot be before the start."))

    def expected_percent(self, today: dt.date) -> int:
        """Where the plan says the project should stand today, spread evenly over its dates."""
        if today <= self.start_date:
            return 0
        if today >= self.end_date:
            return 100
        span = (self.end_date - self.start_date).days or 1
        return int(100 * (today - self.start_date).days / span)

    def next_report_due(self, last_report_on: dt.date | None) -> dt.date | None:
        if self.completed_on:
            return None
        start = last_report_on or self.start_date
        return start + dt.timedelta(days=self.report_every_days)

    @property
    def state(self) -> str:
        return self.State.COMPLETED if self.completed_on else self.State.IN_PROGRESS

    @property
    def plan_editable(self) -> bool:
        """The plan, dates, unit and milestones change while the project is under way only."""
        return self.completed_on is None

    def is_behind(self, today: dt.date, latest_percent: int | None, overdue_milestones=0) -> bool:
        """Behind: a milestone past its date undone, or more than ten points under the plan."""
        if self.completed_on:
            return False
        if overdue_milestones:
            return True
        return (latest_percent or 0) + 10 < self.expected_percent(today)


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_date"]

    def __str__(self) -> str:
        return self.title

    @property
    def can_mark_done(self) -> bool:
        """A milestone is marked done once, while its project is under way."""
        return self.done_on is None and self.project.plan_editable


class ProjectChangeQuerySet(access.ScopedQuerySet):
    via = "project"


class ProjectChange(TransitionBase):
    """A recorded step of a project's implementation: its plan changed, a milestone done, the
    project completed. The project's state (under way, completed) is the from/to."""

    class Action(models.TextChoices):
        PLAN = "plan", _("Plan changed")
        MILESTONE = "milestone", _("Milestone done")
        COMPLETED = "completed", _("Completed")

    subject_field = "project"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=Project.State.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Project.State.choices)

    objects = ProjectChangeQuerySet.as_manager()

    class Meta(TransitionBase.Meta):
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")


class ProgressReportQuerySet(access.ScopedQuerySet):
    via = "project"


class ProgressReport(models.Model):
    """A unit's report on a project: how far it has come, in a percentage, words and photos."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    text = models.TextField(_("progress"))
    reported_on = models.DateField(_("reported on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="lh_progress_percent_at_most_100",
                violation_error_message=_("The percentage cannot exceed 100."),
            ),
        ]
        indexes = [
            # The latest report of each project (list annotations and the report-due scan).
            models.Index(fields=["project", "-reported_on"], name="lh_progress_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.percent}%"

    def clean(self):
        if self.percent is not None and self.percent > 100:
            raise ValidationError({"percent": _("The percentage cannot exceed 100.")})


def photo_path(instance, filename: str) -> str:
    """A random stored name: nothing the uploader typed reaches the file system."""
    return f"livelihood/progress/{uuid.uuid4().hex}"


class ProgressPhoto(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_path)
    content_type = models.CharField(_("content type"), max_length=60)

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")

    def __str__(self) -> str:
        return self.image.name


class SupervisionQuerySet(access.ScopedQuerySet):
    via = "project"


class Supervision(models.Model):
    """A deputies' supervision activity (民生实事监督, recorded in the stations app) held on a
    project. The link lives here so that stations never needs to know about livelihood."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="supervisions"
    )
    activity = models.ForeignKey(
        "stations.Activity",
        verbose_name=_("supervision activity"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "livelihood"},
    )

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        constraints = [
            models.UniqueConstraint(fields=["project", "activity"], name="lh_supervision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.activity_id}"

    def clean(self):
        from stations.models import Activity

        if self.activity_id and self.activity.kind != Activity.Kind.LIVELIHOOD:
            raise ValidationError(
                {"activity": _("Link an activity of the type livelihood-project supervision.")}
            )
