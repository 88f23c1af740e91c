"""Every write of the legislation app: one function per step, keyword-only.

Staff steps check that the actor is committee staff over the project's region and that every
foreign key they hand in (region, committee, version, deputies, contact point, article) lies in
their scope and belongs to the object; deputies' and the public's comments check the round's
deadline and the invitation. A refused step raises `DomainError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed
from anping.notifications.services import notify
from anping.orgs.models import Organisation
from anping.regions.models import Region
from anping.uploads import original_filename, validate_upload
from anping.uploads.validation import DOCX
from deputies.models import Person

from .models import (
    Article,
    Comment,
    CommentTransition,
    ContactPoint,
    Invitation,
    PhoneCode,
    Project,
    ProjectTransition,
    Round,
    RoundTransition,
    Version,
)
from .parsing import DraftError, read_docx

# --- who may act -------------------------------------------------------------------------------


def may_manage(by, project: Project) -> bool:
    """Committee staff whose scope covers the project's region."""
    path = access.staff_region_path(by)
    return path is not None and project.region.path.startswith(path)


def _require_staff(by, project: Project) -> None:
    if not may_manage(by, project):
        raise NotAllowed(_("Only committee staff of this region may do this."))


def _require_region(by, region: Region) -> None:
    path = access.staff_region_path(by)
    if path is None or not region.path.startswith(path):
        raise NotAllowed(_("This is outside your region."))


def contact_point_save(*, contact_point: ContactPoint, by) -> ContactPoint:
    """Create or edit a grassroots legislative contact point of the staff's region."""
    _require_region(by, contact_point.region)
    if contact_point.pk:
        old = ContactPoint.objects.select_related("region").get(pk=contact_point.pk)
        _require_region(by, old.region)
    contact_point.save()
    return contact_point


# --- projects and their stages -----------------------------------------------------------------


def project_save(*, project: Project, by) -> Project:
    """Create or edit a regulation project (title, region, committee, plan year). A new one
    enters the legislative plan (立项), recorded as its first stage."""
    _require_region(by, project.region)
    committee = project.committee
    if committee.kind not in (Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE):
        raise DomainError(_("Choose a committee or a special committee."))
    _require_region(by, committee.region)
    if project.pk:
        old = Project.objects.select_related("region").get(pk=project.pk)
        _require_staff(by, old)
        if old.region_id != project.region_id and old.versions.exists():
            raise DomainError(_("A project with versions cannot move to another region."))
    with transaction.atomic():
        new = project.pk is None
        if new:
            project.created_by = by
        project.save()
        if new:
            ProjectTransition.objects.create(
                project=project, to_status=Project.Stage.PLANNED, by=by
            )
    return project


def _advance(
    *,
    project: Project,
    allowed,
    to: str,
    by,
    reason: str = "",
    message,
    bump_readings: bool = False,
    **changes,
) -> Project:
    _require_staff(by, project)
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("region").get(pk=project.pk)
        if not allowed(locked):
            raise DomainError(message)
        from_status = locked.stage
        meeting = changes.pop("meeting", "")
        held_on = changes.pop("held_on", None)
        locked.stage = to
        for name, value in changes.items():
            setattr(locked, name, value)
        if bump_readings:
            locked.readings += 1
            changes["readings"] = locked.readings
        locked.save(update_fields=["stage", *changes])
        ProjectTransition.objects.create(
            project=locked,
            from_status=from_status,
            to_status=to,
            by=by,
            reason=reason,
            meeting=meeting,
            held_on=held_on,
        )
    project.refresh_from_db()
    return project


def project_start_drafting(*, project: Project, by, reason: str = "") -> Project:
    """The drafting body starts work on a planned regulation."""
    return _advance(
        project=project,
        allowed=Project.may_start_drafting,
        to=Project.Stage.DRAFTING,
        by=by,
        reason=reason,
        message=_("Only a project in the legislative plan can start drafting."),
    )


def project_hold_reading(
    *, project: Project, by, meeting: str, held_on: dt.date, remarks: str = ""
) -> Project:
    """A reading (审次) at a standing-committee meeting, with the members' remarks."""
    if not meeting.strip():
        raise DomainError(_("Name the standing-committee meeting."))
    return _advance(
        project=project,
        allowed=Project.may_hold_reading,
        to=Project.Stage.READING,
        by=by,
        reason=remarks,
        message=_("A reading needs a draft: start drafting first."),
        meeting=meeting.strip(),
        held_on=held_on,
        bump_readings=True,
    )


