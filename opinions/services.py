"""The steps of a resident's opinion, one function each, with the predicate ("may I?") next to
it: the service enforces the predicate and the pages use it to decide what to show.

resident writes (card) → SMS code → case NEW (with the deputy)
deputy: answer and close │ take up as a suggestion │ guide to the legal channel │ propose dispatch
staff: dispatch to a unit (NEW, PROPOSED, RETURNED, REOPENED) │ hand off to the 12345 hotline
unit: reply (solved / being solved by a date / cannot, with the reason) │ send back (early only)
resident, or staff by a follow-up call: solved / not solved (+ satisfaction); "not solved" goes
back once (REOPENED), the second time it stays UNSOLVED; unanswered for CONFIRM_DAYS → NOT_CONFIRMED.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.notifications.services import notify
from anping.notifications.sms import get_backend
from anping.orgs.models import Organisation
from anping.regions.models import Region
from anping.uploads.validation import IMAGE_KINDS, validate_upload
from anping.workdays import calendar
from deputies.models import Mandate, Person
from stations import services as station_services
from stations.models import Opinion, Station

from .models import (
    HANDLING_KINDS,
    Card,
    Case,
    CaseStep,
    Photo,
    ReplyFile,
    Submission,
    WeChatGroup,
)

S = Case.Status
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def conf(name: str):
    return settings.OPINIONS[name]


def _token(n: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(n))


def _deputy(by) -> Person | None:
    if access.role_of(by) != "deputy":
        return None
    return Person.objects.filter(user=by).first()


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("opinion__region", "opinion__taken_by", "unit")
        .get(pk=case.pk)
    )


def _step(case: Case, frm: str, to: str, by, reason: str = "", unit=None) -> None:
    CaseStep.objects.create(
        case=case,
        from_status=frm,
        to_status=to,
        by=by if getattr(by, "pk", None) else None,
        reason=reason[:2000],
        unit=unit,
    )


def _require(ok: bool, message) -> None:
    if not ok:
        raise DomainError(message)


# --- cards -----------------------------------------------------------------------------------


def may_issue_card(user, *, person: Person | None = None, station: Station | None = None) -> bool:
    """A deputy prints their own card; staff print those of their region's deputies and
    stations."""
    if person is not None:
        me = _deputy(user)
        return (me is not None and me.pk == person.pk) or (
            access.is_committee_staff(user) and access.in_scope(user, person)
        )
    return (
        station is not None and access.is_committee_staff(user) and access.in_scope(user, station)
    )


def card_for(*, by, person: Person | None = None, station: Station | None = None) -> Card:
    """The card of a deputy or a station, made the first time it is asked for."""
    if not may_issue_card(by, person=person, station=station):
        raise NotAllowed(_("You may not print this card."))
    owner = {"person": person} if person is not None else {"station": station}
    card = Card.objects.filter(**owner).first()
    if card is None:
        card, _made = Card.objects.get_or_create(**owner, defaults={"token": _token(12)})
    return card


def card_deputies(card: Card) -> list[Person]:
    """Whom a resident writes to from this card: the deputy, or the station's serving deputies."""
    if card.person_id:
        return [card.person]
    today = timezone.localdate()
    return list(
        Person.objects.filter(
            stationings__station_id=card.station_id, stationings__start_date__lte=today
        )
        .exclude(stationings__end_date__lt=today)
        .distinct()
        .order_by("name")
    )


def home_mandate(person: Person) -> Mandate | None:
    """The serving seat closest to the ground (its region and electoral unit go on the card)."""
    return (
        Mandate.objects.serving()
        .filter(person=person)
        .select_related("region__parent")
        .order_by("-region__depth", "pk")
        .first()
    )


def card_area(card: Card) -> Region | None:
    """The county (or city) a card's residents live in: its townships are offered."""
    if card.station_id:
        region = card.station.region
    else:
        seat = home_mandate(card.person)
        if seat is None:
            return None
        region = seat.region
    while region.kind == Region.Kind.TOWNSHIP and region.parent_id:
        region = region.parent
    return region


