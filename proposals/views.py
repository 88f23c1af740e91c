"""The portal side of suggestions: deputies (on phones), handling units and evaluators.
Committee staff work in the admin. Every view reads through `visible_to` (outsiders get 404)
and every change goes through `proposals.services`."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anping.accounts import access
from anping.accounts.models import User
from anping.errors import DomainError, run_step
from deputies.models import Mandate, Person

from . import forms, selectors, services
from .models import Assignment, Attachment, Commitment, CoSigner


def _role_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if access.role_of(request.user) not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _step(request, fn, success: str, **kwargs) -> bool:
    """`errors.run_step` for a view that only needs to know whether the step went through."""
    return run_step(request, fn, success=success, **kwargs)[0]


def _pk_or_404(value) -> int:
    """An id posted by a form: digits only, else 404 (never a 500)."""
    value = str(value or "")
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


# Rows per page of the unit's lists.
PAGE_SIZE = 50


def _detail(pk):
    return redirect("proposals:detail", pk=pk)


# --- for everyone who may see a suggestion -----------------------------------------------------


@login_required
def index(request):
    role = access.role_of(request.user)
    if access.is_committee_staff(request.user):
        return redirect("admin:proposals_suggestion_changelist")
    if role == User.Role.UNIT_STAFF:
        return redirect("proposals:unit_inbox")
    if role == User.Role.EVALUATOR:
        return redirect("proposals:evaluations")
    if role != User.Role.DEPUTY:
        raise Http404
    person = selectors.person_of(request.user)
    suggestions = list(selectors.deputy_suggestions(request.user, person))
    return render(
        request,
        "proposals/list.html",
        {
            "person": person,
            "suggestions": suggestions,
            "invitations": list(selectors.invitations(person)),
        },
    )


@login_required
def detail(request, pk):
    s = selectors.suggestion_for_page(request.user, pk)
    user = request.user
    person = selectors.person_of(user)
    role = access.role_of(user)
    assignments = list(s.assignments.all())
    is_lead = person is not None and person.pk == s.lead_id
    my_invitation = None
    if person is not None:
        my_invitation = next(
            (
                c
                for c in s.cosigners.all()
                if c.person_id == person.pk and services.may_respond(c, user)
            ),
            None,
        )
    # Each button is shown exactly when its step's predicate (the service's own check) passes.
    may_give_feedback = services.may_give_feedback(s, user)
    may_ask_evaluation = services.may_ask_evaluation(s, user)
    my_assignments = [
        a for a in assignments if role == User.Role.UNIT_STAFF and a.unit_id == user.organisation_id
    ]
    editable = services.may_edit(s, user)
    return render(
        request,
        "proposals/detail.html",
        {
            "s": s,
            "is_lead": is_lead,
            "editable": editable,
            "may_submit": editable and services.may_submit(s, user),
            "withdrawable": [c for c in s.cosigners.all() if services.may_withdraw(c, user)]
            if editable
            else [],
            "my_invitation": my_invitation,
            "may_give_feedback": may_give_feedback,
            "feedback_form": forms.FeedbackForm() if may_give_feedback else None,
            "may_ask_evaluation": may_ask_evaluation,
            "evaluation_form": forms.EvaluationRequestForm() if may_ask_evaluation else None,
            "assignments": assignments,
            "current_assignments": [
                a
                for a in assignments
                if a.round == s.round and a.status != Assignment.Status.REPLACED
            ],
            "my_assignments": my_assignments,
            "replies": list(s.replies.all()),
            "attachment_form": forms.AttachmentForm(),
            "show_evaluations": role == User.Role.EVALUATOR or access.is_committee_staff(user),
        },
    )


@login_required
def attachment(request, pk):
    """A file, to those who may see its suggestion only."""
    from anping.uploads.serving import serve_protected

    item = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    return serve_protected(request, item.file, filename=item.name)


@require_POST
@login_required
def ask_evaluation(request, pk):
    s = selectors.suggestion_for_page(request.user, pk)
    form = forms.EvaluationRequestForm(request.POST)
    if form.is_valid():
        _step(
            request,
            services.evaluation_request,
            _("Evaluation requested."),
            suggestion=s,
            by=request.user,
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, _("Say why evaluation is needed."))
    return _detail(pk)


# --- the deputy --------------------------------------------------------------------------------


def _mandates(user):
    person = selectors.person_of(user)
    return person, list(services.serving_mandates(person)) if person else []


@_role_required(User.Role.DEPUTY)
def new(request):
    person, mandates = _mandates(request.user)
    form = forms.SuggestionForm(request.POST or None, request.FILES or None, mandates=mandates)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                s = services.suggestion_create(
                    by=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    category=form.cleaned_data["category"],
                    mandate=form.chosen_mandate(),
                )
                for f in form.cleaned_data.get("files") or []:
                    services.attachment_add(suggestion=s, by=request.user, file=f)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft saved. Invite co-signers or submit it when ready."))
            return _detail(s.pk)
    return render(request, "proposals/form.html", {"form": form, "creating": True})


@_role_required(User.Role.DEPUTY)
def edit(request, pk):
    s = selectors.suggestion_for_page(request.user, pk)
    person, mandates = _mandates(request.user)
    initial = {"title": s.title, "body": s.body, "category": s.category}
    form = forms.SuggestionForm(
        request.POST or None, request.FILES or None, initial=initial, mandates=[]
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.suggestion_update(
                    suggestion=s,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    category=form.cleaned_data["category"],
                )
                for f in form.cleaned_data.get("files") or []:
                    services.attachment_add(suggestion=s, by=request.user, file=f)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft saved."))
            return _detail(pk)
    return render(request, "proposals/form.html", {"form": form, "s": s})


@require_POST
@_role_required(User.Role.DEPUTY)
def attach(request, pk):
    s = selectors.suggestion_for_page(request.user, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _step(
            request,
            services.attachment_add,
            _("Attachment added."),
            suggestion=s,
            by=request.user,
            file=form.cleaned_data["file"],
        )
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return _detail(pk)


@_role_required(User.Role.DEPUTY)
def invite(request, pk):
    """Find deputies of the same congress by name and invite them to co-sign."""
    s = selectors.suggestion_for_page(request.user, pk)
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    if request.method == "POST":
        person = get_object_or_404(Person, pk=_pk_or_404(request.POST.get("person")))
        _step(
            request,
            services.cosigner_invite,
            _("Invitation sent to %(name)s.") % {"name": person.name},
            suggestion=s,
            person=person,
            by=request.user,
        )
        return _detail(pk)
    found = []
    if q:
        found = list(
            Mandate.objects.serving()
            .filter(term_id=s.term_id, person__name__contains=q)
            .exclude(person_id=s.lead_id)
            .select_related("person", "region")
            .order_by("person__name")[:30]
        )
    return render(request, "proposals/invite.html", {"s": s, "q": q, "found": found})


@require_POST
@_role_required(User.Role.DEPUTY)
def uninvite(request, pk, cosigner_pk):
    s = selectors.suggestion_for_page(request.user, pk)
    cosigner = get_object_or_404(CoSigner, pk=cosigner_pk, suggestion=s)
    _step(
        request,
        services.cosigner_withdraw,
        _("Invitation withdrawn."),
        cosigner=cosigner,
        by=request.user,
    )
    return _detail(pk)


@require_POST
@_role_required(User.Role.DEPUTY)
def cosign(request, pk):
    s = selectors.suggestion_for_page(request.user, pk)
    person = selectors.person_of(request.user)
    cosigner = get_object_or_404(CoSigner, suggestion=s, person=person)
    accept = request.POST.get("accept") == "1"
    _step(
        request,
        services.cosigner_respond,
        _("You co-signed this suggestion.") if accept else _("You declined to co-sign."),
        cosigner=cosigner,
        by=request.user,
        accept=accept,
    )
    return _detail(pk)


@require_POST
@_role_required(User.Role.DEPUTY)
def submit(request, pk):
    s = selectors.suggestion_for_page(request.user, pk)
    _step(
        request,
        services.suggestion_submit,
        _("Submitted. Committee staff will review it."),
        suggestion=s,
        by=request.user,
    )
    return _detail(pk)


@require_POST
@_role_required(User.Role.DEPUTY)
def feedback(request, pk):
    s = selectors.suggestion_for_page(request.user, pk)
    form = forms.FeedbackForm(request.POST)
    if form.is_valid():
        _step(
            request,
            services.feedback_give,
            _("Thank you: your feedback has been recorded."),
            suggestion=s,
            by=request.user,
            verdict=form.cleaned_data["verdict"],
            comment=form.cleaned_data["comment"],
            ask_evaluation=form.cleaned_data["ask_evaluation"],
        )
    else:
        messages.error(request, _("Choose satisfied, basically satisfied or not satisfied."))
    return _detail(pk)


# --- the handling unit -------------------------------------------------------------------------


def _page(request, queryset):
    """One page of a list (Django's Paginator: a COUNT and the page's rows); a page number out
    of range or not a number gives the nearest page, never an error."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_string(request) -> str:
    """The list's filters, without the page number: for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@_role_required(User.Role.UNIT_STAFF)
def unit_inbox(request):
    which = request.GET.get("show", "open")
    if which not in selectors.UNIT_FILTERS:
        which = "open"
    filters = forms.InboxFilterForm(request.GET or None)
    qs = selectors.unit_inbox(request.user, which)
    if filters.is_valid():
        qs = selectors.filter_inbox(qs, **filters.cleaned_data)
    # Queries: the page's COUNT and the page's rows (with suggestion, lead, region, unit).
    page = _page(request, qs)
    return render(
        request,
        "proposals/unit_inbox.html",
        {
            "page": page,
            "assignments": page.object_list,
            "counts": selectors.unit_counts(request.user),
            "which": which,
            "filter_form": filters if filters.is_bound else forms.InboxFilterForm(),
            "query": _query_string(request),
            "filters": [
                ("open", _("Being handled")),
                ("due_soon", _("Due within 15 days")),
                ("overdue", _("Overdue")),
                ("done", _("Done or sent back")),
                ("all", _("All")),
            ],
        },
    )


def _my_assignment(request, pk) -> Assignment:
    return get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("suggestion", "unit"), pk=pk
    )


@_role_required(User.Role.UNIT_STAFF)
def unit_assignment(request, pk):
    """The unit's workspace for one assignment: the suggestion, its history, and the forms for
    the steps open to the unit now."""
    a = _my_assignment(request, pk)
    s = selectors.suggestion_for_page(request.user, a.suggestion_id)
    a = next(x for x in s.assignments.all() if x.pk == a.pk)
    action = request.POST.get("action") if request.method == "POST" else None
    reply_form = forms.ReplyForm()
    formset = forms.CommitmentFormSet(prefix="c")
    if action:
        ok = False
        if action == "send_back":
            form = forms.ReasonForm(request.POST)
            ok = form.is_valid() and _step(
                request,
                services.assignment_send_back,
                _("Sent back; committee staff will reassign it."),
                assignment=a,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        elif action == "extension":
            form = forms.ExtensionForm(request.POST)
            ok = form.is_valid() and _step(
                request,
                services.extension_request,
                _("Extension requested; committee staff will decide."),
                assignment=a,
                by=request.user,
                months=form.cleaned_data["months"],
                reason=form.cleaned_data["reason"],
            )
        elif action == "contact":
            form = forms.ContactForm(request.POST)
            ok = form.is_valid() and _step(
                request,
                services.contact_record,
                _("Contact recorded."),
                assignment=a,
                by=request.user,
                **form.cleaned_data,
            )
        elif action == "opinion":
            form = forms.OpinionForm(request.POST)
            ok = form.is_valid() and _step(
                request,
                services.co_opinion_send,
                _("Opinion sent to the lead unit."),
                assignment=a,
                by=request.user,
                opinion=form.cleaned_data["opinion"],
            )
        elif action == "reply":
            reply_form = forms.ReplyForm(request.POST, request.FILES)
            formset = forms.CommitmentFormSet(request.POST, prefix="c")
            if reply_form.is_valid() and formset.is_valid():
                commitments = [
                    (f.cleaned_data["text"], f.cleaned_data["due_date"])
                    for f in formset
                    if f.cleaned_data.get("text")
                ]
                ok = _step(
                    request,
                    services.reply_give,
                    _("Reply sent to the deputies."),
                    assignment=a,
                    by=request.user,
                    text=reply_form.cleaned_data["text"],
                    grade=reply_form.cleaned_data["grade"],
                    commitments=commitments,
                    signed_by=reply_form.cleaned_data["signed_by"],
                    files=reply_form.cleaned_data.get("files") or [],
                )
            form = reply_form
        else:
            raise Http404
        if ok:
            return redirect("proposals:unit_assignment", pk=pk)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
    user = request.user
    is_open = services.may_handle(a, user)
    may_write_reply = services.may_write_reply(a, user)
    co_opinions = [x for x in s.assignments.all() if x.role == Assignment.Role.CO and x.round == 1]
    return render(
        request,
        "proposals/unit_assignment.html",
        {
            "a": a,
            "s": s,
            "is_open": is_open,
            # Each form is shown exactly when its step's predicate passes.
            "may_send_back": services.may_send_back(a, user),
            "may_extend": services.may_extend(a, user),
            "may_send_opinion": services.may_send_opinion(a, user),
            "may_contact": services.may_contact(a, user),
            "may_write_reply": may_write_reply,
            "may_reply": may_write_reply and services.may_reply(a, user),
            "reply_waits_for": services.reply_waits_for(a, s) if may_write_reply else [],
            "contacts": list(a.contacts.all()),
            "co_opinions": co_opinions,
            "reply_form": reply_form,
            "formset": formset,
            "reason_form": forms.ReasonForm(),
            "extension_form": forms.ExtensionForm(),
            "contact_form": forms.ContactForm(),
            "opinion_form": forms.OpinionForm(),
            "replies": list(s.replies.all()),
        },
    )


COMMITMENT_FILTERS = ("open", "overdue", "done", "all")


@_role_required(User.Role.UNIT_STAFF)
def unit_commitments(request):
    which = request.GET.get("show", "all")
    if which not in COMMITMENT_FILTERS:
        which = "all"
    filters = forms.InboxFilterForm(request.GET or None)
    qs = selectors.unit_commitments(request.user, which)
    if filters.is_valid():
        qs = selectors.filter_commitments(qs, **filters.cleaned_data)
    # Queries: the page's COUNT and the page's rows (with their reply's suggestion).
    page = _page(request, qs)
    for c in page.object_list:
        c.may_fulfil = services.may_fulfil(c, request.user)
    return render(
        request,
        "proposals/unit_commitments.html",
        {
            "page": page,
            "items": page.object_list,
            "fulfil_form": forms.FulfilForm(),
            "which": which,
            "filter_form": filters if filters.is_bound else forms.InboxFilterForm(),
            "query": _query_string(request),
            "filters": [
                ("open", _("To be carried out")),
                ("overdue", _("Overdue")),
                ("done", _("Carried out")),
                ("all", _("All")),
            ],
        },
    )


@require_POST
@_role_required(User.Role.UNIT_STAFF)
def unit_fulfil(request, pk):
    c = get_object_or_404(
        Commitment.objects.filter(unit_id=request.user.organisation_id).select_related(
            "reply__suggestion"
        ),
        pk=pk,
    )
    form = forms.FulfilForm(request.POST, request.FILES)
    if form.is_valid():
        _step(
            request,
            services.commitment_fulfil,
            _("Reported carried out."),
            commitment=c,
            by=request.user,
            evidence=form.cleaned_data["evidence"],
            done_on=form.cleaned_data["done_on"],
            file=form.cleaned_data.get("file"),
        )
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect(reverse("proposals:unit_commitments") + f"#c{pk}")


# --- the evaluator -----------------------------------------------------------------------------


@_role_required(User.Role.EVALUATOR)
def evaluations(request):
    return render(
        request,
        "proposals/evaluations.html",
        {"cases": list(selectors.evaluator_cases(request.user))},
    )


@_role_required(User.Role.EVALUATOR)
def evaluation(request, pk):
    ev = get_object_or_404(selectors.evaluator_cases(request.user), pk=pk)
    s = selectors.suggestion_for_page(request.user, ev.suggestion_id)
    form = forms.VerdictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _step(
            request,
            services.evaluation_verdict,
            _("Verdict recorded."),
            evaluation=ev,
            by=request.user,
            **form.cleaned_data,
        ):
            return redirect("proposals:evaluation", pk=pk)
    return render(
        request,
        "proposals/evaluation.html",
        {
            "ev": ev,
            "s": s,
            "form": form,
            "may_give_verdict": services.may_give_verdict(ev, request.user),
            "replies": list(s.replies.all()),
        },
    )