def project_review(*, project: Project, by, held_on: dt.date, report: str) -> Project:
    """The unified review by the legal affairs committee (法制委员会) and its report."""
    if not report.strip():
        raise DomainError(_("Enter the legal affairs committee's report."))
    return _advance(
        project=project,
        allowed=Project.may_review,
        to=Project.Stage.REVIEWED,
        by=by,
        reason=report,
        message=_("The unified review follows at least one reading."),
        held_on=held_on,
    )


def project_vote(*, project: Project, by, held_on: dt.date, result: str = "") -> Project:
    """The standing committee adopts the regulation by vote; the province must approve it
    within four months."""
    return _advance(
        project=project,
        allowed=Project.may_vote,
        to=Project.Stage.VOTED,
        by=by,
        reason=result,
        message=_("The vote follows the unified review."),
        held_on=held_on,
        voted_on=held_on,
    )


def project_approve(*, project: Project, by, held_on: dt.date, reason: str = "") -> Project:
    """The provincial standing committee approves the regulation."""
    if project.voted_on and held_on < project.voted_on:
        raise DomainError(_("The approval cannot be before the vote."))
    return _advance(
        project=project,
        allowed=Project.may_approve,
        to=Project.Stage.APPROVED,
        by=by,
        reason=reason,
        message=_("Only an adopted regulation can be approved."),
        held_on=held_on,
        approved_on=held_on,
    )


def project_promulgate(*, project: Project, by, held_on: dt.date, reason: str = "") -> Project:
    """The standing committee promulgates the approved regulation (公布)."""
    return _advance(
        project=project,
        allowed=Project.may_promulgate,
        to=Project.Stage.PROMULGATED,
        by=by,
        reason=reason,
        message=_("Only an approved regulation can be promulgated."),
        held_on=held_on,
        promulgated_on=held_on,
    )


STEPS = {
    "drafting": (project_start_drafting, Project.may_start_drafting),
    "reading": (project_hold_reading, Project.may_hold_reading),
    "review": (project_review, Project.may_review),
    "vote": (project_vote, Project.may_vote),
    "approve": (project_approve, Project.may_approve),
    "promulgate": (project_promulgate, Project.may_promulgate),
}


# --- versions ----------------------------------------------------------------------------------


def version_upload(*, project: Project, kind: str, file, by) -> Version:
    """Upload a version of the draft as a Word file: checked by its content, split into its
    articles; a file that is not a .docx, or has no numbered articles, is refused and nothing
    is kept."""
    _require_staff(by, project)
    if not project.may_upload_version():
        raise DomainError(_("The regulation is promulgated: no further version can be added."))
    if kind not in Version.Kind.values:
        raise DomainError(_("Choose the kind of version."))
    try:
        validate_upload(file, allowed={DOCX})
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    try:
        draft = read_docx(file)
    except DraftError as exc:
        raise DomainError(str(exc)) from exc
    name = original_filename(getattr(file, "name", ""), default="draft.docx")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        last = project.versions.order_by("-number").values_list("number", flat=True).first()
        version = Version(
            project=project,
            number=(last or 0) + 1,
            kind=kind,
            title=draft.title[:200],
            original_name=name,
            uploaded_by=by,
        )
        file.seek(0)
        version.file.save(name, file, save=False)
        version.save()
        Article.objects.bulk_create(
            Article(
                version=version,
                number=a.number,
                label=a.label,
                chapter=a.chapter[:200],
                section=a.section[:200],
                parts=a.paragraphs,
                text=a.text,
            )
            for a in draft.articles
        )
    return version


# --- rounds ------------------------------------------------------------------------------------