# --- the resident writes ---------------------------------------------------------------------


def _send_sms(phone: str, text: str) -> None:
    backend = get_backend()
    if backend is not None:
        transaction.on_commit(lambda: backend.send(to=phone, text=text))


def submission_start(
    *,
    card: Card,
    deputy: Person,
    topic: str,
    text: str,
    region: Region,
    phone: str,
    name: str = "",
    address: str | None = None,
    photos=(),
    now: dt.datetime | None = None,
) -> Submission:
    """Hold what a resident wrote and send a one-time code to their mobile number. Refused,
    storing nothing, beyond the hourly limits (strict per number, generous per address)."""
    now = now or timezone.now()
    _require(Opinion.Topic(topic) is not None, _("Choose a topic."))
    _require(bool(text.strip()), _("Write your opinion."))
    _require(len(text) <= 2000, _("Please keep it under 2,000 characters."))
    _require(
        len(phone) == 11 and phone.isdigit() and phone.startswith("1"),
        _("Enter an 11-digit mobile number."),
    )
    _require(len(photos) <= conf("MAX_PHOTOS"), _("At most three photos."))
    for f in photos:
        # Checked by content here too, whoever calls: images only, within the size limit.
        try:
            validate_upload(f, allowed=IMAGE_KINDS, max_bytes=conf("PHOTO_MAX_BYTES"))
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from exc
    _require(deputy in card_deputies(card), _("Choose one of this card's deputies."))
    area = card_area(card)
    _require(
        area is not None
        and region.kind == Region.Kind.TOWNSHIP
        and region.path.startswith(area.path),
        _("Choose your township or street."),
    )
    hour_ago = now - dt.timedelta(hours=1)
    with transaction.atomic():
        # One submission at a time per number, so two quick posts cannot both slip under the
        # limit (a row lock would not stop a new row: a transaction-level advisory lock does).
        _lock_phone(phone)
        recent = Submission.objects.filter(created_at__gte=hour_ago)
        if recent.filter(phone=phone).count() >= conf("PER_PHONE_PER_HOUR"):
            raise DomainError(
                _("Too many opinions from this number in the last hour. Please try again later.")
            )
        if address and recent.filter(address=address).count() >= conf("PER_ADDRESS_PER_HOUR"):
            raise DomainError(
                _("Too many opinions from this place in the last hour. Please try again later.")
            )
        code = f"{secrets.randbelow(1_000_000):06d}"
        submission = Submission.objects.create(
            card=card,
            deputy=deputy,
            topic=topic,
            text=text.strip(),
            region=region,
            name=name.strip()[:30],
            phone=phone,
            address=address,
            code_hash=hash_code(code),
        )
        for f in photos:
            Photo.objects.create(submission=submission, file=f, name=str(f.name)[:200])
        _send_sms(
            phone,
            _("Your code is %(code)s (valid for %(m)d minutes). Anping deputy portal.")
            % {"code": code, "m": conf("CODE_MINUTES")},
        )
    return submission


def hash_code(code: str, salt: str | None = None) -> str:
    """The one-time code as stored: an HMAC keyed by the site's secret, with a salt of its own.
    Not a password hasher: a six-digit code lives ten minutes and three wrong tries end it, so a
    slow hash buys nothing and costs a quarter of a second of CPU on every submission and every
    check (the residents' benchmark); without the secret key the stored value gives no code."""
    salt = salt or secrets.token_hex(8)
    digest = salted_hmac("opinions.sms-code", f"{salt}:{code}", algorithm="sha256").hexdigest()
    return f"hmac${salt}${digest}"


def code_matches(code: str, stored: str) -> bool:
    if stored.startswith("hmac$"):
        salt = stored.split("$", 2)[1]
        return constant_time_compare(hash_code(code, salt), stored)
    # An attempt begun before the change (a password hasher's value), within its ten minutes.
    return check_password(code, stored)


def _lock_phone(phone: str) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [20241201, int(phone[-9:])])


