"""Every step of a suggestion's life, one function each.

A step checks who is acting and the state it finds, raises `DomainError` (or `NotAllowed`) with a
Chinese message when the step is not allowed, changes the rows inside `transaction.atomic()` with
the suggestion locked (`select_for_update`), and writes a `Transition` row. The portal views, the
admin actions, the demo data and the tasks all call these; nothing else changes a status. Two
people taking the same step at once: the second waits for the lock, then finds the state changed
and is told so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.uploads.storage import original_filename
from deputies.models import Mandate, Person, Session, chinese_number

from . import clock
from .models import (
    Assignment,
    Attachment,
    Commitment,
    ContactRecord,
    CoSigner,
    Evaluation,
    EvaluatorAppointment,
    ExtensionRequest,
    Feedback,
    NumberSeries,
    RepeatLink,
    Reply,
    Suggestion,
    SupervisionEvent,
    Transition,
)

S = Suggestion.Status
A = Transition.Action


# --- helpers -----------------------------------------------------------------------------------


def _now():
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def actor_label(user) -> str:
    if user is None:
        return _("the portal")
    name = user.get_full_name() or user.username
    if access.role_of(user) == "unit_staff" and user.organisation_id:
        return f"{name}（{user.organisation.name}）"
    return name


def _record(suggestion, action, from_status, by, reason="", to_status=None) -> Transition:
    return Transition.objects.create(
        suggestion=suggestion,
        action=action,
        from_status=from_status or "",
        to_status=to_status or suggestion.status,
        by=by,
        by_label=actor_label(by),
        reason=reason,
    )


def _lock(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise DomainError(message)


def _deputy_of(user) -> Person | None:
    if access.role_of(user) != "deputy":
        return None
    return Person.objects.filter(user=user).first()


def _require_lead(user, suggestion: Suggestion) -> Person:
    person = _deputy_of(user)
    if person is None or person.pk != suggestion.lead_id:
        raise NotAllowed(_("Only the lead deputy may do this."))
    return person


def staff_may(user, suggestion: Suggestion) -> bool:
    """Committee staff whose region covers the suggestion."""
    path = access.staff_region_path(user)
    if path is None:
        return False
    return path == "" or suggestion.region.path.startswith(path)


def _require_staff(user, suggestion: Suggestion) -> None:
    if not staff_may(user, suggestion):
        raise NotAllowed(_("Only committee staff of this suggestion's region may do this."))


def _require_unit(user, assignment: Assignment) -> None:
    if access.role_of(user) != "unit_staff" or user.organisation_id != assignment.unit_id:
        raise NotAllowed(_("Only the staff of the unit this was assigned to may do this."))


def _require_state(suggestion: Suggestion, allowed: Iterable[str], doing: str) -> None:
    if suggestion.status not in tuple(allowed):
        raise DomainError(
            _("Cannot %(doing)s: the suggestion is %(status)s.")
            % {"doing": doing, "status": suggestion.get_status_display()}
        )


def _notify(users, *, kind, title, suggestion, body="") -> None:
    from anping.notifications.services import notify

    url = reverse("proposals:detail", args=[suggestion.pk])
    for user in users:
        if user is not None and user.is_active:
            notify(recipient=user, kind=kind, title=title, body=body, url=url, subject=suggestion)


def _unit_users(unit_ids):
    from anping.accounts.models import User

    return User.objects.filter(
        role=User.Role.UNIT_STAFF, organisation_id__in=list(unit_ids), is_active=True
    )


def signers(suggestion: Suggestion) -> list[Person]:
    """Everyone the answer goes to: the lead and confirmed co-signers, and those of every
    suggestion merged into this one."""
    ids = [
        suggestion.pk,
        *Suggestion.objects.filter(merged_into=suggestion).values_list("pk", flat=True),
    ]
    people = list(
        Person.objects.filter(
            Q(suggestions_led__in=ids)
            | Q(cosigned__suggestion__in=ids, cosigned__status=CoSigner.Status.CONFIRMED)
        )
        .select_related("user")
        .distinct()
    )
    return people


def feedback_givers(suggestion: Suggestion) -> list[int]:
    """Person ids whose feedback an answer awaits: the lead, and the leads of merged ones."""
    return [
        suggestion.lead_id,
        *Suggestion.objects.filter(merged_into=suggestion).values_list("lead_id", flat=True),
    ]


def _refresh_due(suggestion: Suggestion) -> None:
    dues = (
        Assignment.objects.filter(
            suggestion=suggestion, round=suggestion.round, status=Assignment.Status.OPEN
        )
        .answering()
        .values_list("due_date", flat=True)
    )
    suggestion.due_date = min(dues, default=None)


# --- the deputy's draft ------------------------------------------------------------------------


def serving_mandates(person: Person):
    return (
        Mandate.objects.serving()
        .filter(person=person)
        .select_related("term__congress__region", "region")
        .order_by("term__congress__region__depth", "pk")
    )


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
        _require_state(s, [S.DRAFT, S.RETURNED], _("edit it"))
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
        _require_state(s, [S.DRAFT, S.RETURNED], _("invite co-signers"))
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
        _require_state(s, [S.DRAFT, S.RETURNED], _("withdraw an invitation"))
        _require(
            c.status == CoSigner.Status.INVITED, _("Only a pending invitation can be withdrawn.")
        )
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
        _require(
            c.status == CoSigner.Status.INVITED, _("This invitation has already been answered.")
        )
        _require_state(s, [S.DRAFT, S.RETURNED], _("co-sign"))
        c.status = CoSigner.Status.CONFIRMED if accept else CoSigner.Status.DECLINED
        c.responded_at = _now()
        c.save(update_fields=["status", "responded_at"])
        _record(s, A.COSIGN if accept else A.COSIGN_DECLINE, s.status, by, reason=person.name)
    return c


def attachment_add(*, suggestion: Suggestion, by, file, reply=None, commitment=None) -> Attachment:
    """A file for a draft (by its lead), a reply or a commitment's evidence (by the unit).
    Its type is checked by content and its size limited (anping.uploads)."""
    from .files import check_upload

    if reply is None and commitment is None:
        _require_lead(by, suggestion)
        _require_state(suggestion, [S.DRAFT, S.RETURNED], _("add attachments"))
    check_upload(file)
    with transaction.atomic():
        s = _lock(suggestion)
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


# --- submission, review, numbering -------------------------------------------------------------


def current_session(term_id: int, day: dt.date) -> Session | None:
    return (
        Session.objects.filter(term_id=term_id, start_date__lte=day, end_date__gte=day)
        .select_related("term__congress__region")
        .first()
    )


def suggestion_submit(*, suggestion: Suggestion, by) -> Suggestion:
    """The lead submits: filed during the session sitting today, or between sessions."""
    _require_lead(by, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(s, [S.DRAFT, S.RETURNED], _("submit it"))
        _require(
            not s.cosigners.filter(status=CoSigner.Status.INVITED).exists(),
            _(
                "Some invited co-signers have not answered yet: wait for them or withdraw the invitation."
            ),
        )
        today = _today()
        session = current_session(s.term_id, today)
        before = s.status
        s.period = Suggestion.Period.SESSION if session else Suggestion.Period.RECESS
        s.session = session
        s.year = today.year
        s.status = S.SUBMITTED
        s.submitted_at = _now()
        s.save(update_fields=["period", "session", "year", "status", "submitted_at"])
        _record(s, A.SUBMIT, before, by)
        from .similar import index_suggestion

        index_suggestion(s)
    return s


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    _require(bool(reason), _("Give a reason."))
    return reason


def suggestion_return(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Staff give it back to the deputy to revise."""
    _require_staff(by, suggestion)
    reason = _require_reason(reason)
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(s, [S.SUBMITTED], _("return it"))
        s.status = S.RETURNED
        s.save(update_fields=["status"])
        _record(s, A.RETURN, S.SUBMITTED, by, reason)
        if s.lead.user_id:
            _notify(
                [s.lead.user],
                kind="proposals.returned",
                title=_("Your suggestion was returned for revision: %(title)s")
                % {"title": s.title},
                body=reason,
                suggestion=s,
            )
    return s