def round_save(*, round: Round, by) -> Round:
    """Open (or edit) a consultation round on a version of the draft."""
    version = Version.objects.select_related("project__region").get(pk=round.version_id)
    _require_staff(by, version.project)
    if round.pk:
        old = Round.objects.select_related("version__project__region").get(pk=round.pk)
        _require_staff(by, old.version.project)
        if old.version_id != round.version_id and old.comments.exists():
            raise DomainError(_("The round has comments: its version cannot change."))
        if old.is_closed:
            raise DomainError(_("The round is closed."))
    if round.opens_on and round.deadline and timezone.localdate(round.deadline) < round.opens_on:
        raise DomainError(_("The deadline cannot be before the round opens."))
    if round.pk is None and round.deadline and round.deadline <= timezone.now():
        raise DomainError(_("The deadline has already passed."))
    with transaction.atomic():
        new = round.pk is None
        if new:
            round.created_by = by
        round.save()
        if new:
            RoundTransition.objects.create(round=round, to_status=Round.Status.OPEN, by=by)
    return round


def round_invite(*, round: Round, persons: Iterable, by) -> int:
    """Invite deputies to comment (those already invited are left as they are) and tell each
    one with an account. Returns how many were invited."""
    project = round.version.project
    _require_staff(by, project)
    if not round.accepts_comments():
        raise DomainError(_("The round is closed or past its deadline."))
    ids = {p.pk if isinstance(p, Person) else int(p) for p in persons}
    if not ids:
        raise DomainError(_("Choose at least one deputy."))
    visible = set(Person.objects.visible_to(by).filter(pk__in=ids).values_list("pk", flat=True))
    if visible != ids:
        raise NotAllowed(_("Some of these deputies are outside your region."))
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        present = set(
            Invitation.objects.filter(round=round, person_id__in=ids).values_list(
                "person_id", flat=True
            )
        )
        new = sorted(ids - present)
        Invitation.objects.bulk_create(Invitation(round=round, person_id=pk) for pk in new)
        url = reverse("legislation:round", args=[round.pk])
        for person in Person.objects.filter(pk__in=new, user__isnull=False).select_related("user"):
            notify(
                recipient=person.user,
                kind="legislation_invitation",
                title=_("You are invited to comment on %(title)s") % {"title": project.title},
                body=_("Comments are open until %(deadline)s.")
                % {"deadline": timezone.localtime(round.deadline).strftime("%Y-%m-%d %H:%M")},
                url=url,
                subject=round,
            )
    return len(new)


def round_mark_attended(*, round: Round, persons: Iterable, by) -> int:
    """Record that invited deputies attended a meeting of the round (they count as taking part
    even without a written comment)."""
    _require_staff(by, round.version.project)
    ids = {p.pk if isinstance(p, Person) else int(p) for p in persons}
    return Invitation.objects.filter(round=round, person_id__in=ids).update(attended=True)


def round_participants(round: Round) -> set[int]:
    """The deputies who took part: those who commented or attended."""
    commented = Comment.objects.filter(round=round, person__isnull=False).values_list(
        "person_id", flat=True
    )
    attended = Invitation.objects.filter(round=round, attended=True).values_list(
        "person_id", flat=True
    )
    return set(commented) | set(attended)


def round_close(*, round: Round, by, now: dt.datetime | None = None) -> Round:
    """Close a round after its deadline. It becomes a duty activity of type legislation
    consultation, organised by the project's committee, whose participants are the deputies who
    commented or attended (so it counts in each one's duty record and in the figures)."""
    from stations.models import Activity, Participation

    project = round.version.project
    _require_staff(by, project)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if not locked.may_close(now):
            raise DomainError(_("A round can be closed once, after its deadline."))
        activity = Activity.objects.create(
            kind=Activity.Kind.LEGISLATION,
            title=locked.title,
            date=timezone.localdate(locked.deadline),
            region=project.region,
            committee=project.committee,
            summary=_("%(n)d comments on %(title)s")
            % {"n": locked.comments.count(), "title": project.title},
            created_by=by,
        )
        Participation.objects.bulk_create(
            Participation(activity=activity, person_id=pk, date=activity.date)
            for pk in sorted(round_participants(locked))
        )
        locked.status = Round.Status.CLOSED
        locked.activity = activity
        locked.save(update_fields=["status", "activity"])
        RoundTransition.objects.create(
            round=locked, from_status=Round.Status.OPEN, to_status=Round.Status.CLOSED, by=by
        )
    round.refresh_from_db()
    return round


# --- comments ----------------------------------------------------------------------------------

MAX_COMMENT = 2000


