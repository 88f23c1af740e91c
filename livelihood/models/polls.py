"""Polls: the vote and the rating, who took part (never how), the ballots and their marks,
the one-time links, the paper tally and the counted result. See the package's docstring for the
secrecy rules."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.history.models import TransitionBase

from .rounds import Candidate, Round


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
        from ..rules import rule_text

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