def suggestion_decline(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Staff do not register it (it may be referred as a letter); the reason is recorded."""
    _require_staff(by, suggestion)
    reason = _require_reason(reason)
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(s, [S.SUBMITTED], _("decline it"))
        s.status = S.DECLINED
        s.closed_at = _now()
        s.save(update_fields=["status", "closed_at"])
        _record(s, A.DECLINE, S.SUBMITTED, by, reason)
        if s.lead.user_id:
            _notify(
                [s.lead.user],
                kind="proposals.declined",
                title=_("Your suggestion was not registered: %(title)s") % {"title": s.title},
                body=reason,
                suggestion=s,
            )
    return s


def number_series(s: Suggestion) -> tuple[str, str]:
    """(series key, label prefix): per session, or per year of recess within a term."""
    if s.period == Suggestion.Period.SESSION:
        return f"session:{s.session_id}", s.session.short_label
    term = s.term
    prefix = f"{term.congress.short_name}{chinese_number(term.number)}届人大闭会期间{s.year}年"
    return f"recess:{term.pk}:{s.year}", prefix


def next_number(key: str) -> int:
    """The next number of a series: its counter row locked until the transaction ends, so two
    registrations at once get consecutive numbers, never the same one, and a rolled-back
    registration gives its number back."""
    NumberSeries.objects.get_or_create(key=key)
    series = NumberSeries.objects.select_for_update().get(key=key)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


def suggestion_register(*, suggestion: Suggestion, by) -> Suggestion:
    """Staff register (立案) it and it gets its number. A recess suggestion is to be assigned
    within RECESS_ASSIGN_WORKING_DAYS."""
    _require_staff(by, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(s, [S.SUBMITTED], _("register it"))
        key, prefix = number_series(s)
        n = next_number(key)
        s.series, s.number, s.number_label = key, n, f"{prefix}第{n}号"
        s.status = S.REGISTERED
        s.registered_at = _now()
        if s.period == Suggestion.Period.RECESS:
            d = clock.recess_assign_deadline(start=_today())
            s.assign_by, s.assign_by_basis = d.date, d.basis
        s.save()
        _record(s, A.REGISTER, S.SUBMITTED, by, s.number_label)
    return s


# --- assignment to units -----------------------------------------------------------------------


def _check_units(units: Sequence) -> None:
    from anping.orgs.models import Organisation

    for unit in units:
        _require(
            unit.kind == Organisation.Kind.HANDLING_UNIT and unit.is_active,
            _("%(unit)s is not an active handling unit.") % {"unit": unit},
        )
    _require(len({u.pk for u in units}) == len(units), _("A unit appears twice."))


def _new_assignment(s: Suggestion, unit, role: str, round: int, start: dt.date) -> Assignment:
    a = Assignment(suggestion=s, unit=unit, role=role, round=round, start_date=start)
    due, window = clock.assignment_deadlines(a)
    a.due_date, a.due_basis = due.date, due.basis
    if window:
        a.send_back_until, a.send_back_basis = window.date, window.basis
    a.save()
    return a


def suggestion_assign(
    *,
    suggestion: Suggestion,
    by,
    lead=None,
    co_units: Sequence = (),
    split_units: Sequence = (),
    note: str = "",
) -> list[Assignment]:
    """Staff assign (交办) a registered suggestion: to one lead unit with co-units, or split
    among several units that each answer their part. Deadlines start today."""
    _require_staff(by, suggestion)
    co_units, split_units = list(co_units), list(split_units)
    if lead is not None:
        _require(not split_units, _("Choose either a lead unit or a split among units, not both."))
        units = [lead, *co_units]
    else:
        _require(not co_units, _("Co-handling units need a lead unit."))
        _require(
            len(split_units) >= 2, _("Choose a lead unit, or at least two units to split it among.")
        )
        units = split_units
    _check_units(units)
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(s, [S.REGISTERED], _("assign it"))
        start = _today()
        made = []
        if lead is not None:
            made.append(_new_assignment(s, lead, Assignment.Role.LEAD, 1, start))
            made += [_new_assignment(s, u, Assignment.Role.CO, 1, start) for u in co_units]
        else:
            made += [_new_assignment(s, u, Assignment.Role.SPLIT, 1, start) for u in split_units]
        s.status = S.ASSIGNED
        s.assigned_at = _now()
        _refresh_due(s)
        s.save(update_fields=["status", "assigned_at", "due_date"])
        summary = "；".join(f"{a.get_role_display()}：{a.unit.name}" for a in made)
        _record(s, A.ASSIGN, S.REGISTERED, by, f"{summary}{('。' + note) if note else ''}")
        _notify(
            _unit_users(u.pk for u in units),
            kind="proposals.assigned",
            title=_("New suggestion assigned to your unit: %(title)s") % {"title": s.title},
            suggestion=s,
        )
    return made


def assignment_send_back(*, assignment: Assignment, by, reason: str) -> Assignment:
    """A unit that thinks the suggestion is not its business sends it back within the window;
    staff then reassign it."""
    _require_unit(by, assignment)
    reason = _require_reason(reason)
    with transaction.atomic():
        s = _lock(assignment.suggestion)
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _require(a.status == Assignment.Status.OPEN, _("This assignment is no longer open."))
        _require(a.round == 1, _("A suggestion handled again cannot be sent back."))
        _require(
            a.send_back_until is not None and _today() <= a.send_back_until,
            _("The time to send it back ended on %(day)s.")
            % {"day": clock.fmt(a.send_back_until) if a.send_back_until else "—"},
        )
        _require_state(s, [S.ASSIGNED, S.SENT_BACK], _("send it back"))
        a.status, a.done_at = Assignment.Status.SENT_BACK, _now()
        a.save(update_fields=["status", "done_at"])
        before = s.status
        s.status = S.SENT_BACK
        _refresh_due(s)
        s.save(update_fields=["status", "due_date"])
        _record(s, A.SEND_BACK, before, by, f"{a.unit.name}：{reason}")
    return a


def assignment_reassign(*, assignment: Assignment, unit, by, note: str = "") -> Assignment:
    """Staff give a sent-back part to another unit, in the same role, with fresh deadlines."""
    _require_staff(by, assignment.suggestion)
    _check_units([unit])
    with transaction.atomic():
        s = _lock(assignment.suggestion)
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _require(
            a.status == Assignment.Status.SENT_BACK,
            _("Only a sent-back assignment can be reassigned."),
        )
        _require(
            not Assignment.objects.filter(
                suggestion=s, unit=unit, round=a.round, status__in=["open", "done", "sent_back"]
            )
            .exclude(pk=a.pk)
            .exists(),
            _("This unit already handles this suggestion."),
        )
        _require(unit.pk != a.unit_id, _("Choose another unit than the one that sent it back."))
        a.status = Assignment.Status.REPLACED
        a.save(update_fields=["status"])
        new = _new_assignment(s, unit, a.role, a.round, _today())
        before = s.status
        if not Assignment.objects.filter(suggestion=s, status=Assignment.Status.SENT_BACK).exists():
            s.status = S.ASSIGNED
        _refresh_due(s)
        s.save(update_fields=["status", "due_date"])
        _record(
            s,
            A.REASSIGN,
            before,
            by,
            f"{a.unit.name} → {unit.name}（{new.get_role_display()}）{('。' + note) if note else ''}",
        )
        _notify(
            _unit_users([unit.pk]),
            kind="proposals.assigned",
            title=_("New suggestion assigned to your unit: %(title)s") % {"title": s.title},
            suggestion=s,
        )
    return new


# --- the unit's work ---------------------------------------------------------------------------


def _open_answering(assignment: Assignment, by, doing: str) -> tuple[Suggestion, Assignment]:
    _require_unit(by, assignment)
    s = _lock(assignment.suggestion)
    a = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _require(a.status == Assignment.Status.OPEN, _("This assignment is no longer open."))
    _require_state(s, Suggestion.OPEN_STATUSES, doing)
    return s, a


def extension_request(*, assignment: Assignment, by, months: int, reason: str) -> ExtensionRequest:
    """The unit asks for more time; in all, never beyond MAX_TOTAL_MONTHS after assignment."""
    reason = _require_reason(reason)
    _require(months >= 1, _("Ask for at least one month."))
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("ask for an extension"))
        _require(
            a.answers,
            _("A co-handling unit sends its opinion to the lead unit; it asks no extension."),
        )
        _require(
            a.round == 1,
            _("A suggestion handled again has its own short deadline and no extension."),
        )
        total = clock.clock("ANSWER_MONTHS") + a.extension_months + months
        _require(
            total <= clock.clock("MAX_TOTAL_MONTHS"),
            _(
                "With this extension the time would be %(total)s months; at most %(max)s months in all."
            )
            % {"total": total, "max": clock.clock("MAX_TOTAL_MONTHS")},
        )
        _require(
            not a.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists(),
            _("An extension request is already awaiting a decision."),
        )
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
        _require(
            req.status == ExtensionRequest.Status.PENDING,
            _("This request has already been decided."),
        )
        req.decided_by, req.decided_at, req.decision_note = by, _now(), note
        if approve:
            _require(a.status == Assignment.Status.OPEN, _("This assignment is no longer open."))
            total = clock.clock("ANSWER_MONTHS") + a.extension_months + req.months
            _require(
                total <= clock.clock("MAX_TOTAL_MONTHS"),
                _(
                    "With this extension the time would be %(total)s months; at most %(max)s months in all."
                )
                % {"total": total, "max": clock.clock("MAX_TOTAL_MONTHS")},
            )
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


def contact_record(
    *, assignment: Assignment, by, contacted_on: dt.date, method: str, notes: str
) -> ContactRecord:
    """The unit records that it contacted the deputy (required before it replies)."""
    notes = (notes or "").strip()
    _require(bool(notes), _("Say what was discussed."))
    _require(contacted_on <= _today(), _("The contact date cannot be in the future."))
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("record a contact"))
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


def co_opinion_send(*, assignment: Assignment, by, opinion: str) -> Assignment:
    """A co-handling unit sends its opinion to the lead unit."""
    opinion = (opinion or "").strip()
    _require(bool(opinion), _("Write the opinion."))
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("send an opinion"))
        _require(
            a.role == Assignment.Role.CO,
            _("Only a co-handling unit sends an opinion to the lead unit."),
        )
        a.opinion, a.opinion_at, a.done_at = opinion, _now(), _now()
        a.status = Assignment.Status.DONE
        a.save(update_fields=["opinion", "opinion_at", "done_at", "status"])
        _record(s, A.OPINION, s.status, by, a.unit.name)
    return a


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
    if grade == Reply.Grade.B:
        _require(bool(commitments), _("A B-class reply states its commitments, each with a date."))
    today = _today()
    for t, d in commitments:
        _require(
            d is not None and d >= today,
            _("Commitment %(text)s needs a date from today on.") % {"text": t},
        )
    from .files import check_upload

    for f in files:
        check_upload(f)
    with transaction.atomic():
        s, a = _open_answering(assignment, by, _("reply"))
        _require(
            a.answers, _("A co-handling unit sends its opinion to the lead unit, not a reply.")
        )
        _require(a.round == s.round, _("This assignment belongs to an earlier round."))
        _require(a.contacts.exists(), _("Contact the deputy before replying, and record it."))
        if a.role == Assignment.Role.LEAD:
            waiting = Assignment.objects.filter(
                suggestion=s,
                role=Assignment.Role.CO,
                status=Assignment.Status.OPEN,
                due_date__gte=today,
            ).select_related("unit")
            if waiting:
                raise DomainError(
                    _("Waiting for the opinion of %(units)s (due %(due)s).")
                    % {
                        "units": "、".join(w.unit.name for w in waiting),
                        "due": clock.fmt(max(w.due_date for w in waiting)),
                    }
                )
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


def commitment_fulfil(
    *, commitment: Commitment, by, evidence: str, done_on: dt.date, file=None
) -> Commitment:
    """The unit reports a commitment carried out, with its evidence."""
    if access.role_of(by) != "unit_staff" or by.organisation_id != commitment.unit_id:
        raise NotAllowed(_("Only the staff of the unit that made the commitment may report it."))
    evidence = (evidence or "").strip()
    _require(bool(evidence), _("Describe the evidence that it was carried out."))
    _require(done_on <= _today(), _("The date cannot be in the future."))
    if file is not None:
        from .files import check_upload

        check_upload(file)
    with transaction.atomic():
        s = _lock(commitment.reply.suggestion)
        c = Commitment.objects.select_for_update().get(pk=commitment.pk)
        _require(
            c.status == Commitment.Status.OPEN,
            _("This commitment has already been reported carried out."),
        )
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


# --- the deputy's verdict and handling again ---------------------------------------------------


def _start_rehandling(s: Suggestion, by, reason: str) -> None:
    """A new round: each unit that answered gets the suggestion again, due REHANDLE_MONTHS on."""
    previous = list(
        Assignment.objects.filter(suggestion=s, round=s.round, status=Assignment.Status.DONE)
        .answering()
        .select_related("unit")
    )
    before = s.status
    s.round += 1
    start = _today()
    for a in previous:
        _new_assignment(s, a.unit, a.role, s.round, start)
    s.status = S.REHANDLING
    s.closed_at = None
    _refresh_due(s)
    s.save(update_fields=["round", "status", "closed_at", "due_date"])
    _record(s, A.REHANDLE, before, by, reason)
    _notify(
        _unit_users(a.unit_id for a in previous),
        kind="proposals.rehandle",
        title=_("To be handled again: %(title)s") % {"title": s.title},
        body=reason,
        suggestion=s,
    )


def feedback_give(
    *, suggestion: Suggestion, by, verdict: str, comment: str = "", ask_evaluation: bool = False
) -> Feedback:
    """The deputy's own verdict on the answer. Only the deputy (the lead, or the lead of a
    suggestion merged into this one) may give it, once per answer; nobody can change it.
    Not satisfied: handled again (in the first round), or, after handling again, closed and put
    to third-party evaluation."""
    person = _deputy_of(by)
    if person is None:
        raise NotAllowed(_("Only the deputy gives feedback on an answer."))
    _require(
        verdict in Feedback.Verdict.values,
        _("Choose satisfied, basically satisfied or not satisfied."),
    )
    comment = (comment or "").strip()
    if verdict == Feedback.Verdict.NOT_SATISFIED:
        _require(bool(comment), _("Say why you are not satisfied."))
    with transaction.atomic():
        s = _lock(suggestion)
        givers = feedback_givers(s)
        if person.pk not in givers:
            raise NotAllowed(_("Only the deputy gives feedback on an answer."))
        _require_state(s, [S.ANSWERED], _("give feedback"))
        _require(
            not Feedback.objects.filter(suggestion=s, deputy=person, round=s.round).exists(),
            _("You have already given your feedback on this answer."),
        )
        fb = Feedback.objects.create(
            suggestion=s, deputy=person, round=s.round, verdict=verdict, comment=comment
        )
        _record(
            s,
            A.FEEDBACK,
            s.status,
            by,
            f"{fb.get_verdict_display()}{('：' + comment) if comment else ''}",
        )
        if verdict == Feedback.Verdict.NOT_SATISFIED and s.round == 1:
            _start_rehandling(
                s, by, _("The deputy was not satisfied: %(comment)s") % {"comment": comment}
            )
        else:
            given = set(
                Feedback.objects.filter(suggestion=s, round=s.round).values_list(
                    "deputy_id", flat=True
                )
            )
            not_satisfied = verdict == Feedback.Verdict.NOT_SATISFIED
            if not_satisfied or given >= set(givers):
                s.status, s.closed_at = S.CLOSED, _now()
                s.save(update_fields=["status", "closed_at"])
                _record(s, A.CLOSE, S.ANSWERED, by)
            if not_satisfied:
                _open_evaluation_request(s, Evaluation.Reason.NOT_SATISFIED, None, comment)
        if (
            ask_evaluation
            and not Evaluation.objects.filter(
                suggestion=s, status__in=["requested", "assigned"]
            ).exists()
        ):
            _open_evaluation_request(s, Evaluation.Reason.DEPUTY_ASKED, by, comment)
    return fb


# --- merging, key suggestions ------------------------------------------------------------------


def suggestion_merge(*, duplicate: Suggestion, into: Suggestion, by, note: str = "") -> Suggestion:
    """Staff merge a duplicate (并案) into another suggestion; the answer to that one goes to
    the deputies of both, and the duplicate's lead gives feedback on it too."""
    _require_staff(by, duplicate)
    _require_staff(by, into)
    _require(duplicate.pk != into.pk, _("A suggestion cannot be merged into itself."))
    with transaction.atomic():
        # Lock both in a fixed order, so two merges at once cannot deadlock.
        locked = {
            x.pk: x
            for x in Suggestion.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, into.pk])
            .order_by("pk")
        }
        dup, target = locked[duplicate.pk], locked[into.pk]
        _require_state(dup, [S.SUBMITTED, S.REGISTERED], _("merge it"))
        _require(
            target.status in (S.SUBMITTED, S.REGISTERED, S.ASSIGNED, S.SENT_BACK),
            _("It can only be merged into a suggestion not yet answered."),
        )
        _require(
            dup.term_id == target.term_id, _("Only suggestions of the same congress can be merged.")
        )
        before = dup.status
        dup.status, dup.merged_into, dup.closed_at = S.MERGED, target, _now()
        dup.save(update_fields=["status", "merged_into", "closed_at"])
        label = target.number_label or target.title
        _record(
            dup,
            A.MERGE,
            before,
            by,
            _("Merged into %(label)s") % {"label": label} + (f"。{note}" if note else ""),
        )
        _record(
            target,
            A.MERGE,
            target.status,
            by,
            _("%(label)s merged into this one") % {"label": dup.number_label or dup.title},
        )
    return dup


