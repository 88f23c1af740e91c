"""The deputy's draft: writing, revising, co-signers and attachments."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from anping.errors import DomainError, NotAllowed
from anping.uploads.storage import original_filename
from deputies.models import Mandate, Person

from ..models import (
    Attachment,
    CoSigner,
    Suggestion,
)
from .common import (
    A,
    S,
    _deputy_of,
    _lock,
    _notify,
    _now,
    _record,
    _require,
    _require_lead,
    _require_state,
    allowed,
)


def serving_mandates(person: Person):
    return (
        Mandate.objects.serving()
        .filter(person=person)
        .select_related("term__congress__region", "region")
        .order_by("term__congress__region__depth", "pk")
    )


# The states in which the lead deputy may still change a suggestion and its co-signers.
EDITABLE = (S.DRAFT, S.RETURNED)


def _check_edit(suggestion: Suggestion, user, doing=None) -> None:
    _require_lead(user, suggestion)
    _require_state(suggestion, EDITABLE, doing or _("edit it"))


def may_edit(suggestion: Suggestion, user) -> bool:
    """The lead deputy, while it is a draft or returned for revision: edit, attach, invite."""
    return allowed(_check_edit, suggestion, user)


def _check_respond(cosigner: CoSigner, user, suggestion: Suggestion | None = None) -> Person:
    person = _deputy_of(user)
    if person is None or person.pk != cosigner.person_id:
        raise NotAllowed(_("Only the invited deputy may answer this invitation."))
    _require(
        cosigner.status == CoSigner.Status.INVITED,
        _("This invitation has already been answered."),
    )
    _require_state(suggestion or cosigner.suggestion, EDITABLE, _("co-sign"))
    return person


def may_respond(cosigner: CoSigner, user) -> bool:
    """The invited deputy, while the invitation is open and the suggestion still a draft."""
    return allowed(_check_respond, cosigner, user)


def _check_withdraw(cosigner: CoSigner, user, suggestion: Suggestion | None = None) -> None:
    s = suggestion or cosigner.suggestion
    _check_edit(s, user, _("withdraw an invitation"))
    _require(
        cosigner.status == CoSigner.Status.INVITED,
        _("Only a pending invitation can be withdrawn."),
    )


def may_withdraw(cosigner: CoSigner, user) -> bool:
    return allowed(_check_withdraw, cosigner, user)


def suggestion_create(
    *, by, title: str, body: str, category: str, mandate: Mandate | None = None
) -> Suggestion:
    """A deputy writes a suggestion; it stays a draft, theirs alone, until submitted."""
    person = _deputy_of(by)
    if person is None:
        raise NotAllowed(_("Only deputies write suggestions."))
    mandates = list(serving_mandates(person))
    if mandate is None:
        _require(bool(mandates), _("You hold no serving mandate."))
        mandate = mandates[0]
    elif mandate.pk not in {m.pk for m in mandates}:
        raise NotAllowed(_("That mandate is not yours."))
    _require(
        bool(title.strip()) and bool(body.strip()), _("A suggestion needs a title and a text.")
    )
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            lead=person,
            term=mandate.term,
            region=mandate.region,
            title=title.strip(),
            body=body.strip(),
            category=category,
        )
        _record(suggestion, A.CREATE, "", by)
    return suggestion


def suggestion_update(
    *, suggestion: Suggestion, by, title: str, body: str, category: str
) -> Suggestion:
    """The lead deputy revises a draft, or a suggestion staff returned for revision."""
    _require_lead(by, suggestion)
    _require(
        bool(title.strip()) and bool(body.strip()), _("A suggestion needs a title and a text.")
    )
    with transaction.atomic():
        s = _lock(suggestion)
        _check_edit(s, by)
        s.title, s.body, s.category = title.strip(), body.strip(), category
        s.save(update_fields=["title", "body", "category"])
        _record(s, A.EDIT, s.status, by)
    return s


def cosigner_invite(*, suggestion: Suggestion, person: Person, by) -> CoSigner:
    """The lead invites another deputy of the same congress to co-sign."""
    _require_lead(by, suggestion)
    _require(
        person.pk != suggestion.lead_id, _("The lead deputy cannot co-sign their own suggestion.")
    )
    _require(
        Mandate.objects.serving().filter(person=person, term_id=suggestion.term_id).exists(),
        _("Only deputies of the same congress may co-sign."),
    )
    with transaction.atomic():
        s = _lock(suggestion)
        _check_edit(s, by, _("invite co-signers"))
        existing = CoSigner.objects.filter(suggestion=s, person=person).first()
        if existing and existing.status in (CoSigner.Status.INVITED, CoSigner.Status.CONFIRMED):
            raise DomainError(_("This deputy has already been invited."))
        if existing:
            existing.status, existing.invited_at, existing.responded_at = (
                CoSigner.Status.INVITED,
                _now(),
                None,
            )
            existing.save()
            cosigner = existing
        else:
            cosigner = CoSigner.objects.create(suggestion=s, person=person)
        _record(s, A.INVITE, s.status, by, reason=person.name)
        if person.user_id:
            _notify(
                [person.user],
                kind="proposals.cosign_invite",
                title=_("%(lead)s invites you to co-sign: %(title)s")
                % {"lead": s.lead.name, "title": s.title},
                suggestion=s,
            )
    return cosigner


def cosigner_withdraw(*, cosigner: CoSigner, by) -> CoSigner:
    suggestion = cosigner.suggestion
    _require_lead(by, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        c = CoSigner.objects.select_for_update().get(pk=cosigner.pk)
        _check_withdraw(c, by, s)
        c.status, c.responded_at = CoSigner.Status.WITHDRAWN, _now()
        c.save(update_fields=["status", "responded_at"])
        _record(s, A.UNINVITE, s.status, by, reason=c.person.name)
    return c


def cosigner_respond(*, cosigner: CoSigner, by, accept: bool) -> CoSigner:
    """The invited deputy confirms or declines, on their own portal."""
    person = _deputy_of(by)
    if person is None or person.pk != cosigner.person_id:
        raise NotAllowed(_("Only the invited deputy may answer this invitation."))
    with transaction.atomic():
        s = _lock(cosigner.suggestion)
        c = CoSigner.objects.select_for_update().get(pk=cosigner.pk)
        _check_respond(c, by, s)
        c.status = CoSigner.Status.CONFIRMED if accept else CoSigner.Status.DECLINED
        c.responded_at = _now()
        c.save(update_fields=["status", "responded_at"])
        _record(s, A.COSIGN if accept else A.COSIGN_DECLINE, s.status, by, reason=person.name)
    return c


def attachment_add(*, suggestion: Suggestion, by, file, reply=None, commitment=None) -> Attachment:
    """A file for a draft (by its lead), a reply or a commitment's evidence (by the unit).
    Its type is checked by content and its size limited (anping.uploads)."""
    from ..files import check_upload

    if reply is None and commitment is None:
        _check_edit(suggestion, by, _("add attachments"))
    check_upload(file)
    with transaction.atomic():
        s = _lock(suggestion)
        if reply is None and commitment is None:
            _check_edit(s, by, _("add attachments"))
        attachment = Attachment.objects.create(
            suggestion=s,
            reply=reply,
            commitment=commitment,
            file=file,
            name=original_filename(file),
            size=getattr(file, "size", 0) or 0,
            uploaded_by=by,
        )
        if reply is None and commitment is None:
            _record(s, A.ATTACH, s.status, by, reason=attachment.name)
    return attachment
