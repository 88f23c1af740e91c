"""One-time ballot links: made and printed by staff, resolved by the ballot page."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from anping.errors import DomainError
from deputies.models import Mandate, Person

from ..models import (
    BallotPass,
    Participation,
    Poll,
    Round,
)
from ._common import (
    _require_staff_of,
    hash_token,
    serving_deputies,
)

# --- one-time ballot links ---------------------------------------------------------------------


def passes_issue(
    *, poll: Poll, by, persons: Iterable[Person] | None = None
) -> list[tuple[Person, str]]:
    """Make a one-time ballot link for each serving deputy (or the ones given), replacing any
    earlier link of theirs. The tokens are returned once, to be printed; only hashes are kept."""
    _require_staff_of(by, poll.round)
    if not poll.issues_links:
        raise DomainError(_("Ballot links are made before or during the vote only."))
    voters = serving_deputies(poll.round.term_id).distinct().order_by("name", "pk")
    if persons is not None:
        voters = voters.filter(pk__in=[p.pk for p in persons])
    issued = [(p, secrets.token_urlsafe(18)) for p in voters]
    with transaction.atomic():
        BallotPass.objects.filter(poll=poll, person__in=[p for p, _t in issued]).delete()
        BallotPass.objects.bulk_create(
            (BallotPass(poll=poll, person=p, token_hash=hash_token(t)) for p, t in issued),
            batch_size=2000,
        )
    return issued


def pass_resolve(token: str) -> BallotPass:
    """The ballot link behind a token, or a DomainError. It also says whether its deputy has
    voted (`voted`) and still serves in the poll's term (`serving`).

    The hall opens a thousand of these in a minute: one hand-written query for the link, the
    deputy's name and both facts (the ORM spent more time composing it than the database did
    answering it), then the poll with its round."""
    found = next(
        iter(
            BallotPass.objects.raw(
                f"SELECT bp.id, bp.poll_id, bp.person_id, bp.token_hash, pe.name AS person_name, "
                f"EXISTS (SELECT 1 FROM {Participation._meta.db_table} pa "
                f"WHERE pa.poll_id = bp.poll_id AND pa.person_id = bp.person_id) AS voted, "
                f"EXISTS (SELECT 1 FROM {Mandate._meta.db_table} m "
                f"JOIN {Round._meta.db_table} r ON r.term_id = m.term_id "
                f"JOIN {Poll._meta.db_table} po ON po.round_id = r.id "
                f"WHERE po.id = bp.poll_id AND m.person_id = bp.person_id AND m.status = %s) "
                f"AS serving "
                f"FROM {BallotPass._meta.db_table} bp "
                f"JOIN {Person._meta.db_table} pe ON pe.id = bp.person_id "
                f"WHERE bp.token_hash = %s",
                [Mandate.Status.SERVING, hash_token(token)],
            )
        ),
        None,
    )
    if found is None:
        raise DomainError(_("This ballot link is not valid. Ask the staff for a new one."))
    found.voted, found.serving = bool(found.voted), bool(found.serving)
    # The ballot needs the deputy's id and name only.
    found.person = Person(pk=found.person_id, name=found.person_name)
    found.poll = Poll.objects.select_related("round").get(pk=found.poll_id)
    return found