def _check_text(text: str, quote: str, article: Article | None, round: Round) -> tuple[str, str]:
    text, quote = (text or "").strip(), (quote or "").strip()
    if not text:
        raise DomainError(_("Write your comment."))
    if len(text) > MAX_COMMENT:
        raise DomainError(_("A comment has at most %(n)d characters.") % {"n": MAX_COMMENT})
    if article is not None and article.version_id != round.version_id:
        raise DomainError(_("This article is not in the version under consultation."))
    if quote:
        if article is None:
            raise DomainError(_("Quote words only from an article."))
        if quote not in article.text.replace("\n", ""):
            raise DomainError(_("The quoted words are not in this article."))
    return text, quote[:300]


def _require_open(round: Round, now=None) -> None:
    if not round.accepts_comments(now):
        if timezone.localdate(now or timezone.now()) < round.opens_on:
            raise DomainError(_("The round is not open for comments yet."))
        raise DomainError(_("The deadline for comments has passed."))


def may_comment(user, round: Round) -> bool:
    """An invited deputy, while the round accepts comments."""
    return (
        round.accepts_comments()
        and access.role_of(user) == "deputy"
        and Invitation.objects.filter(round=round, person__user=user).exists()
    )


def comment_submit(
    *, round: Round, article: Article | None, text: str, quote: str = "", by, now=None
) -> Comment:
    """An invited deputy comments on an article (optionally quoting the words meant)."""
    person = Person.objects.filter(user=by).first() if access.role_of(by) == "deputy" else None
    if person is None or not Invitation.objects.filter(round=round, person=person).exists():
        raise NotAllowed(_("Only deputies invited to this round may comment."))
    text, quote = _check_text(text, quote, article, round)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        _require_open(locked, now)
        return Comment.objects.create(
            round=locked,
            article=article,
            channel=Comment.Channel.DEPUTY,
            person=person,
            quote=quote,
            text=text,
        )


def comment_enter(
    *, round: Round, article: Article | None, contact_point: ContactPoint, text: str, by
) -> Comment:
    """Staff enter a comment gathered by a grassroots legislative contact point."""
    _require_staff(by, round.version.project)
    access.require_in_scope(by, contact_point)
    text, _quote = _check_text(text, "", article, round)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        _require_open(locked)
        return Comment.objects.create(
            round=locked,
            article=article,
            channel=Comment.Channel.CONTACT_POINT,
            contact_point=contact_point,
            text=text,
            created_at=timezone.now(),
        )


def comment_answer(*, comment: Comment, outcome: str, reason: str, by) -> Comment:
    """The legislative affairs staff answer a comment: adopted, partly adopted or not adopted,
    with the reason (required unless adopted)."""
    round = Round.objects.select_related("version__project__region").get(pk=comment.round_id)
    _require_staff(by, round.version.project)
    if outcome not in Comment.Outcome.values or outcome == Comment.Outcome.PENDING:
        raise DomainError(_("Choose adopted, partly adopted or not adopted."))
    reason = (reason or "").strip()
    if outcome != Comment.Outcome.ADOPTED and not reason:
        raise DomainError(_("Give the reason when a comment is not wholly adopted."))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.outcome == outcome and locked.reason == reason:
            raise DomainError(_("The comment already has this answer."))
        if locked.linked_article_id and outcome == Comment.Outcome.NOT_ADOPTED:
            raise DomainError(_("The comment is linked to a changed article: unlink it first."))
        previous = locked.outcome
        locked.outcome, locked.reason = outcome, reason
        locked.answered_by, locked.answered_at = by, timezone.now()
        locked.save(update_fields=["outcome", "reason", "answered_by", "answered_at"])
        CommentTransition.objects.create(
            comment=locked, from_status=previous, to_status=outcome, by=by, reason=reason
        )
    comment.refresh_from_db()
    return comment


def linkable_articles(comment: Comment):
    """Articles of the project's later versions, where a comment's change may be found."""
    version = comment.round.version
    return Article.objects.filter(
        version__project_id=version.project_id, version__number__gt=version.number
    ).select_related("version")