def key_choose(*, suggestion: Suggestion, by, note: str = "") -> Suggestion:
    """Gate 1: the committee chooses it as a key suggestion (重点建议)."""
    _require_staff(by, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(
            s,
            [S.REGISTERED, S.ASSIGNED, S.SENT_BACK, S.REHANDLING, S.ANSWERED],
            _("choose it as a key suggestion"),
        )
        _require(not s.is_key, _("It is already a key suggestion."))
        s.is_key, s.key_chosen_at = True, _now()
        s.save(update_fields=["is_key", "key_chosen_at"])
        _record(s, A.KEY, s.status, by, note)
    return s


def key_supervisor_set(*, suggestion: Suggestion, supervisor, by) -> Suggestion:
    """Gate 2: a committee leader is made responsible for supervising it."""
    _require_staff(by, suggestion)
    _require(
        access.is_committee_staff(supervisor),
        _("The supervising leader must have a committee account."),
    )
    with transaction.atomic():
        s = _lock(suggestion)
        _require(s.is_key, _("Only a key suggestion has a supervising leader."))
        s.key_supervisor = supervisor
        s.save(update_fields=["key_supervisor"])
        _record(s, A.SUPERVISOR, s.status, by, actor_label(supervisor))
    return s


def supervision_record(
    *, suggestion: Suggestion, by, kind: str, held_on: dt.date, description: str
) -> SupervisionEvent:
    """Gate 2: the supervising leader records a visit, a meeting or an inspection."""
    description = (description or "").strip()
    _require(bool(description), _("Describe what happened."))
    with transaction.atomic():
        s = _lock(suggestion)
        _require(s.is_key, _("Only a key suggestion is supervised."))
        if s.key_supervisor_id != getattr(by, "pk", None):
            raise NotAllowed(_("Only its supervising leader records supervision."))
        _require(held_on <= _today(), _("The date cannot be in the future."))
        event = SupervisionEvent.objects.create(
            suggestion=s, kind=kind, held_on=held_on, description=description, by=by
        )
        _record(
            s,
            A.SUPERVISION,
            s.status,
            by,
            f"{event.get_kind_display()}（{clock.fmt(held_on)}）：{description}",
        )
    return event


# --- third-party evaluation --------------------------------------------------------------------

EVALUABLE = (S.ANSWERED, S.REHANDLING, S.CLOSED)


def _open_evaluation_request(s: Suggestion, reason: str, by, note: str) -> Evaluation | None:
    if Evaluation.objects.filter(suggestion=s, status__in=["requested", "assigned"]).exists():
        return None
    ev = Evaluation.objects.create(suggestion=s, reason=reason, requested_by=by, request_note=note)
    _record(
        s, A.EVALUATION_ASK, s.status, by, ev.get_reason_display() + (f"：{note}" if note else "")
    )
    return ev


def evaluation_request(*, suggestion: Suggestion, by, note: str) -> Evaluation:
    """The deputy (lead) or an answering unit asks for third-party evaluation."""
    note = _require_reason(note)
    role = access.role_of(by)
    if role == "deputy":
        person = _deputy_of(by)
        if person is None or person.pk not in feedback_givers(suggestion):
            raise NotAllowed(_("Only the deputy or a handling unit of this suggestion may ask."))
        reason = Evaluation.Reason.DEPUTY_ASKED
    elif (
        role == "unit_staff"
        and suggestion.assignments.filter(unit_id=by.organisation_id).answering().exists()
    ):
        reason = Evaluation.Reason.UNIT_ASKED
    else:
        raise NotAllowed(_("Only the deputy or a handling unit of this suggestion may ask."))
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(s, EVALUABLE, _("ask for evaluation"))
        ev = _open_evaluation_request(s, reason, by, note)
        _require(ev is not None, _("This suggestion is already being evaluated."))
    return ev


def _check_evaluator(evaluator, s: Suggestion) -> None:
    _require(
        access.role_of(evaluator) == "evaluator"
        and EvaluatorAppointment.objects.filter(user=evaluator, term_id=s.term_id).exists(),
        _("Choose an evaluator appointed to the pool for this term."),
    )


def evaluation_send(
    *, suggestion: Suggestion, by, reason: str, evaluator, note: str = ""
) -> Evaluation:
    """Staff send a case to an evaluator: not satisfied, basically satisfied (their choice), the
    same problem raised again (a confirmed earlier suggestion), a key suggestion (gate 3), or a
    request from the deputy or the unit awaiting an evaluator."""
    _require_staff(by, suggestion)
    _check_evaluator(evaluator, suggestion)
    with transaction.atomic():
        s = _lock(suggestion)
        _require_state(s, EVALUABLE, _("send it to evaluation"))
        pending = (
            Evaluation.objects.select_for_update()
            .filter(suggestion=s, status__in=["requested", "assigned"])
            .first()
        )
        if pending is not None:
            _require(
                pending.status == Evaluation.Status.REQUESTED,
                _("This suggestion is already being evaluated."),
            )
            ev = pending
        else:
            grounds = {
                Evaluation.Reason.NOT_SATISFIED: Feedback.objects.filter(
                    suggestion=s, verdict=Feedback.Verdict.NOT_SATISFIED
                ).exists(),
                Evaluation.Reason.BASIC: Feedback.objects.filter(
                    suggestion=s, verdict=Feedback.Verdict.BASIC
                ).exists(),
                Evaluation.Reason.REPEATED: RepeatLink.objects.filter(suggestion=s).exists(),
                Evaluation.Reason.KEY: s.is_key,
            }
            if reason not in grounds:
                raise DomainError(
                    _("The deputy or the unit asks for that kind of evaluation themselves.")
                )
            _require(
                grounds[reason], _("This suggestion does not meet that ground for evaluation.")
            )
            ev = Evaluation(suggestion=s, reason=reason, requested_by=by, request_note=note)
        ev.evaluator, ev.status = evaluator, Evaluation.Status.ASSIGNED
        ev.save()
        _record(
            s,
            A.EVALUATION_SEND,
            s.status,
            by,
            f"{ev.get_reason_display()} → {actor_label(evaluator)}",
        )
        _notify(
            [evaluator],
            kind="proposals.evaluation",
            title=_("A suggestion to evaluate: %(title)s") % {"title": s.title},
            suggestion=s,
        )
    return ev


def evaluation_verdict(*, evaluation: Evaluation, by, verdict: str, opinion: str) -> Evaluation:
    """The evaluator's verdict. "Handle again" puts the suggestion back with the units."""
    if access.role_of(by) != "evaluator" or evaluation.evaluator_id != by.pk:
        raise NotAllowed(_("Only the evaluator of this case gives its verdict."))
    _require(verdict in Evaluation.Verdict.values, _("Choose a verdict."))
    opinion = (opinion or "").strip()
    _require(bool(opinion), _("Write the evaluation opinion."))
    with transaction.atomic():
        s = _lock(evaluation.suggestion)
        ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        _require(ev.status == Evaluation.Status.ASSIGNED, _("A verdict has already been given."))
        ev.verdict, ev.opinion, ev.decided_at, ev.status = (
            verdict,
            opinion,
            _now(),
            Evaluation.Status.DONE,
        )
        ev.save()
        _record(s, A.EVALUATION_VERDICT, s.status, by, f"{ev.get_verdict_display()}：{opinion}")
        if verdict == Evaluation.Verdict.AGAIN and s.status in (S.ANSWERED, S.CLOSED):
            _start_rehandling(s, by, _("Third-party evaluation: handle again"))
    return ev


def repeat_confirm(
    *, suggestion: Suggestion, earlier: Suggestion, similarity: float, by
) -> RepeatLink:
    """Staff confirm that an earlier year's suggestion (proposed by the finder) raised the same
    problem: ground for evaluation."""
    _require_staff(by, suggestion)
    _require(
        earlier.year is not None and suggestion.year is not None and earlier.year < suggestion.year,
        _("Only a suggestion of an earlier year can be the same problem raised again."),
    )
    with transaction.atomic():
        s = _lock(suggestion)
        link, created = RepeatLink.objects.get_or_create(
            suggestion=s, earlier=earlier, defaults={"similarity": similarity, "confirmed_by": by}
        )
        _require(created, _("Already confirmed."))
        _record(
            s, A.REPEAT, s.status, by, f"{earlier.number_label or earlier.title}（{earlier.year}）"
        )
    return link


# --- the clock ---------------------------------------------------------------------------------


def deadlines_recompute(*, by=None) -> int:
    """After the working-day calendar changed: every open deadline computed again from what it
    stores; each one that moved gets a history row. Returns how many moved."""
    moved = 0
    with transaction.atomic():
        open_ones = (
            Assignment.objects.filter(status=Assignment.Status.OPEN)
            .select_for_update()
            .select_related("unit")
        )
        touched = set()
        for a in open_ones:
            due, window = clock.assignment_deadlines(a)
            new_window = window.date if window else None
            if (due.date, new_window) == (a.due_date, a.send_back_until):
                continue
            old = a.due_date
            a.due_date, a.due_basis = due.date, due.basis
            a.send_back_until, a.send_back_basis = new_window, window.basis if window else ""
            a.save(update_fields=["due_date", "due_basis", "send_back_until", "send_back_basis"])
            touched.add(a.suggestion_id)
            moved += 1
            if old != a.due_date:
                Transition.objects.create(
                    suggestion_id=a.suggestion_id,
                    action=A.DEADLINE,
                    from_status="",
                    to_status=Suggestion.objects.filter(pk=a.suggestion_id).values_list(
                        "status", flat=True
                    )[0],
                    by=by,
                    by_label=actor_label(by),
                    reason=_("%(unit)s: %(old)s → %(new)s (working-day calendar changed)")
                    % {"unit": a.unit.name, "old": clock.fmt(old), "new": clock.fmt(a.due_date)},
                )
        for s in Suggestion.objects.filter(pk__in=touched):
            _refresh_due(s)
            s.save(update_fields=["due_date"])
        for s in Suggestion.objects.filter(
            status=S.REGISTERED, period=Suggestion.Period.RECESS, registered_at__isnull=False
        ):
            d = clock.recess_assign_deadline(start=timezone.localdate(s.registered_at))
            if d.date != s.assign_by:
                s.assign_by, s.assign_by_basis = d.date, d.basis
                s.save(update_fields=["assign_by", "assign_by_basis"])
                moved += 1
    return moved
