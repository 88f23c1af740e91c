"""Portal and public pages: the ballot (signed in, or through a one-time link), the receipt
check, published results and project progress, the unit's progress reports and the public's
project ideas. Every write goes through `services`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from anping.accounts import access
from anping.accounts.models import User
from anping.errors import DomainError, run_step
from deputies.models import Person

from . import selectors, services
from .forms import ProgressReportForm, SuggestionForm
from .models import (
    Mark,
    Milestone,
    Participation,
    Poll,
    ProgressPhoto,
    ProgressReport,
    Project,
    ResultLine,
    Round,
    Suggestion,
)


def _marks_from(request, poll: Poll) -> list[tuple[int, str]]:
    """The marks a ballot form sent: checked candidates for a vote, a grade per project for a
    rating. Unparseable values are refused as a whole."""
    try:
        if poll.kind == Poll.Kind.VOTE:
            return [(int(v), "") for v in request.POST.getlist("candidate")]
        return [
            (int(key.removeprefix("grade-")), value)
            for key, value in request.POST.items()
            if key.startswith("grade-")
        ]
    except ValueError:
        raise DomainError(_("The ballot could not be read. Mark it again.")) from None


def _ballot_page(
    request,
    poll: Poll,
    person: Person | None,
    action: str,
    *,
    voted: bool | None = None,
    eligible: bool | None = None,
):
    """GET shows the ballot (or why it cannot be cast); POST casts it and shows the receipt.
    A refused ballot comes back with the reason and status 409; nothing was recorded.
    `voted` and `eligible`, when the caller already read them, save their queries."""
    context = {"poll": poll, "action": action, "person": person}
    status = 200
    if request.method == "POST":
        try:
            if voted:
                # Known already: spare the hall's database a transaction bound to fail.
                raise DomainError(services.already_voted_message())
            if request.POST.get("confirm") != "1":
                # A ballot cannot be changed once cast: the voter ticks that they are sure.
                raise DomainError(_("Tick the box to confirm your ballot before submitting it."))
            code = services.ballot_cast(poll=poll, person=person, marks=_marks_from(request, poll))
        except DomainError as exc:
            context["error"] = exc.message
            status = 409
            voted = None
        else:
            return render(request, "livelihood/receipt.html", {**context, "code": code})
    if voted is None:
        voted = person is not None and (
            Participation.objects.filter(poll=poll, person=person).exists()
        )
    context["voted"] = voted
    context["eligible"] = services.is_voter(poll, person) if eligible is None else eligible
    if poll.takes_ballots and context["eligible"] and not voted:
        context["items"] = services.ballot_items(poll)
        if poll.kind == Poll.Kind.RATING:
            context["grades"] = Mark.Grade.choices
    return render(request, "livelihood/ballot.html", context, status=status)


def _poll_qs():
    return Poll.objects.select_related("round__term__congress__region")


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def ballot(request, pk: int):
    """A signed-in deputy's ballot (sessions opened before the sitting). Any deputy may open an
    open poll's page; one who is not a serving deputy of its congress is told so, in words."""
    if access.role_of(request.user) != User.Role.DEPUTY:
        raise Http404
    poll = get_object_or_404(_poll_qs().exclude(status=Poll.Status.PREPARED), pk=pk)
    person = Person.objects.filter(user=request.user).first()
    return _ballot_page(request, poll, person, request.path)