def may_verify(submission: Submission, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    expires = submission.created_at + dt.timedelta(minutes=conf("CODE_MINUTES"))
    return submission.status == Submission.Status.PENDING and now <= expires


def submission_verify(*, submission: Submission, code: str) -> Case:
    """The resident typed the code: the opinion is recorded for the deputy, with its case and a
    tracking code. Three wrong codes, or an expired one, end the attempt."""
    error = ""
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        if not may_verify(sub):
            if sub.status == Submission.Status.PENDING:
                sub.status = Submission.Status.FAILED
                sub.save(update_fields=["status"])
            error = _("This attempt has ended. Please write your opinion again.")
        elif not code_matches(code.strip(), sub.code_hash):
            sub.wrong_codes += 1
            if sub.wrong_codes >= 3:
                sub.status = Submission.Status.FAILED
                error = _("Three wrong codes: this attempt has ended. Please start again.")
            else:
                error = _("The code is not right. Please try again.")
            sub.save(update_fields=["wrong_codes", "status"])
        else:
            case = _publish(sub)
    # Raised after the block, so that the count of wrong codes is kept.
    if error:
        raise DomainError(error)
    return case


def _publish(sub: Submission) -> Case:
    sub.status = Submission.Status.VERIFIED
    sub.save(update_fields=["status"])
    card = Card.objects.select_related("station").get(pk=sub.card_id)
    opinion = Opinion(
        channel=Opinion.Channel.STATION if card.station_id else Opinion.Channel.ONLINE,
        topic=sub.topic,
        summary=sub.text[:300],
        details=sub.text if len(sub.text) > 300 else "",
        constituent=sub.name,
        region=sub.region,
        taken_by=sub.deputy,
        received_on=timezone.localdate(),
        station=card.station,
    )
    opinion._case_made_by_loop = True  # its case is made here, with the resident's number
    opinion.save()
    case = Case.objects.create(opinion=opinion, code=_token(10), phone=sub.phone, submission=sub)
    _step(case, "", S.NEW, None, _("Written by a resident (mobile number verified)."))
    if sub.deputy.user_id:
        notify(
            recipient=sub.deputy.user,
            kind="opinion_new",
            title=_("A resident left you an opinion: %(s)s") % {"s": opinion.summary[:60]},
            url=reverse("opinions:case", args=[case.pk]),
            subject=case,
        )
    return case


def case_open_for(*, opinion: Opinion) -> Case:
    """The case of an opinion typed in by a deputy or staff (no resident's number): new, with
    the deputy, who answers, takes it up or proposes dispatch as for any other."""
    case, made = Case.objects.get_or_create(opinion=opinion, defaults={"code": _token(10)})
    if made:
        _step(case, "", S.NEW, opinion.created_by, _("Recorded by the deputy or staff."))
    return case


def case_follow_outcome(*, opinion_id: int, to: str, by) -> None:
    """The opinion was settled outside the loop (`stations.services.opinion_move`): its open
    case closes with it (taken up as a suggestion, or answered and closed)."""
    case = Case.objects.select_for_update().filter(opinion_id=opinion_id).first()
    if case is None or case.status not in Case.OPEN:
        return
    target = S.SUGGESTION if to == Opinion.Status.SUGGESTION else S.CLOSED
    _step(case, case.status, target, by, _("Settled on the opinion's outcome page."))
    case.status = target
    case.save(update_fields=["status"])


# --- the deputy ------------------------------------------------------------------------------

DEPUTY_STEPS = {S.NEW, S.REOPENED}


def may_deputy_act(user, case: Case) -> bool:
    """The deputy who took it (or one of its station's) acts while it is new, or when the
    resident said it was not solved."""
    return (
        access.role_of(user) == "deputy"
        and case.status in DEPUTY_STEPS
        and Opinion.objects.visible_to(user).filter(pk=case.opinion_id).exists()
    )


def _deputy_step(case: Case, by, to: str, reason: str, stations_to: str | None) -> Case:
    reason = (reason or "").strip()
    _require(bool(reason), _("Write what you told the resident."))
    with transaction.atomic():
        c = _lock(case)
        if not may_deputy_act(by, c):
            raise NotAllowed(_("You may not take this step on this opinion."))
        _step(c, c.status, to, by, reason)
        c.status = to
        fields = ["status"]
        if to != S.PROPOSED:
            c.answer, c.answered_at = reason, timezone.now()
            fields += ["answer", "answered_at"]
        c.save(update_fields=fields)
        if stations_to:
            station_services.opinion_follow_loop(
                opinion=c.opinion, to=stations_to, by=by, reason=reason
            )
        if to != S.PROPOSED:
            _tell_resident(c)
    return c


def case_answer_close(*, case: Case, by, answer: str) -> Case:
    """The deputy answers the resident and closes it (explained, 解释说明)."""
    return _deputy_step(case, by, S.CLOSED, answer, Opinion.Status.CLOSED)


def case_guide_legal(*, case: Case, by, answer: str) -> Case:
    """A matter for the courts or petitions (涉法涉诉、信访): the deputy tells the resident where
    to take it, and the case closes."""
    return _deputy_step(case, by, S.GUIDED, answer, Opinion.Status.CLOSED)


def case_propose(*, case: Case, by, reason: str) -> Case:
    """The deputy proposes that it go to a handling unit; staff decide which and send it."""
    return _deputy_step(case, by, S.PROPOSED, reason, None)


TOPIC_CATEGORY = {
    Opinion.Topic.INDUSTRY: "economy",
    Opinion.Topic.BUSINESS: "economy",
    Opinion.Topic.ECOLOGY: "ecology",
    Opinion.Topic.URBAN: "urban",
    Opinion.Topic.TRANSPORT: "transport",
    Opinion.Topic.EDUCATION: "education",
    Opinion.Topic.HEALTH: "health",
    Opinion.Topic.AGRICULTURE: "rural",
    Opinion.Topic.SOCIAL: "health",
    Opinion.Topic.SAFETY: "governance",
    Opinion.Topic.LEGISLATION: "governance",
}


def case_take_up(*, case: Case, by):
    """The deputy takes it up as a suggestion: one step makes the draft suggestion with the
    opinion's text, links both, and closes the case as "taken up"."""
    from proposals import services as proposal_services

    with transaction.atomic():
        c = _lock(case)
        if not may_deputy_act(by, c):
            raise NotAllowed(_("You may not take this step on this opinion."))
        text = c.opinion.details or c.opinion.summary
        suggestion = proposal_services.suggestion_create(
            by=by,
            title=c.opinion.summary[:200],
            body=_("From a resident's opinion (%(code)s):\n\n%(text)s")
            % {"code": c.code, "text": text},
            category=TOPIC_CATEGORY.get(c.opinion.topic, "other"),
        )
        reason = _("Taken up as a suggestion: %(ref)s") % {"ref": suggestion.title}
        _step(c, c.status, S.SUGGESTION, by, reason)
        c.status, c.suggestion = S.SUGGESTION, suggestion
        c.answer, c.answered_at = reason, timezone.now()
        c.save(update_fields=["status", "suggestion", "answer", "answered_at"])
        station_services.opinion_turn_into_suggestion(
            opinion=c.opinion, by=by, reference=suggestion.title
        )
        _tell_resident(c)
    return suggestion


# --- committee staff dispatch ------------------------------------------------------------------

DISPATCHABLE = {S.NEW, S.PROPOSED, S.RETURNED, S.REOPENED}


def may_dispatch(user, case: Case) -> bool:
    """Committee staff of the opinion's region send it on (never the deputy)."""
    path = access.staff_region_path(user)
    return (
        path is not None
        and case.status in DISPATCHABLE
        and case.opinion.region.path.startswith(path)
    )


def dispatch_units(user):
    """The units a staff member may send to: those of their region's subtree."""
    return Organisation.objects.filter(
        access.region_q(user, "region"), kind__in=HANDLING_KINDS, is_active=True
    ).order_by("region__path", "kind", "name")


def case_dispatch(*, case: Case, unit: Organisation, by, reason: str = "") -> Case:
    """Send the opinion to a handling unit, which must answer within ANSWER_WORKDAYS working
    days (explained as suggestions' deadlines are). The 12345 hotline is a recorded hand-off:
    the case closes here and the hotline answers through its own system."""
    if unit.kind not in HANDLING_KINDS or not unit.is_active:
        raise DomainError(_("Choose a handling unit."))
    with transaction.atomic():
        c = _lock(case)
        if not may_dispatch(by, c):
            raise NotAllowed(_("Only committee staff of this region may send it on."))
        if not dispatch_units(by).filter(pk=unit.pk).exists():
            raise NotAllowed(_("This unit is outside your region."))
        now = timezone.now()
        reason = (reason or "").strip()
        if unit.kind == Organisation.Kind.HOTLINE:
            _step(c, c.status, S.HANDED_OFF, by, reason, unit)
            c.status, c.unit, c.dispatched_at = S.HANDED_OFF, unit, now
            c.save(update_fields=["status", "unit", "dispatched_at"])
        else:
            due = calendar.deadline_after_working_days(
                timezone.localdate(), conf("ANSWER_WORKDAYS"), start_label=_("dispatched on")
            )
            _step(c, c.status, S.DISPATCHED, by, reason, unit)
            c.status, c.unit, c.dispatched_at = S.DISPATCHED, unit, now
            c.due, c.due_explained = due.date, due.explanation[:300]
            c.answer, c.outcome, c.solve_by, c.answered_at, c.answered_on_time = (
                "",
                "",
                None,
                None,
                None,
            )
            c.save()
            for user in _unit_staff(unit):
                notify(
                    recipient=user,
                    kind="opinion_dispatched",
                    title=_("A resident's opinion for your unit: %(s)s")
                    % {"s": c.opinion.summary[:60]},
                    url=reverse("opinions:case", args=[c.pk]),
                    subject=c,
                )
        station_services.opinion_follow_loop(
            opinion=c.opinion,
            to=Opinion.Status.FORWARDED,
            by=by,
            reason=reason or _("Sent to %(unit)s") % {"unit": unit.name},
            unit=unit,
        )
    return c


# --- the handling unit -----------------------------------------------------------------------


def _unit_has(user, case: Case) -> bool:
    return (
        access.role_of(user) == "unit_staff"
        and user.organisation_id is not None
        and case.unit_id == user.organisation_id
    )


def may_reply(user, case: Case) -> bool:
    return _unit_has(user, case) and case.status == S.DISPATCHED


def may_send_back(user, case: Case, today: dt.date | None = None) -> bool:
    """Only early: within SEND_BACK_WORKDAYS working days of the dispatch."""
    if not may_reply(user, case) or case.dispatched_at is None:
        return False
    today = today or timezone.localdate()
    start = timezone.localtime(case.dispatched_at).date()
    return today <= calendar.add_working_days(start, conf("SEND_BACK_WORKDAYS"))


# What a unit may attach to its answer: signed replies and photos of the work done.
REPLY_FILE_KINDS = frozenset({"pdf", "jpeg", "png", "webp", "docx", "doc", "xlsx", "xls"})
MAX_REPLY_FILES = 3


def _check_reply_files(files) -> list[str]:
    """The detected kind of each file, or a `DomainError` in Chinese naming the file."""
    _require(len(files) <= MAX_REPLY_FILES, _("At most %(n)d files.") % {"n": MAX_REPLY_FILES})
    kinds = []
    for f in files:
        try:
            kinds.append(str(validate_upload(f, allowed=REPLY_FILE_KINDS)))
        except ValidationError as exc:
            raise DomainError(
                _("%(name)s: %(message)s")
                % {"name": getattr(f, "name", ""), "message": " ".join(exc.messages)}
            ) from exc
    return kinds


def case_reply(
    *,
    case: Case,
    by,
    text: str,
    outcome: str,
    solve_by: dt.date | None = None,
    files=(),
    files_shown_to_resident: bool = False,
) -> Case:
    """The unit answers: solved; being solved by a date; or cannot be solved (the text says
    why), with up to three files checked by content. The resident gets an SMS and reads the
    answer on the tracking page, where only images the unit marked as showing no personal data
    appear."""
    text = (text or "").strip()
    outcome = Case.Outcome(outcome)
    _require(bool(text), _("Write the answer."))
    files = list(files or ())
    kinds = _check_reply_files(files)
    if outcome == Case.Outcome.IN_PROGRESS:
        _require(
            solve_by is not None and solve_by > timezone.localdate(),
            _("Say by when it will be solved (a date after today)."),
        )
    else:
        solve_by = None
    with transaction.atomic():
        c = _lock(case)
        if not may_reply(by, c):
            raise NotAllowed(_("Only the unit it was sent to may answer it."))
        today = timezone.localdate()
        _step(c, c.status, S.ANSWERED, by, f"{outcome.label}：{text}", c.unit)
        c.status, c.answer, c.outcome, c.solve_by = S.ANSWERED, text, outcome, solve_by
        c.answered_at, c.answered_on_time = timezone.now(), today <= c.due
        c.save()
        for f, kind in zip(files, kinds, strict=True):
            ReplyFile.objects.create(
                case=c,
                file=f,
                name=str(f.name)[:200],
                kind=kind,
                size=getattr(f, "size", 0) or 0,
                shown_to_resident=bool(files_shown_to_resident),
                uploaded_by=by,
            )
        if outcome == Case.Outcome.SOLVED:
            # Solved as the unit declares it; the resident's word is counted apart.
            station_services.opinion_follow_loop(
                opinion=c.opinion, to=Opinion.Status.SOLVED, by=by, reason=text, unit=c.unit
            )
        _tell_resident(c)
        if c.opinion.taken_by.user_id:
            notify(
                recipient=c.opinion.taken_by.user,
                kind="opinion_answered",
                title=_("The unit answered: %(s)s") % {"s": c.opinion.summary[:60]},
                subject=c,
            )
    return c


def answer_files(case: Case):
    """The files of the case's current answer: those sent since the last dispatch (an answer
    the resident refused keeps its files, read from the history, not shown with the new one)."""
    files = case.reply_files.all()
    if case.dispatched_at is not None:
        files = files.filter(uploaded_at__gte=case.dispatched_at)
    return files


def case_send_back(*, case: Case, by, reason: str) -> Case:
    """Not the unit's business: it sends it back (early only); staff then send it elsewhere."""
    reason = (reason or "").strip()
    _require(bool(reason), _("Say why it is not your unit's business."))
    with transaction.atomic():
        c = _lock(case)
        if not may_send_back(by, c):
            raise NotAllowed(_("It can no longer be sent back."))
        _step(c, c.status, S.RETURNED, by, reason, c.unit)
        c.status, c.due, c.due_explained = S.RETURNED, None, ""
        # The unit keeps no access to what it sent back.
        c.unit = None
        c.save(update_fields=["status", "due", "due_explained", "unit"])
        station_services.opinion_follow_loop(
            opinion=c.opinion, to=Opinion.Status.RECORDED, by=by, reason=reason
        )
    return c


# --- the resident confirms, or staff call ----------------------------------------------------


def may_confirm(case: Case) -> bool:
    return case.status == S.ANSWERED


def _confirm(c: Case, *, solved: bool, satisfaction: str, by, by_call: bool, note: str) -> Case:
    satisfaction = Case.Satisfaction(satisfaction)
    if solved:
        to = S.SOLVED
    elif not c.reopened:
        to = S.REOPENED
    else:
        to = S.UNSOLVED
    label = _("Solved") if solved else _("Not solved")
    how = _("by a follow-up call") if by_call else _("by the resident")
    _step(c, c.status, to, by, f"{label}（{how}，{satisfaction.label}）{note}".strip())
    c.status, c.satisfaction, c.by_call = to, satisfaction, by_call
    c.confirmed_at = timezone.now()
    if to == S.REOPENED:
        c.reopened = True
    c.save()
    if solved:
        station_services.opinion_follow_loop(
            opinion=c.opinion, to=Opinion.Status.SOLVED, by=by, reason=str(label), unit=c.unit
        )
    elif c.opinion.status == Opinion.Status.SOLVED:
        # The unit said solved, the resident says not: the outcome goes back to forwarded.
        station_services.opinion_follow_loop(
            opinion=c.opinion, to=Opinion.Status.FORWARDED, by=by, reason=str(label), unit=c.unit
        )
    if to == S.REOPENED:
        recipients = [c.opinion.taken_by.user] if c.opinion.taken_by.user_id else []
        recipients += [u for u in dispatching_staff(c) if u.pk not in {r.pk for r in recipients}]
        # Keyed on the answer the resident refused: however often this runs for that answer
        # (a retry, two clicks), each person is told once.
        key_day = timezone.localtime(c.answered_at).date() if c.answered_at else None
        for user in recipients:
            notify(
                recipient=user,
                kind="opinion_reopened",
                title=_("The resident says it is not solved: %(s)s")
                % {"s": c.opinion.summary[:60]},
                url=reverse("opinions:case", args=[c.pk]),
                subject=c,
                day=key_day,
            )
    return c


def dispatching_staff(case: Case) -> list:
    """Whom to tell when the resident says "not solved": the staff member who last sent it to
    a unit, while they still may send it on; otherwise the committee staff of the nearest region
    above the opinion that has any (a township's people's congress, then the county, then the
    city). Empty when it never went to a unit."""
    from anping.accounts.models import User

    last = (
        case.steps.filter(to_status=S.DISPATCHED, by__isnull=False)
        .select_related("by__region")
        .order_by("-at", "-pk")
        .first()
    )
    if last is None:
        return []
    path = access.staff_region_path(last.by)
    if path is not None and case.opinion.region.path.startswith(path):
        return [last.by]
    region = case.opinion.region
    while region is not None:
        staff = list(
            User.objects.filter(
                region=region,
                role__in=[User.Role.COUNTY_STAFF, User.Role.CITY_STAFF],
                is_active=True,
            ).order_by("pk")
        )
        if staff:
            return staff
        region = region.parent
    return []


def case_confirm(*, case: Case, solved: bool, satisfaction: str) -> Case:
    """The resident, on the tracking page, says whether it was solved and how satisfied they
    are. "Not solved" sends it back once; the second time it stays not solved."""
    with transaction.atomic():
        c = _lock(case)
        _require(may_confirm(c), _("There is nothing to confirm now."))
        return _confirm(
            c, solved=solved, satisfaction=satisfaction, by=None, by_call=False, note=""
        )


def may_record_call(user, case: Case) -> bool:
    path = access.staff_region_path(user)
    return path is not None and may_confirm(case) and case.opinion.region.path.startswith(path)


def case_record_call(*, case: Case, by, solved: bool, satisfaction: str, note: str = "") -> Case:
    """Station or committee staff called the resident (回访): what they said counts as the
    resident's confirmation, marked as made by call."""
    with transaction.atomic():
        c = _lock(case)
        if not may_record_call(by, c):
            raise NotAllowed(_("Only committee staff of this region may record a call."))
        return _confirm(
            c, solved=solved, satisfaction=satisfaction, by=by, by_call=True, note=note.strip()
        )


def close_unconfirmed(*, today: dt.date | None = None) -> int:
    """Answers the resident left unconfirmed for CONFIRM_DAYS close as "not confirmed" (the
    unit's declared outcome stands, counted apart). Safe to run twice."""
    today = today or timezone.localdate()
    limit = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=conf("CONFIRM_DAYS")), dt.time.min)
    )
    closed = 0
    for pk in Case.objects.filter(status=S.ANSWERED, answered_at__lt=limit).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            c = Case.objects.select_for_update().get(pk=pk)
            if c.status != S.ANSWERED:
                continue
            _step(c, c.status, S.NOT_CONFIRMED, None, _("No confirmation in time."))
            c.status = S.NOT_CONFIRMED
            c.save(update_fields=["status"])
            closed += 1
    return closed