def comment_link(*, comment: Comment, article: Article, by) -> Comment:
    """Link an adopted comment to the article of a later version that it changed, and tell the
    deputy who made it."""
    round = Round.objects.select_related("version__project__region").get(pk=comment.round_id)
    project = round.version.project
    _require_staff(by, project)
    if not linkable_articles(comment).filter(pk=article.pk).exists():
        raise DomainError(_("Choose an article of a later version of the same draft."))
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("person__user")
            .get(pk=comment.pk)
        )
        if not locked.may_link():
            raise DomainError(_("Only an adopted or partly adopted comment can be linked."))
        if locked.linked_article_id == article.pk:
            raise DomainError(_("The comment is already linked to this article."))
        locked.linked_article = article
        locked.save(update_fields=["linked_article"])
        CommentTransition.objects.create(
            comment=locked,
            from_status=locked.outcome,
            to_status=locked.outcome,
            by=by,
            reason=_("Linked to %(label)s of %(version)s")
            % {"label": article.label, "version": article.version.get_kind_display()},
        )
        if locked.person_id and locked.person.user_id:
            notify(
                recipient=locked.person.user,
                kind="legislation_comment_linked",
                title=_("Your comment changed %(label)s of %(title)s")
                % {"label": article.label, "title": project.title},
                body=article.text[:300],
                url=reverse("legislation:round", args=[round.pk]) + "#mine",
                subject=locked,
            )
    comment.refresh_from_db()
    return comment


# --- the public and their phone codes ------------------------------------------------------------

CODE_MINUTES = 10
CODE_ATTEMPTS = 3
CODES_PER_HOUR = 5
PHONE_DIGITS = 11


def _hash(round_id: int, phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{round_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "")
    if not (phone.isdigit() and len(phone) == PHONE_DIGITS and phone.startswith("1")):
        raise DomainError(_("Enter an 11-digit mobile number."))
    return phone


def phone_code_send(*, round: Round, phone: str) -> None:
    """Send a six-digit code by SMS to a member of the public who wants to comment (at most
    five an hour per number); only its hash is kept."""
    from anping.notifications.sms import SmsError, get_backend

    if not round.is_public:
        raise NotAllowed(_("This round is not open to the public."))
    _require_open(round)
    phone = _phone(phone)
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    if PhoneCode.objects.filter(phone=phone, created_at__gte=hour_ago).count() >= CODES_PER_HOUR:
        raise DomainError(_("Too many codes for this number: try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        round=round,
        phone=phone,
        code_hash=_hash(round.pk, phone, code),
        expires_at=timezone.now() + dt.timedelta(minutes=CODE_MINUTES),
    )
    backend = get_backend()
    if backend is not None:
        try:
            backend.send(
                to=phone,
                text=_("Your code for commenting on the draft: %(code)s (valid %(m)d minutes)")
                % {"code": code, "m": CODE_MINUTES},
            )
        except SmsError as exc:
            raise DomainError(_("The code could not be sent: try again later.")) from exc


def _verify(round: Round, phone: str, code: str) -> None:
    with transaction.atomic():
        latest = (
            PhoneCode.objects.select_for_update()
            .filter(round=round, phone=phone, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is None or latest.expires_at < timezone.now():
            raise DomainError(_("The code has expired: ask for a new one."))
        if latest.attempts >= CODE_ATTEMPTS:
            raise DomainError(_("Too many wrong codes: ask for a new one."))
        if not hmac.compare_digest(latest.code_hash, _hash(round.pk, phone, (code or "").strip())):
            PhoneCode.objects.filter(pk=latest.pk).update(attempts=latest.attempts + 1)
            wrong = True
        else:
            PhoneCode.objects.filter(pk=latest.pk).update(used_at=timezone.now())
            wrong = False
    if wrong:  # outside the block, so that the attempt is counted
        raise DomainError(_("The code is wrong."))


def comment_submit_public(
    *, round: Round, article: Article | None, text: str, phone: str, code: str, name: str = ""
) -> Comment:
    """A member of the public comments on the round's public page, with a verified phone."""
    if not round.is_public:
        raise NotAllowed(_("This round is not open to the public."))
    _require_open(round)
    phone = _phone(phone)
    text, _quote = _check_text(text, "", article, round)
    _verify(round, phone, code)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        _require_open(locked)
        return Comment.objects.create(
            round=locked,
            article=article,
            channel=Comment.Channel.PUBLIC,
            public_name=(name or "").strip()[:40],
            public_phone=phone,
            text=text,
        )
