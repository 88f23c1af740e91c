"""The unit's work: extensions, contact with the deputy, co-units' opinions, the reply and its
commitments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.accounts.models import User
from anping.errors import DomainError, NotAllowed
from anping.uploads.storage import original_filename

from .. import clock
from ..models import (
    Assignment,
    Attachment,
    Commitment,
    ContactRecord,
    ExtensionRequest,
    Reply,
    Suggestion,
)
from .assignment import units_without_accounts
from .common import (
    A,
    S,
    _lock,
    _notify,
    _now,
    _record,
    _refresh_due,
    _require,
    _require_reason,
    _require_staff,
    _require_state,
    _require_unit,
    _today,
    _unit_users,
    allowed,
    signers,
)

# At most this many commitments in one reply (the reply form offers as many rows).
MAX_COMMITMENTS = 10


def _check_answering(assignment: Assignment, user, suggestion=None, doing=None) -> None:
    """The unit's own open assignment of a suggestion still being handled."""
    _require_unit(user, assignment)
    _require(assignment.status == Assignment.Status.OPEN, _("This assignment is no longer open."))
    _require_state(
        suggestion or assignment.suggestion, Suggestion.OPEN_STATUSES, doing or _("handle it")
    )


def _open_answering(assignment: Assignment, by, doing: str) -> tuple[Suggestion, Assignment]:
    _require_unit(by, assignment)
    s = _lock(assignment.suggestion)
    a = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _check_answering(a, by, s, doing)
    return s, a


def _check_total_months(a: Assignment, months: int) -> None:
    total = clock.clock("ANSWER_MONTHS") + a.extension_months + months
    _require(
        total <= clock.clock("MAX_TOTAL_MONTHS"),
        _("With this extension the time would be %(total)s months; at most %(max)s months in all.")
        % {"total": total, "max": clock.clock("MAX_TOTAL_MONTHS")},
    )


def _check_extend(assignment: Assignment, user, *, suggestion=None, months: int = 1) -> None:
    a = assignment
    _check_answering(a, user, suggestion, _("ask for an extension"))
    _require(
        a.answers,
        _("A co-handling unit sends its opinion to the lead unit; it asks no extension."),
    )
    _require(
        a.round == 1,
        _("A suggestion handled again has its own short deadline and no extension."),
    )
    _check_total_months(a, months)
    _require(
        not any(r.status == ExtensionRequest.Status.PENDING for r in a.extension_requests.all()),
        _("An extension request is already awaiting a decision."),
    )


def may_extend(assignment: Assignment, user) -> bool:
    """An answering unit in the first round, with time left to ask for and no request pending."""
    return allowed(_check_extend, assignment, user)


def extension_request(*, assignment: Assignment, by, months: int, reason: str) -> ExtensionRequest:
    """The unit asks for more time; in all, never beyond MAX_TOTAL_MONTHS after assignment."""
    reason = _require_reason(reason)
    _require(months >= 1, _("Ask for at least one month."))
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("ask for an extension"))
        _check_extend(a, by, suggestion=s, months=months)
        req = ExtensionRequest.objects.create(
            assignment=a, months=months, reason=reason, requested_by=by
        )
        _record(
            s,
            A.EXTENSION_ASK,
            s.status,
            by,
            _("%(unit)s asks %(months)s months: %(reason)s")
            % {"unit": a.unit.name, "months": months, "reason": reason},
        )
    return req


def _check_decide_extension(request: ExtensionRequest, user, *, suggestion=None) -> None:
    _require_staff(user, suggestion or request.assignment.suggestion)
    _require(
        request.status == ExtensionRequest.Status.PENDING,
        _("This request has already been decided."),
    )


def may_decide_extension(request: ExtensionRequest, user) -> bool:
    """Committee staff of the suggestion's region, while the request awaits a decision."""
    return allowed(_check_decide_extension, request, user)


