"""The deputy portal's side of stations: the duty record (also for staff, printable), opinions a
deputy took and their outcomes, a group leader's activities, and the public station directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.accounts.models import User
from anping.errors import DomainError, run_step
from deputies.models import Person

from . import record, selectors, services
from .forms import GroupActivityForm, OpinionForm, OutcomeForm
from .models import Activity, Group, Membership, Opinion, Participation, Station


def _year(request) -> int:
    year = selectors.year_from(request.GET.get("year"))
    this = timezone.localdate().year
    return year if year is not None and year <= this + 1 else selectors.default_year()


def _me(request) -> Person:
    """The signed-in deputy's Person; 404 for anyone else."""
    if access.role_of(request.user) != User.Role.DEPUTY:
        raise Http404
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def _render_record(request, person: Person, *, own: bool):
    year = _year(request)
    this = timezone.localdate().year
    context = {
        "person": person,
        "mandates": selectors.record_mandates(person),
        "sections": record.build(person=person, year=year),
        "year": year,
        "years": list(range(this, this - 5, -1)),
        "own": own,
        "printed_on": timezone.localdate(),
        "show_mobile": own or access.may_see_personal_data(request.user),
    }
    return render(request, "stations/record.html", context)


@login_required
def my_record(request):
    """A deputy's own duty record for a year (履职档案), on the phone and on paper."""
    return _render_record(request, _me(request), own=True)


@login_required
def person_record(request, pk: int):
    """Any deputy's record, for staff whose region the deputy belongs to (404 otherwise)."""
    person = access.get_visible_or_404(Person.objects, request.user, pk=pk)
    return _render_record(request, person, own=person.user_id == request.user.pk)


# --- opinions ------------------------------------------------------------------------------


@login_required
def opinion_new(request):
    """A deputy records an opinion they took from a constituent."""
    me = _me(request)
    form = OpinionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_record(
                by=request.user,
                taken_by=me,
                channel=data["channel"],
                topic=data["topic"],
                summary=data["summary"],
                details=data["details"],
                constituent=data["constituent"],
                region=data["region"],
                received_on=data["received_on"],
                station=data["station"],
                activity=data["activity"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The opinion was recorded."))
            return redirect("stations:opinion", pk=opinion.pk)
    return render(request, "stations/opinion_form.html", {"form": form})


@login_required
def opinion_list(request):
    """The opinions the deputy took, newest first, with their outcomes."""
    me = _me(request)
    qs = (
        Opinion.objects.filter(taken_by=me)
        .select_related("region", "forwarded_to")
        .order_by("-received_on", "-pk")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "stations/opinion_list.html", {"page": page})


@login_required
def opinion_detail(request, pk: int):
    """One opinion, its history, and (for whoever may) the form moving it to an outcome."""
    opinion = access.get_visible_or_404(
        Opinion.objects.select_related(
            "region", "taken_by", "forwarded_to", "station", "activity", "campaign"
        ).prefetch_related(Prefetch("transitions", to_attr="history")),
        request.user,
        pk=pk,
    )
    may_move = bool(services.opinion_allowed_moves(opinion, request.user))
    form = OutcomeForm(request.POST or None, opinion=opinion, by=request.user) if may_move else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.opinion_move(
                opinion=opinion,
                to=form.cleaned_data["to"],
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect("stations:opinion", pk=pk)
    history = list(opinion.transitions.select_related("unit", "by").order_by("at", "pk"))
    return render(
        request,
        "stations/opinion_detail.html",
        {"opinion": opinion, "form": form, "history": history},
    )


# --- a group leader's activities -------------------------------------------------------------


def _led_groups(request):
    return Group.objects.filter(leader__user=request.user, is_active=True).select_related("region")


@login_required
def activity_new(request):
    """A deputy who leads a professional group records one of the group's activities."""
    _me(request)
    groups = _led_groups(request)
    if not groups.exists():
        raise Http404
    form = GroupActivityForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                region=data["group"].region,
                group=data["group"],
                location=data["location"],
                summary=data["summary"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The activity was recorded: now add who took part."))
            return redirect("stations:activity", pk=activity.pk)
    return render(request, "stations/activity_form.html", {"form": form})


@login_required
def activity_detail(request, pk: int):
    """An activity the deputy took part in or organised; its organiser adds group members."""
    activity = access.get_visible_or_404(
        Activity.objects.select_related("region", "committee", "group__leader", "station"),
        request.user,
        pk=pk,
    )
    participants = list(
        Participation.objects.filter(activity=activity)
        .select_related("person")
        .order_by("person__name")
    )
    manage = services.may_manage_activity(request.user, activity)
    candidates = []
    if manage and activity.group_id:
        present = {p.person_id for p in participants}
        candidates = [
            m.person
            for m in Membership.objects.filter(group_id=activity.group_id)
            .select_related("person")
            .order_by("person__name")
            if m.person_id not in present
        ]
    if request.method == "POST" and manage:
        ok, added = run_step(
            request,
            services.activity_add_participants,
            activity=activity,
            persons=selectors.ids_from(request.POST.getlist("person")),
            by=request.user,
        )
        if ok:
            messages.success(request, _("%(n)d deputies added.") % {"n": added})
        return redirect("stations:activity", pk=pk)
    opinions = list(
        Opinion.objects.visible_to(request.user)
        .filter(activity=activity)
        .select_related("region")
        .order_by("-received_on")
    )
    return render(
        request,
        "stations/activity_detail.html",
        {
            "activity": activity,
            "participants": participants,
            "candidates": candidates,
            "manage": manage,
            "opinions": opinions,
        },
    )


# --- public --------------------------------------------------------------------------------


def directory(request):
    """The public station directory: where deputies receive constituents, and when."""
    stations = (
        Station.objects.filter(is_active=True)
        .select_related("region__parent")
        .order_by("region__path", "kind", "name")
    )
    kind = request.GET.get("kind", "")
    if kind in Station.Kind.values:
        stations = stations.filter(kind=kind)
    page = Paginator(stations, 40).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/directory.html",
        {"page": page, "kinds": Station.Kind.choices, "kind": kind},
    )
