"""What the livelihood steps share: scope checks, locks, the electorate, tokens and receipts."""

from __future__ import annotations

import hashlib
import random
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.orgs.models import Organisation
from deputies.models import Mandate, Person, Term

from ..models import (
    Poll,
    PollTransition,
    Round,
)

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in the hall
_shuffle = random.SystemRandom().shuffle


# --- helpers -----------------------------------------------------------------------------------


def _require_staff_of(user, round_: Round) -> None:
    """Committee staff whose region holds the round's congress."""
    if not Round.objects.visible_to(user).filter(pk=round_.pk).exists():
        raise NotAllowed(_("Only committee staff of this congress may do this."))


def _require_term(user, term_id: int | None) -> None:
    """The congress term a round is for lies in the writer's region (a county's staff cannot
    make a round of the city's congress, which would then hold the city's year)."""
    if not term_id or not (
        Term.objects.filter(access.region_q(user, "congress__region"), pk=term_id).exists()
    ):
        raise NotAllowed(_("Choose a congress of your own region."))


def _require_unit(user, unit_id: int | None) -> None:
    """A responsible unit is a government handling unit of the writer's region."""
    if not unit_id or not (
        Organisation.objects.filter(
            access.region_q(user, "region"), pk=unit_id, kind=Organisation.Kind.HANDLING_UNIT
        ).exists()
    ):
        raise NotAllowed(_("Choose a handling unit of your own region."))


def _stored(model, obj, user):
    """The row as stored, read through the writer's scope: the service checks the original,
    not only what the form now says (a change could move a row out of someone else's scope)."""
    if obj.pk is None:
        return None
    stored = model.objects.visible_to(user).filter(pk=obj.pk).first()
    if stored is None:
        raise NotAllowed(_("This is outside your region."))
    return stored


def _clean(obj) -> None:
    """Model validation as a domain error, so that every caller shows it as a message."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None


def _transition(poll: Poll, to: str, by, reason: str = "") -> None:
    PollTransition.objects.create(
        poll=poll, from_status=poll.status, to_status=to, by=by, reason=reason
    )
    poll.status = to


def _lock(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("round__term").get(pk=poll.pk)


def serving_deputies(term_id: int):
    """Persons with a serving mandate in the term: the electorate of its polls."""
    return Person.objects.filter(mandates__term_id=term_id, mandates__status=Mandate.Status.SERVING)


def is_voter(poll: Poll, person: Person | None) -> bool:
    return person is not None and (
        Mandate.objects.filter(
            person=person, term_id=poll.round.term_id, status=Mandate.Status.SERVING
        ).exists()
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _receipt_hash(poll_id: int, code: str) -> str:
    code = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(f"{poll_id}:{code}".encode()).hexdigest()


def _new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