def extension_decide(
    *, request: ExtensionRequest, by, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Staff approve (the deadline moves) or refuse a unit's request."""
    assignment = request.assignment
    _require_staff(by, assignment.suggestion)
    if not approve:
        note = _require_reason(note)
    with transaction.atomic():
        s = _lock(assignment.suggestion)
        req = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _check_decide_extension(req, by, suggestion=s)
        req.decided_by, req.decided_at, req.decision_note = by, _now(), note
        if approve:
            _require(a.status == Assignment.Status.OPEN, _("This assignment is no longer open."))
            _check_total_months(a, req.months)
            req.status = ExtensionRequest.Status.APPROVED
            a.extension_months += req.months
            due, _w = clock.assignment_deadlines(a)
            a.due_date, a.due_basis = due.date, due.basis
            a.save(update_fields=["extension_months", "due_date", "due_basis"])
            _refresh_due(s)
            s.save(update_fields=["due_date"])
            text = _("%(unit)s: %(months)s months more, now due %(due)s") % {
                "unit": a.unit.name,
                "months": req.months,
                "due": clock.fmt(a.due_date),
            }
            _record(s, A.EXTENSION_APPROVE, s.status, by, f"{text}{('。' + note) if note else ''}")
        else:
            req.status = ExtensionRequest.Status.REFUSED
            _record(s, A.EXTENSION_REFUSE, s.status, by, f"{a.unit.name}：{note}")
        req.save()
        _notify(
            _unit_users([a.unit_id]),
            kind="proposals.extension",
            title=(
                _("Extension approved: %(title)s") if approve else _("Extension refused: %(title)s")
            )
            % {"title": s.title},
            suggestion=s,
        )
    return req


def may_handle(assignment: Assignment, user) -> bool:
    """The unit's staff, while its assignment is open: the unit's workspace offers its steps."""
    return allowed(_check_answering, assignment, user)


def _check_contact(assignment: Assignment, user, suggestion=None) -> None:
    _check_answering(assignment, user, suggestion, _("record a contact"))
    _require(
        assignment.answers,
        _("The unit that answers the deputy contacts them; a co-handling unit sends its opinion."),
    )


def may_contact(assignment: Assignment, user) -> bool:
    """An answering unit's staff (lead or split), while its assignment is open."""
    return allowed(_check_contact, assignment, user)


def contact_record(
    *, assignment: Assignment, by, contacted_on: dt.date, method: str, notes: str
) -> ContactRecord:
    """The unit records that it contacted the deputy (required before it replies)."""
    notes = (notes or "").strip()
    _require(bool(notes), _("Say what was discussed."))
    _require(contacted_on <= _today(), _("The contact date cannot be in the future."))
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("record a contact"))
        _check_contact(a, by, s)
        record = ContactRecord.objects.create(
            assignment=a, contacted_on=contacted_on, method=method, notes=notes, by=by
        )
        _record(
            s,
            A.CONTACT,
            s.status,
            by,
            f"{a.unit.name}（{record.get_method_display()}，{clock.fmt(contacted_on)}）：{notes}",
        )
    return record


def _check_opinion(assignment: Assignment, user, suggestion=None) -> None:
    _check_answering(assignment, user, suggestion, _("send an opinion"))
    _require(
        assignment.role == Assignment.Role.CO,
        _("Only a co-handling unit sends an opinion to the lead unit."),
    )


def may_send_opinion(assignment: Assignment, user) -> bool:
    """A co-handling unit's staff, while its assignment is open."""
    return allowed(_check_opinion, assignment, user)


def co_opinion_send(*, assignment: Assignment, by, opinion: str) -> Assignment:
    """A co-handling unit sends its opinion to the lead unit."""
    opinion = (opinion or "").strip()
    _require(bool(opinion), _("Write the opinion."))
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("send an opinion"))
        _check_opinion(a, by, s)
        a.opinion, a.opinion_at, a.done_at = opinion, _now(), _now()
        a.status = Assignment.Status.DONE
        a.save(update_fields=["opinion", "opinion_at", "done_at", "status"])
        _record(s, A.OPINION, s.status, by, a.unit.name)
    return a


def waiting_co_units(assignment: Assignment, suggestion=None, today=None) -> list[Assignment]:
    """The co-units whose opinion the lead unit still waits for (open, their time not up)."""
    if assignment.role != Assignment.Role.LEAD:
        return []
    s = suggestion or assignment.suggestion
    today = today or _today()
    return [
        x
        for x in s.assignments.all()
        if x.role == Assignment.Role.CO
        and x.status == Assignment.Status.OPEN
        and x.due_date >= today
    ]


def reply_waits_for(assignment: Assignment, suggestion=None, today=None) -> list[str]:
    """What the unit must still do or wait for before it may reply, in words: the contact with
    the deputy, the co-units' opinions (naming those with no account, which nobody would
    send)."""
    out = []
    if not assignment.contacts.all():
        out.append(_("Contact the deputy before replying, and record it."))
    waiting = waiting_co_units(assignment, suggestion, today)
    if waiting:
        out.append(
            _("Waiting for the opinion of %(units)s (due %(due)s).")
            % {
                "units": "、".join(w.unit.name for w in waiting),
                "due": clock.fmt(max(w.due_date for w in waiting)),
            }
        )
        silent = units_without_accounts([w.unit for w in waiting])
        if silent:
            out.append(
                _(
                    "%(units)s has no account in the portal: ask committee staff to create one or "
                    "contact the unit yourself."
                )
                % {"units": "、".join(u.name for u in silent)}
            )
    return out


def _check_reply(assignment: Assignment, user, *, suggestion=None, today=None) -> None:
    a = assignment
    s = suggestion or a.suggestion
    _check_answering(a, user, s, _("reply"))
    _require(a.answers, _("A co-handling unit sends its opinion to the lead unit, not a reply."))
    _require(a.round == s.round, _("This assignment belongs to an earlier round."))
    blockers = reply_waits_for(a, s, today)
    if blockers:
        raise DomainError(blockers[0])


def may_reply(assignment: Assignment, user, today=None) -> bool:
    """An answering unit of the current round, once the deputy was contacted and the co-units'
    opinions are in (or their time is up)."""
    return allowed(_check_reply, assignment, user, today=today)


def may_write_reply(assignment: Assignment, user) -> bool:
    """The reply is this unit's to write (whether or not it must still wait for something)."""
    try:
        _check_reply(assignment, user)
    except DomainError as exc:
        return str(exc) in reply_waits_for(assignment)
    return True


