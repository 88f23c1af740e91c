"""Pages of the loop.

Public (no account; a phone, often inside WeChat's browser; plain forms, no script): the card's
page where a resident writes, the code check, the tracking page where they read the answer and
confirm. Portal: one list and one page per case for every role (what each sees comes from
`Case.objects.visible_to`, what each may do from the step predicates), the printable cards,
the deputy's WeChat groups and the staff's count of them.
"""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anping.accounts import access
from anping.errors import run_step
from anping.regions.models import Region
from deputies.models import Person
from stations.models import Station

from . import forms, services
from .models import Card, Case, Photo, ReplyFile, Submission, WeChatGroup

SESSION_KEY = "opinions_submission"


def _client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _qr_svg(url: str) -> str:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return out.getvalue().decode()


# --- public ----------------------------------------------------------------------------------


def resident_write(request, token: str):
    """The page a card's QR code opens."""
    card = get_object_or_404(Card.objects.select_related("person", "station"), token=token)
    deputies = services.card_deputies(card)
    if not deputies:
        raise Http404
    area = services.card_area(card)
    if area is None:
        raise Http404
    regions = (
        Region.objects.filter(path__startswith=area.path, kind=Region.Kind.TOWNSHIP)
        .select_related("parent")
        .order_by("path")
    )
    form = forms.ResidentForm(
        request.POST or None, request.FILES or None, deputies=deputies, regions=regions
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            # The honeypot was filled: answer as if all went well, store nothing.
            return redirect("opinions:verify")
        deputy = next(p for p in deputies if p.pk == data["deputy"])
        ok, submission = run_step(
            request,
            services.submission_start,
            card=card,
            deputy=deputy,
            topic=data["topic"],
            text=data["text"],
            region=data["region"],
            phone=data["phone"],
            name=data["name"],
            address=_client_address(request),
            photos=data["photos"],
        )
        if ok:
            request.session[SESSION_KEY] = submission.pk
            return redirect("opinions:verify")
    owner = card.person or card.station
    return render(
        request,
        "opinions/resident_write.html",
        {"card": card, "owner": owner, "form": form, "deputies": deputies},
    )


def resident_verify(request):
    """The resident types the code we sent; right, they get the tracking code and link."""
    pk = request.session.get(SESSION_KEY)
    submission = Submission.objects.filter(pk=pk).first() if pk else None
    form = forms.CodeForm(request.POST or None)
    if submission is None or submission.status != Submission.Status.PENDING:
        if request.method == "POST" or submission is not None:
            request.session.pop(SESSION_KEY, None)
        return render(request, "opinions/resident_verify.html", {"form": None})
    if request.method == "POST" and form.is_valid():
        ok, case = run_step(
            request,
            services.submission_verify,
            submission=submission,
            code=form.cleaned_data["code"],
        )
        if ok:
            request.session.pop(SESSION_KEY, None)
            return redirect("opinions:track", code=case.code)
        submission.refresh_from_db(fields=["status"])
        if submission.status != Submission.Status.PENDING:
            request.session.pop(SESSION_KEY, None)
            return render(request, "opinions/resident_verify.html", {"form": None})
    masked = access.mask_phone(submission.phone)
    return render(request, "opinions/resident_verify.html", {"form": form, "masked": masked})


def resident_track(request, code: str):
    """What became of it: the steps, the answer, and (when answered) the confirmation. Never
    the phone number, never another opinion."""
    case = get_object_or_404(
        Case.objects.select_related("opinion__region__parent", "opinion__taken_by", "unit"),
        code=code.upper()[:16],
    )
    form = forms.ConfirmForm(request.POST or None) if services.may_confirm(case) else None
    if request.method == "POST" and form is not None and form.is_valid():
        ok, _c = run_step(
            request,
            services.case_confirm,
            success=_("Thank you. Your answer was recorded."),
            case=case,
            solved=form.cleaned_data["solved"],
            satisfaction=form.cleaned_data["satisfaction"],
        )
        if ok:
            return redirect("opinions:track", code=case.code)
    steps = list(case.steps.order_by("at", "pk"))
    images = [f for f in services.answer_files(case).filter(shown_to_resident=True) if f.is_public]
    return render(
        request,
        "opinions/resident_track.html",
        {"case": case, "opinion": case.opinion, "steps": steps, "form": form, "images": images},
    )


# --- portal: lists and a case ----------------------------------------------------------------

LIST_FILTERS = {
    "open": Q(status__in=Case.OPEN),
    "with_unit": Q(status=Case.Status.DISPATCHED),
    "answered": Q(status=Case.Status.ANSWERED),
    "closed": ~Q(status__in=Case.OPEN | {Case.Status.DISPATCHED, Case.Status.ANSWERED}),
}


@login_required
def case_list(request):
    """The cases the user may see: a deputy's own and their station's, a unit's inbox, the
    staff's region. Two queries whatever the number: the page's count and its rows."""
    qs = Case.objects.visible_to(request.user)
    if not (access.is_committee_staff(request.user) or access.role_of(request.user)):
        raise Http404
    shown = request.GET.get("show", "")
    if shown in LIST_FILTERS:
        qs = qs.filter(LIST_FILTERS[shown])
    if access.role_of(request.user) == "unit_staff":
        qs = qs.order_by("due", "pk")
    else:
        qs = qs.order_by("-created_at", "-pk")
    page = Paginator(qs.with_lists(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "opinions/case_list.html",
        {"page": page, "shown": shown, "filters": list(LIST_FILTERS)},
    )


def _may_see_phone(user) -> bool:
    # The case is already visible to the user: a deputy's own or their station's, a staff's
    # region. A unit sees the number masked.
    return access.role_of(user) == "deputy" or access.is_committee_staff(user)


@login_required
def case_detail(request, pk: int):
    case = access.get_visible_or_404(
        Case.objects.select_related(
            "opinion__region__parent",
            "opinion__taken_by",
            "opinion__station",
            "unit",
            "suggestion",
        ),
        request.user,
        pk=pk,
    )
    user = request.user
    context = {
        "case": case,
        "opinion": case.opinion,
        "steps": list(case.steps.select_related("by").order_by("at", "pk")),
        "photos": list(case.submission.photos.all()) if case.submission_id else [],
        "reply_files": list(services.answer_files(case)) if case.answer else [],
        "phone": case.phone if _may_see_phone(user) else case.masked_phone,
        "may_deputy": services.may_deputy_act(user, case),
        "may_dispatch": services.may_dispatch(user, case),
        "may_reply": services.may_reply(user, case),
        "may_send_back": services.may_send_back(user, case),
        "may_call": services.may_record_call(user, case),
        "answer_form": forms.AnswerForm(),
        "reply_form": forms.ReplyForm(),
        "send_back_form": forms.SendBackForm(),
        "call_form": forms.CallForm(),
    }
    if context["may_dispatch"]:
        context["dispatch_form"] = forms.DispatchForm(units=services.dispatch_units(user))
    return render(request, "opinions/case_detail.html", context)


DEPUTY_STEPS = {
    "close": (services.case_answer_close, "answer"),
    "guide": (services.case_guide_legal, "answer"),
    "propose": (services.case_propose, "reason"),
}


@require_POST
@login_required
def case_step(request, pk: int, action: str):
    """One step on a case from its page; the service decides, its refusal is the message."""
    case = access.get_visible_or_404(Case.objects.all(), request.user, pk=pk)
    user, done = request.user, _("Done.")
    if action in DEPUTY_STEPS:
        form = forms.AnswerForm(request.POST)
        if form.is_valid():
            fn, arg = DEPUTY_STEPS[action]
            run_step(
                request, fn, success=done, case=case, by=user, **{arg: form.cleaned_data["text"]}
            )
        else:
            messages.error(request, _("Write what you told the resident."))
    elif action == "take_up":
        ok, suggestion = run_step(request, services.case_take_up, case=case, by=user)
        if ok:
            return redirect("proposals:edit", pk=suggestion.pk)
    elif action == "dispatch":
        form = forms.DispatchForm(request.POST, units=services.dispatch_units(user))
        if form.is_valid():
            run_step(
                request,
                services.case_dispatch,
                success=done,
                case=case,
                by=user,
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
            )
        else:
            messages.error(request, _("Choose a handling unit."))
    elif action == "reply":
        form = forms.ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            run_step(
                request,
                services.case_reply,
                success=done,
                case=case,
                by=user,
                text=form.cleaned_data["text"],
                outcome=form.cleaned_data["outcome"],
                solve_by=form.cleaned_data["solve_by"],
                files=form.cleaned_data["files"],
                files_shown_to_resident=form.cleaned_data["files_shown_to_resident"],
            )
        elif "files" in form.errors:
            # The file check's own words (which file, what was found), nothing stored.
            messages.error(request, " ".join(form.errors["files"]))
        else:
            messages.error(request, _("Choose the outcome and write the answer."))
    elif action == "send_back":
        form = forms.SendBackForm(request.POST)
        if form.is_valid():
            run_step(
                request,
                services.case_send_back,
                success=done,
                case=case,
                by=user,
                reason=form.cleaned_data["reason"],
            )
        else:
            messages.error(request, _("Say why it is not your unit's business."))
    elif action == "call":
        form = forms.CallForm(request.POST)
        if form.is_valid():
            run_step(
                request,
                services.case_record_call,
                success=done,
                case=case,
                by=user,
                solved=form.cleaned_data["solved"],
                satisfaction=form.cleaned_data["satisfaction"],
                note=form.cleaned_data["note"],
            )
        else:
            messages.error(request, _("Say whether it was solved and how satisfied."))
    else:
        raise Http404
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        # A unit that sent it back no longer sees it.
        return redirect("opinions:cases")
    return redirect("opinions:case", pk=case.pk)


@login_required
def photo(request, pk: int):
    """A resident's photo, to those who may see its case only."""
    from anping.uploads.serving import serve_protected

    item = get_object_or_404(
        Photo.objects.filter(submission__case__in=Case.objects.visible_to(request.user)), pk=pk
    )
    return serve_protected(request, item.file, filename=item.name, inline=True)


@login_required
def reply_file(request, pk: int):
    """A file of the unit's answer, to those who may see its case only (else 404)."""
    from anping.uploads.serving import serve_protected

    item = get_object_or_404(ReplyFile.objects.visible_to(request.user), pk=pk)
    return serve_protected(request, item.file, filename=item.name, inline=True)


def track_file(request, code: str, pk: int):
    """An image of the unit's answer on the public tracking page: only one of this case's, an
    image by content, marked by the unit as showing no personal data; anything else is 404."""
    from anping.uploads.serving import serve_protected

    item = get_object_or_404(
        ReplyFile.objects.filter(case__code=code.upper()[:16], shown_to_resident=True), pk=pk
    )
    if not item.is_public:
        raise Http404
    return serve_protected(request, item.file, filename=item.name, inline=True)


# --- cards -----------------------------------------------------------------------------------


def _card_context(request, card: Card) -> dict:
    url = request.build_absolute_uri(reverse("opinions:write", args=[card.token]))
    # segno writes the SVG itself from the URL: no user text in it.
    return {"card": card, "url": url, "qr": mark_safe(_qr_svg(url))}


@login_required
def my_card(request):
    """The deputy's own card, printable (A6)."""
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    ok, card = run_step(request, services.card_for, by=request.user, person=person)
    if not ok:
        raise Http404
    return render(request, "opinions/cards.html", {"cards": [_card_context(request, card)]})


@login_required
def station_cards(request, pk: int):
    """A station's card and its serving deputies' cards on one print page (staff)."""
    station = access.get_visible_or_404(Station.objects.all(), request.user, pk=pk)
    if not services.may_issue_card(request.user, station=station):
        raise Http404
    cards = [services.card_for(by=request.user, station=station)]
    for person in services.card_deputies(cards[0]):
        if services.may_issue_card(request.user, person=person):
            cards.append(services.card_for(by=request.user, person=person))
    cards = Card.objects.filter(pk__in=[c.pk for c in cards]).select_related(
        "person", "station__region"
    )
    return render(
        request,
        "opinions/cards.html",
        {"cards": [_card_context(request, c) for c in cards], "station": station},
    )


# --- WeChat groups ---------------------------------------------------------------------------


@login_required
def my_groups(request):
    if Person.objects.filter(user=request.user).first() is None:
        raise Http404
    form = forms.WeChatGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _g = run_step(
            request,
            services.wechat_group_add,
            success=_("The group was recorded."),
            by=request.user,
            **form.cleaned_data,
        )
        if ok:
            return redirect("opinions:groups")
    groups = list(WeChatGroup.objects.visible_to(request.user).select_related("region__parent"))
    return render(request, "opinions/groups.html", {"form": form, "groups": groups})


@login_required
def groups_by_region(request):
    """Staff: per county (or township, inside a county), how many deputies showed themselves
    in at least one group. One grouped query."""
    if not access.is_committee_staff(request.user):
        raise Http404
    rows = (
        WeChatGroup.objects.visible_to(request.user)
        .values("region__parent__name")
        .annotate(deputies=Count("person", distinct=True), groups=Count("pk"))
        .order_by("region__parent__name")
    )
    total = WeChatGroup.objects.visible_to(request.user).aggregate(
        deputies=Count("person", distinct=True)
    )
    return render(request, "opinions/groups_by_region.html", {"rows": rows, "total": total})


# --- paper ----------------------------------------------------------------------------------


@login_required
def paper_import(request):
    """Staff upload a sheet of opinions collected on paper: every error at once, by row and
    column; nothing is written from a sheet with errors."""
    from . import paper

    if not access.is_committee_staff(request.user):
        raise Http404
    form = forms.PaperForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        plan = paper.read(form.cleaned_data["file"], by=request.user)
        errors = plan.errors
        if not errors:
            ok, n = run_step(request, services.paper_apply, by=request.user, plan=plan)
            if ok:
                messages.success(request, _("%(n)d opinions imported.") % {"n": n})
                return redirect("opinions:cases")
    return render(
        request,
        "opinions/paper.html",
        {"form": form, "errors": errors, "columns": paper.COLUMNS},
    )


# --- by handling unit ------------------------------------------------------------------------


@login_required
def by_unit(request):
    """Staff: each handling unit's record on residents' opinions of a year (sent, answered on
    time, late, overdue now, solved as the resident confirmed, satisfied). One grouped query."""
    from django.utils import timezone

    if not access.is_committee_staff(request.user):
        raise Http404
    this = timezone.localdate().year
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= this else this
    S = Case.Status
    rows = (
        Case.objects.visible_to(request.user)
        .filter(unit__isnull=False, opinion__received_on__year=year)
        .values("unit__name")
        .annotate(
            sent=Count("pk"),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
            late=Count("pk", filter=Q(answered_on_time=False)),
            overdue=Count("pk", filter=Q(status=S.DISPATCHED, due__lt=timezone.localdate())),
            confirmed=Count("pk", filter=Q(status=S.SOLVED)),
            satisfied=Count("pk", filter=Q(satisfaction__in=["satisfied", "basic"])),
        )
        .order_by("-sent", "unit__name")
    )
    return render(
        request,
        "opinions/by_unit.html",
        {"rows": rows, "year": year, "years": list(range(this, this - 5, -1))},
    )