def send_reminders(*, today: dt.date | None = None) -> int:
    """Units' staff: a reminder when an answer is due within REMIND_WORKDAYS_BEFORE working
    days, and each day it is overdue; one per case, person and day (a second run sends none)."""
    from anping.accounts.models import User

    today = today or timezone.localdate()
    soon = calendar.add_working_days(today, conf("REMIND_WORKDAYS_BEFORE"))
    sent = 0
    cases = Case.objects.filter(status=S.DISPATCHED, due__lte=soon).select_related("opinion")
    staff_by_unit: dict[int, list] = {}
    for user in User.objects.filter(
        role=User.Role.UNIT_STAFF, is_active=True, organisation_id__in=cases.values("unit_id")
    ):
        staff_by_unit.setdefault(user.organisation_id, []).append(user)
    for c in cases:
        overdue = c.due < today
        title = (_("Overdue since %(d)s: %(s)s") if overdue else _("Answer due %(d)s: %(s)s")) % {
            "d": c.due.isoformat(),
            "s": c.opinion.summary[:60],
        }
        for user in staff_by_unit.get(c.unit_id, []):
            kind = "opinion_overdue" if overdue else "opinion_due"
            if notify(recipient=user, kind=kind, title=title, subject=c, day=today):
                sent += 1
    return sent