def reply_give(
    *,
    assignment: Assignment,
    by,
    text: str,
    grade: str,
    commitments: Sequence[tuple[str, dt.date]] = (),
    signed_by: str = "",
    files: Sequence = (),
) -> Reply:
    """The lead unit (or a unit answering its split part) answers the deputies. The deputy must
    have been contacted first; the co-units' opinions must be in (or their time up); a B-class
    reply lists its commitments with dates. When every answering unit has replied, the
    suggestion is answered and each signer is told."""
    text = (text or "").strip()
    _require(bool(text), _("Write the reply."))
    _require(grade in Reply.Grade.values, _("Choose the class of the reply."))
    commitments = [(t.strip(), d) for t, d in commitments if (t or "").strip()]
    _require(
        len(commitments) <= MAX_COMMITMENTS,
        _("A reply states at most %(n)s commitments.") % {"n": MAX_COMMITMENTS},
    )
    if grade == Reply.Grade.B:
        _require(bool(commitments), _("A B-class reply states its commitments, each with a date."))
    today = _today()
    for t, d in commitments:
        _require(
            d is not None and d >= today,
            _("Commitment %(text)s needs a date from today on.") % {"text": t},
        )
    from ..files import check_upload

    for f in files:
        check_upload(f)
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("reply"))
        _check_reply(a, by, suggestion=s, today=today)
        reply = Reply.objects.create(
            suggestion=s,
            assignment=a,
            round=a.round,
            text=text,
            grade=grade,
            author=by,
            signed_by=signed_by.strip(),
            replied_on=today,
        )
        Commitment.objects.bulk_create(
            [
                Commitment(reply=reply, unit_id=a.unit_id, text=t[:300], due_date=d)
                for t, d in commitments
            ]
        )
        for f in files:
            Attachment.objects.create(
                suggestion=s,
                reply=reply,
                file=f,
                name=original_filename(f),
                size=f.size or 0,
                uploaded_by=by,
            )
        a.status, a.done_at = Assignment.Status.DONE, _now()
        a.save(update_fields=["status", "done_at"])
        _record(s, A.REPLY, s.status, by, f"{a.unit.name}：{reply.get_grade_display()}")
        others_open = Assignment.objects.filter(
            suggestion=s,
            round=s.round,
            status__in=[Assignment.Status.OPEN, Assignment.Status.SENT_BACK],
        ).answering()
        if not others_open.exists():
            # Co-units whose time ran out without an opinion are closed with the answer.
            Assignment.objects.filter(
                suggestion=s, role=Assignment.Role.CO, status=Assignment.Status.OPEN
            ).update(status=Assignment.Status.DONE, done_at=_now())
            before = s.status
            s.status = S.ANSWERED
            s.answered_at = _now()
            s.due_date = None
            s.save(update_fields=["status", "answered_at", "due_date"])
            _record(s, A.ANSWER, before, by)
            _notify(
                [p.user for p in signers(s) if p.user_id],
                kind="proposals.answered",
                title=_("Your suggestion has been answered: %(title)s") % {"title": s.title},
                suggestion=s,
            )
        else:
            _refresh_due(s)
            s.save(update_fields=["due_date"])
    return reply


def _check_fulfil_actor(commitment: Commitment, user) -> None:
    if access.role_of(user) != User.Role.UNIT_STAFF or user.organisation_id != commitment.unit_id:
        raise NotAllowed(_("Only the staff of the unit that made the commitment may report it."))


def _check_fulfil(commitment: Commitment, user) -> None:
    _check_fulfil_actor(commitment, user)
    _require(
        commitment.status == Commitment.Status.OPEN,
        _("This commitment has already been reported carried out."),
    )


def may_fulfil(commitment: Commitment, user) -> bool:
    """The staff of the unit that made the commitment, while it is to be carried out."""
    return allowed(_check_fulfil, commitment, user)


def commitment_fulfil(
    *, commitment: Commitment, by, evidence: str, done_on: dt.date, file=None
) -> Commitment:
    """The unit reports a commitment carried out, with its evidence."""
    _check_fulfil_actor(commitment, by)
    evidence = (evidence or "").strip()
    _require(bool(evidence), _("Describe the evidence that it was carried out."))
    _require(done_on <= _today(), _("The date cannot be in the future."))
    if file is not None:
        from ..files import check_upload

        check_upload(file)
    with transaction.atomic():
        s = _lock(commitment.reply.suggestion)
        c = Commitment.objects.select_for_update().get(pk=commitment.pk)
        _check_fulfil(c, by)
        c.status, c.evidence, c.done_on, c.reported_by = (
            Commitment.Status.DONE,
            evidence,
            done_on,
            by,
        )
        c.save()
        if file is not None:
            Attachment.objects.create(
                suggestion=s,
                commitment=c,
                file=file,
                name=original_filename(file),
                size=file.size or 0,
                uploaded_by=by,
            )
        _record(s, A.COMMITMENT_DONE, s.status, by, f"{c.text}：{evidence}")
    return c
