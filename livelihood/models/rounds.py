"""The round and its candidates: a year of one congress, the ideas sent in, the list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.history.models import TransitionBase
from deputies.models import Term


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