def _tell_resident(c: Case) -> None:
    if c.phone:
        _send_sms(
            c.phone,
            _("Your opinion %(code)s has been answered. Read it and tell us if it was solved.")
            % {"code": c.code},
        )


# --- WeChat groups ---------------------------------------------------------------------------


def wechat_group_add(
    *, by, name: str, region: Region, joined_on: dt.date, size: int | None = None
) -> WeChatGroup:
    """A deputy records a village or community group they joined and showed themselves in."""
    me = _deputy(by)
    if me is None:
        raise NotAllowed(_("Only deputies record the groups they joined."))
    _require(bool(name.strip()), _("Give the group's name."))
    _require(joined_on <= timezone.localdate(), _("The date cannot be in the future."))
    _require(
        not WeChatGroup.objects.filter(person=me, name=name.strip(), region=region).exists(),
        _("You have already recorded this group."),
    )
    return WeChatGroup.objects.create(
        person=me, name=name.strip(), region=region, joined_on=joined_on, size=size, created_by=by
    )


def _unit_staff(unit: Organisation):
    from anping.accounts.models import User

    return User.objects.filter(organisation=unit, role=User.Role.UNIT_STAFF, is_active=True)


# --- paper ----------------------------------------------------------------------------------


def paper_apply(*, by, plan) -> int:
    """Write the opinions of a checked paper sheet (`opinions.paper.read`), each with its case
    (new, with the deputy): all of them, or none when the sheet had any error."""
    if not access.is_committee_staff(by):
        raise NotAllowed(_("Only committee staff import opinions."))
    if plan.errors or not plan.rows:
        raise DomainError(_("The sheet has errors: nothing was imported."))
    # The plan was read for this user; check again in case it came from elsewhere.
    access.require_in_scope(by, *{r.deputy for r in plan.rows})
    path = access.staff_region_path(by)
    _require(
        all(r.region.path.startswith(path) for r in plan.rows), _("This is outside your region.")
    )
    with transaction.atomic():
        opinions = Opinion.objects.bulk_create(
            [
                Opinion(
                    channel=r.channel,
                    topic=r.topic,
                    summary=r.text[:300],
                    details=r.text if len(r.text) > 300 else "",
                    constituent=r.name,
                    region=r.region,
                    taken_by=r.deputy,
                    received_on=r.received_on,
                    created_by=by,
                )
                for r in plan.rows
            ]
        )
        cases = Case.objects.bulk_create(
            [
                Case(opinion=o, code=_token(10), phone=r.phone)
                for o, r in zip(opinions, plan.rows, strict=True)
            ]
        )
        CaseStep.objects.bulk_create(
            [
                CaseStep(case=c, from_status="", to_status=S.NEW, by=by, reason=_("From paper."))
                for c in cases
            ]
        )
    return len(cases)
