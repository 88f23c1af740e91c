"""The portal side of legislation consultation: invited deputies read a draft article by article
on their phone and comment; the public comments on a round's public page after verifying a phone
number. Committee staff work in the admin. Reads go through `visible_to` (outsiders get 404);
writes through `legislation.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anping.accounts import access
from anping.errors import run_step

from . import selectors, services
from .forms import CommentForm, PhoneCodeForm, PublicCommentForm
from .models import Article, Round


@login_required
def index(request):
    """A deputy's rounds: those they are invited to, newest first."""
    if access.role_of(request.user) != "deputy":
        raise Http404
    rounds = selectors.deputy_rounds(request.user)
    return render(request, "legislation/index.html", {"rounds": rounds})


def _round_for(request, pk: int) -> Round:
    return get_object_or_404(
        Round.objects.visible_to(request.user).select_related("version__project"), pk=pk
    )


@login_required
def round_detail(request, pk: int):
    """The draft article by article (chapters and sections as headings), and the deputy's own
    comments with their answers. Three queries: the round, its articles, the deputy's
    comments."""
    round = _round_for(request, pk)
    articles = list(round.version.articles.all())
    mine = list(selectors.my_comments(request.user, round))
    return render(
        request,
        "legislation/round.html",
        {
            "round": round,
            "articles": articles,
            "mine": mine,
            "may_comment": services.may_comment(request.user, round),
        },
    )


@login_required
def article_comment(request, pk: int, number: int):
    """One article on its own page (a phone screen), with the comment form."""
    round = _round_for(request, pk)
    article = get_object_or_404(Article, version_id=round.version_id, number=number)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _comment = run_step(
            request,
            services.comment_submit,
            success=_("Your comment has been sent."),
            round=round,
            article=article,
            text=form.cleaned_data["text"],
            quote=form.cleaned_data["quote"],
            by=request.user,
        )
        if ok:
            return redirect(reverse("legislation:round", args=[round.pk]) + "#mine")
    neighbours = selectors.neighbours(round.version_id, article.number)
    return render(
        request,
        "legislation/article.html",
        {
            "round": round,
            "article": article,
            "form": form,
            "may_comment": services.may_comment(request.user, round),
            **neighbours,
        },
    )


PHONE_KEY = "legislation_phone"

# --- the public page -------------------------------------------------------------------------


def _public_round(pk: int) -> Round:
    return get_object_or_404(
        Round.objects.filter(is_public=True).select_related("version__project"), pk=pk
    )


def public_round(request, pk: int):
    """The draft for everyone; while open, a comment form (phone verified by SMS code); once
    closed, how the comments were handled (counts only: no comment is shown one by one)."""
    round = _public_round(pk)
    articles = list(round.version.articles.all())
    form = PublicCommentForm(
        request.POST or None,
        articles=articles,
        initial={"phone": request.session.get(PHONE_KEY, "")},
    )
    if request.method == "POST" and form.is_valid():
        ok, _comment = run_step(
            request,
            services.comment_submit_public,
            success=_("Thank you: your comment has been received."),
            round=round,
            article=form.cleaned_data["article"],
            text=form.cleaned_data["text"],
            phone=form.cleaned_data["phone"],
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
        )
        if ok:
            return redirect("legislation:public", pk=round.pk)
    handled = None
    if round.is_closed:
        handled = selectors.handling_summary(round)
    return render(
        request,
        "legislation/public.html",
        {
            "round": round,
            "articles": articles,
            "form": form,
            "code_form": PhoneCodeForm(initial={"phone": request.session.get(PHONE_KEY, "")}),
            "handled": handled,
        },
    )


@require_POST
def public_code(request, pk: int):
    round = _public_round(pk)
    form = PhoneCodeForm(request.POST)
    if form.is_valid():
        # Kept in the visitor's own session only, so the comment form need not ask again.
        request.session[PHONE_KEY] = form.cleaned_data["phone"]
        run_step(
            request,
            services.phone_code_send,
            success=_("A code has been sent to your phone."),
            round=round,
            phone=form.cleaned_data["phone"],
        )
    else:
        messages.error(request, _("Enter an 11-digit mobile number."))
    return redirect(reverse("legislation:public", args=[round.pk]) + "#comment")
