"""The round and its candidates: rounds, the public's ideas and their decision, the list."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed

from ..models import (
    Candidate,
    Poll,
    Round,
    Suggestion,
    SuggestionTransition,
)
from ._common import (
    _clean,
    _require_staff_of,
    _require_term,
    _require_unit,
    _stored,
)

# --- the round and its candidates --------------------------------------------------------------


def round_save(*, round: Round, by) -> Round:
    """Add or change a round: its congress term lies in the writer's region (and, on a change,
    so did the round as stored). The term is frozen once the round's vote has opened."""
    stored = _stored(Round, round, by)
    _require_term(by, round.term_id)
    with transaction.atomic():
        if stored is not None:
            Round.objects.select_for_update().get(pk=stored.pk)
            if stored.term_id != round.term_id and candidates_frozen(stored.pk):
                raise DomainError(
                    _("The vote has opened: the round's congress can no longer change.")
                )
        _clean(round)
        try:
            with transaction.atomic():
                round.save()
        except IntegrityError:
            raise DomainError(_("This congress already has a round for that year.")) from None
    return round


def round_delete(*, round: Round, by) -> None:
    """A round goes only while nothing was voted on in it."""
    _stored(Round, round, by)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        if Poll.objects.filter(round_id=round.pk).exclude(status=Poll.Status.PREPARED).exists():
            raise DomainError(_("A round that has held a vote cannot be deleted."))
        round.delete()


# The public's ideas: a description of a page or two is plenty; and the size is refused before
# anything is stored.
SUGGESTION_MAX_DESCRIPTION = 4000


def suggestion_source_for(user) -> str:
    """Where an idea comes from is who sent it, not what the sender claims: a signed-in
    deputy's idea is a deputy's, a handling unit's is a department's, anyone else's the
    public's."""
    from anping.accounts.models import User

    role = access.role_of(user)
    if role == User.Role.DEPUTY:
        return Suggestion.Source.DEPUTY
    if role == User.Role.UNIT_STAFF:
        return Suggestion.Source.DEPARTMENT
    return Suggestion.Source.PUBLIC


def suggestion_submit(
    *,
    round: Round,
    title: str,
    description: str,
    submitter_name: str,
    submitter_contact: str = "",
    user=None,
    today: dt.date | None = None,
) -> Suggestion:
    """A project idea from the public, a deputy or a department, during the collection period.
    The source is taken from who is signed in (anonymous: the public)."""
    today = today or timezone.localdate()
    if not round.collecting_on(today):
        raise DomainError(_("Project ideas for this round are not being collected now."))
    if not title.strip() or not description.strip() or not submitter_name.strip():
        raise DomainError(_("Give the idea a title, a description and your name."))
    if len(description) > SUGGESTION_MAX_DESCRIPTION:
        raise DomainError(
            _("Keep the description within %(n)s characters.") % {"n": SUGGESTION_MAX_DESCRIPTION}
        )
    return Suggestion.objects.create(
        round=round,
        source=suggestion_source_for(user),
        title=title.strip()[:120],
        description=description.strip(),
        submitter_name=submitter_name.strip()[:60],
        submitter_contact=submitter_contact.strip()[:40],
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
    )


def suggestion_save(*, suggestion: Suggestion, by) -> Suggestion:
    """Staff enter or correct an idea (one sent by letter, say): its round lies in their region,
    and so did the idea as stored. Its decision is `suggestion_decide`'s alone."""
    stored = _stored(Suggestion, suggestion, by)
    round_ = Round.objects.visible_to(by).filter(pk=suggestion.round_id).first()
    if round_ is None:
        raise NotAllowed(_("Choose a round of your own region."))
    if stored is not None:
        suggestion.status = stored.status
        suggestion.submitted_by_id = stored.submitted_by_id
    _clean(suggestion)
    suggestion.save()
    return suggestion


def suggestion_delete(*, suggestion: Suggestion, by) -> None:
    """An idea goes only while it is not on the candidate list."""
    stored = _stored(Suggestion, suggestion, by)
    if stored.status == Suggestion.Status.ADOPTED:
        raise DomainError(_("An idea taken into the candidate list cannot be deleted."))
    suggestion.delete()


def may_decide(suggestion: Suggestion) -> bool:
    """An idea is decided (and its decision changed) until the round's candidate list freezes."""
    return not candidates_frozen(suggestion.round_id)


def suggestion_decide(*, suggestion: Suggestion, adopted: bool, by, reason: str = "") -> Suggestion:
    """Staff record whether an idea was taken into the candidate list (a transition row)."""
    _require_staff_of(by, suggestion.round)
    to = Suggestion.Status.ADOPTED if adopted else Suggestion.Status.NOT_ADOPTED
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if not may_decide(locked):
            raise DomainError(_("The vote has opened: the candidate list can no longer change."))
        if locked.status == to:
            return locked  # already so: nothing to record
        SuggestionTransition.objects.create(
            suggestion=locked, from_status=locked.status, to_status=to, by=by, reason=reason
        )
        locked.status = to
        locked.save(update_fields=["status"])
    return locked


def candidates_frozen(round_id: int) -> bool:
    """The candidate list is frozen once the round's vote has opened."""
    return (
        Poll.objects.filter(round_id=round_id, kind=Poll.Kind.VOTE)
        .exclude(status=Poll.Status.PREPARED)
        .exists()
    )


def candidate_save(*, candidate: Candidate, by) -> Candidate:
    """Add or change a candidate on the government's list; not once the vote has opened. Its
    round, unit and source idea lie in the writer's region (and so did the candidate stored)."""
    stored = _stored(Candidate, candidate, by)
    round_ = Round.objects.visible_to(by).filter(pk=candidate.round_id).first()
    if round_ is None:
        raise NotAllowed(_("Choose a round of your own region."))
    _require_unit(by, candidate.unit_id)
    if candidate.from_suggestion_id and not (
        Suggestion.objects.filter(pk=candidate.from_suggestion_id, round_id=round_.pk).exists()
    ):
        raise DomainError(_("The project idea must be one of this round's."))
    rounds = sorted({round_.pk, stored.round_id if stored else round_.pk})
    with transaction.atomic():
        list(Round.objects.select_for_update().filter(pk__in=rounds).order_by("pk"))
        if any(candidates_frozen(r) for r in rounds):
            raise DomainError(_("The vote has opened: the candidate list can no longer change."))
        _clean(candidate)
        candidate.save()
        if candidate.from_suggestion_id:
            suggestion = Suggestion.objects.get(pk=candidate.from_suggestion_id)
            suggestion_decide(suggestion=suggestion, adopted=True, by=by)
    return candidate


def candidate_delete(*, candidate: Candidate, by) -> None:
    stored = _stored(Candidate, candidate, by)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=stored.round_id)
        if candidates_frozen(stored.round_id):
            raise DomainError(_("The vote has opened: the candidate list can no longer change."))
        candidate.delete()