# The token in the address is the secret that proves who may vote: a forged cross-site post
# would need the token, and whoever has it can vote anyway. So no CSRF cookie is needed here,
# and the hall's phones need no session at all.
@csrf_exempt
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def pass_ballot(request, token: str):
    """A deputy's ballot through the one-time link printed on their slip (no login)."""
    try:
        found = services.pass_resolve(token)
    except DomainError as exc:
        response = render(request, "livelihood/ballot.html", {"error": exc.message}, status=404)
    else:
        if not found.poll.issues_links:
            # The link expires when the poll closes: what it could do is over.
            response = render(
                request, "livelihood/ballot_expired.html", {"poll": found.poll}, status=410
            )
        else:
            response = _ballot_page(
                request,
                found.poll,
                found.person,
                request.path,
                voted=found.voted,
                eligible=found.serving,
            )
    response["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer header
    response["Cache-Control"] = "no-store"
    # Django logs 4xx responses with their path; this path is the deputy's token.
    response._has_been_logged = True
    return response


def index(request):
    """Open ballots for the deputy; published results and projects for everyone."""
    user = request.user
    published = list(selectors.published_polls())
    context = {
        "published": published,
        "projects": selectors.public_projects(timezone.localdate())[:12],
        "supervision": selectors.supervision_figures({p.round_id for p in published}),
    }
    if access.role_of(user) == User.Role.DEPUTY:
        context["my_polls"] = selectors.deputy_polls(user)
    return render(request, "livelihood/index.html", context)


def result(request, pk: int):
    """A published result: votes per candidate, the chosen, turnout, quorum and the rule."""
    poll = get_object_or_404(_poll_qs().published(), pk=pk)
    lines = (
        ResultLine.objects.filter(poll=poll)
        .select_related("candidate__unit")
        .order_by("rank", "candidate__number")
    )
    return render(request, "livelihood/result.html", {"poll": poll, "lines": lines})


@require_http_methods(["GET", "POST"])
def receipt_check(request):
    """Anyone holding a receipt code may check that the ballot was counted; the answer says
    nothing of what it said."""
    polls = Poll.objects.exclude(status=Poll.Status.PREPARED).select_related("round")
    found = None
    if request.method == "POST":
        poll_id = request.POST.get("poll", "")
        if not poll_id.isdigit() or len(poll_id) > 12:
            raise Http404
        poll = get_object_or_404(polls, pk=int(poll_id))
        found = services.receipt_check(poll=poll, code=request.POST.get("code", ""))
    return render(
        request,
        "livelihood/receipt_check.html",
        {"polls": polls.order_by("-round__year"), "found": found},
    )


def projects(request):
    """The chosen projects and how far each has come: public, nothing personal."""
    return render(
        request,
        "livelihood/projects.html",
        {"projects": selectors.public_projects(timezone.localdate())},
    )


def project(request, pk: int):
    today = timezone.localdate()
    qs = (
        Project.objects.visible_to(request.user)
        .with_progress(today)
        .select_related("unit", "round__term__congress__region")
    )
    obj = get_object_or_404(
        qs.prefetch_related(
            "milestones",
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.order_by("-reported_on", "-pk").prefetch_related(
                    "photos"
                ),
            ),
        ),
        pk=pk,
    )
    obj.behind = obj.is_behind(today, obj.latest_percent, obj.overdue_milestones)
    obj.expected = obj.expected_percent(today)
    milestones = list(obj.milestones.all())
    may_mark = services.may_mark_on(request.user, obj)  # the actor rule, once for the page
    for m in milestones:
        m.project = obj  # the state rule reads the project: no query per milestone
        m.may_mark = may_mark and m.can_mark_done
    return render(
        request,
        "livelihood/project.html",
        {
            "project": obj,
            "milestones": milestones,
            "may_report": services.may_report(request.user, obj),
            "supervisions": selectors.project_supervisions(obj),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_done(request, pk: int):
    """The project's unit or staff mark a milestone done: GET asks to confirm, POST records it."""
    milestone = get_object_or_404(
        Milestone.objects.filter(
            project__in=Project.objects.visible_to(request.user)
        ).select_related("project"),
        pk=pk,
    )
    if request.method == "POST":
        run_step(
            request,
            services.milestone_done,
            success=_("The milestone is marked done."),
            milestone=milestone,
            by=request.user,
        )
        return redirect("livelihood:project", pk=milestone.project_id)
    if not services.may_mark_milestone(request.user, milestone):
        raise Http404
    return render(request, "livelihood/milestone_done.html", {"milestone": milestone})


def photo(request, pk: int):
    """A progress photo, for whoever may see its project."""
    obj = get_object_or_404(
        ProgressPhoto.objects.filter(report__project__in=Project.objects.visible_to(request.user)),
        pk=pk,
    )
    try:
        handle = obj.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type=obj.content_type)


@login_required
def unit_projects(request):
    """A unit's own projects, with the next report due and whether each is behind."""
    if access.role_of(request.user) != User.Role.UNIT_STAFF:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "livelihood/unit_projects.html",
        {"projects": selectors.unit_projects(request.user, today)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    """The responsible unit files a progress report (percentage, text, photos)."""
    if access.role_of(request.user) != User.Role.UNIT_STAFF:
        raise Http404
    # Only the unit's own projects: a published one of another unit is visible, not reportable.
    obj = get_object_or_404(
        Project.objects.select_related("unit", "round"), pk=pk, unit_id=request.user.organisation_id
    )
    form = ProgressReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_file(
                project=obj,
                by=request.user,
                percent=form.cleaned_data["percent"],
                text=form.cleaned_data["text"],
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Progress report filed."))
            return redirect("livelihood:project", pk=obj.pk)
    return render(request, "livelihood/report_form.html", {"project": obj, "form": form})


def _ideas_throttled(request) -> bool:
    """Ideas per sending address and hour, counted in the shared cache. Generous: a whole office
    or a village's internet café shares one address; the limit stops a flood, not a family."""
    limit = getattr(settings, "LIVELIHOOD_IDEAS_PER_HOUR", 30)
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"livelihood:ideas:{request.META.get('REMOTE_ADDR', '')}:{hour}"
    cache.add(key, 0, 3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        sent = 1
    return sent > limit


@require_http_methods(["GET", "POST"])
def suggest(request, pk: int):
    """The public, deputies and departments send project ideas while a round collects them.
    Where an idea comes from is who is signed in (anonymous: the public), never a choice."""
    round_ = get_object_or_404(Round.objects.select_related("term__congress__region"), pk=pk)
    today = timezone.localdate()
    form = SuggestionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _ideas_throttled(request):
            form.add_error(
                None, _("Too many ideas were sent from your address this hour. Try again later.")
            )
            status = 429
        else:
            try:
                services.suggestion_submit(
                    round=round_, user=request.user, today=today, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you: your project idea has been received."))
                return redirect("livelihood:index")
    return render(
        request,
        "livelihood/suggest.html",
        {
            "round": round_,
            "form": form,
            "open": round_.collecting_on(today),
            "source": Suggestion.Source(services.suggestion_source_for(request.user)).label,
        },
        status=status,
    )
