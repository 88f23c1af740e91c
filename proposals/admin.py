"""The committee staff's side of suggestions, in the admin: review, numbering, assignment (one
by one or in bulk), reassignment of sent-back ones, extensions, merging, key suggestions and
their supervision, evaluation. Every button calls a service; no status is edited by hand.
Deputies' feedback is shown, never entered or changed here (the admin has no form for it)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anping.accounts import access
from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin
from anping.errors import DomainError, run_step
from deputies.admin import CountyFilter

from . import forms, services, similar
from .models import (
    Assignment,
    Commitment,
    Evaluation,
    EvaluatorAppointment,
    ExtensionRequest,
    Feedback,
    Suggestion,
    SupervisionEvent,
    Transition,
)

S = Suggestion.Status


class NulSafeChangelist:
    """The changelist's search and filters with NUL bytes taken out (PostgreSQL refuses them in
    text, which was a 500), and an action's selected ids that are not numbers dropped (Django
    would filter on them and fail): what remains is applied as usual."""

    def changelist_view(self, request, extra_context=None):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not x.isdigit() for x in selected):
            clean = request.POST.copy()
            clean.setlist(helpers.ACTION_CHECKBOX_NAME, [x for x in selected if x.isdigit()])
            request.POST = clean
        if any("\x00" in v for values in request.GET.lists() for v in values[1]):
            clean = request.GET.copy()
            for key, values in request.GET.lists():
                clean.setlist(key, [v.replace("\x00", "") for v in values])
            request.GET = clean
        return super().changelist_view(request, extra_context)


class SuggestionRegionFilter(CountyFilter):
    region_field = "region"


class YearFilter(admin.SimpleListFilter):
    """The last six years, without a DISTINCT over every suggestion."""

    title = gettext_lazy("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this = timezone.localdate().year
        return [(str(y), str(y)) for y in range(this, this - 6, -1)]

    def queryset(self, request, queryset):
        return (
            queryset.filter(year=int(self.value())) if (self.value() or "").isdigit() else queryset
        )


def _done(request, fn, /, **kwargs) -> int:
    """1 when the step went through, 0 when refused (its message shown): for counting."""
    return int(run_step(request, fn, **kwargs)[0])


def _pk_or_404(value) -> int:
    """An id from a URL or a form: digits only, else 404 (never a 500)."""
    value = str(value or "")
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _warn_units_without_accounts(request, units) -> None:
    silent = services.units_without_accounts(units)
    if silent:
        messages.warning(
            request,
            _(
                "%(units)s has no account in the portal: nobody there will see the assignment, "
                "and the lead unit waits for its opinion until its time is up."
            )
            % {"units": "、".join(u.name for u in silent)},
        )


@admin.register(Suggestion)
class SuggestionAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    list_display = [
        "number_label",
        "title",
        "lead",
        "region",
        "status",
        "due_date",
        "is_key",
        "submitted_at",
    ]
    list_display_links = ["number_label", "title"]
    list_filter = ["status", "period", "category", "is_key", YearFilter, SuggestionRegionFilter]
    search_fields = ["title", "number_label", "lead__name"]
    list_select_related = ["lead", "region"]
    ordering = ["-submitted_at", "-pk"]
    change_form_template = "proposals/admin/suggestion_change_form.html"
    actions = [
        "register_selected",
        "assign_selected",
        "return_selected",
        "decline_selected",
        "choose_key",
        "merge_selected",
    ]
    fields = [
        "number_label",
        "title",
        "category",
        "body",
        "lead",
        "region",
        "status",
        "period",
        "due_date",
        "is_key",
        "key_supervisor",
    ]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        # The change page is a read-only page with the workflow buttons; the actions need it.
        return access.is_committee_staff(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("assign/", view(self.assign_view), name="proposals_suggestion_assign"),
            path("<int:pk>/review/", view(self.review_view), name="proposals_suggestion_review"),
            path(
                "<int:pk>/reassign/<int:assignment_pk>/",
                view(self.reassign_view),
                name="proposals_suggestion_reassign",
            ),
            path("<int:pk>/key/", view(self.key_view), name="proposals_suggestion_key"),
            path(
                "<int:pk>/supervise/",
                view(self.supervise_view),
                name="proposals_suggestion_supervise",
            ),
            path(
                "<int:pk>/evaluate/", view(self.evaluate_view), name="proposals_suggestion_evaluate"
            ),
            path("<int:pk>/similar/", view(self.similar_view), name="proposals_suggestion_similar"),
            *super().get_urls(),
        ]

    def _get(self, request, pk) -> Suggestion:
        return get_object_or_404(
            self.get_queryset(request).select_related("region", "term__congress"), pk=pk
        )

    def _ctx(self, request, s=None, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "s": s, **extra}

    def _back(self, s):
        return HttpResponseRedirect(reverse("admin:proposals_suggestion_change", args=[s.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        _pk_or_404(object_id)
        s = get_object_or_404(
            self.get_queryset(request).prefetch_related(
                Prefetch("transitions", queryset=Transition.objects.order_by("at", "pk")),
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related("unit").prefetch_related(
                        "extension_requests"
                    ),
                ),
                Prefetch("feedback", queryset=Feedback.objects.select_related("deputy")),
                Prefetch("evaluations", queryset=Evaluation.objects.select_related("evaluator")),
                "replies__commitments",
                "supervision_events",
                "cosigners__person",
                "merged_from",
            ),
            pk=object_id,
        )
        user = request.user
        open_units = [a.unit for a in s.assignments.all() if a.status == Assignment.Status.OPEN]
        extra = {
            "s": s,
            "may_review": services.may_review(s, user),
            "may_assign": services.may_assign(s, user),
            "may_key": services.may_key(s, user) or services.may_set_supervisor(s, user),
            "may_supervise": services.may_supervise(s, user),
            "may_evaluate": services.may_send_evaluation(s, user),
            "sent_back": [a for a in s.assignments.all() if services.may_reassign(a, user)],
            "units_without_accounts": services.units_without_accounts(open_units),
            # A page to read and to start workflow steps from; nothing on it is saved.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            **(extra_context or {}),
        }
        if request.method == "POST":
            return HttpResponseRedirect(request.path)
        return super().change_view(request, object_id, form_url, extra)

    # --- review: register, return, decline ---------------------------------------------------

    def review_view(self, request, pk):
        s = self._get(request, pk)
        if not services.may_review(s, request.user):
            messages.error(request, _("This suggestion is not awaiting review."))
            return self._back(s)
        form = forms.ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
            fn = {
                form.REGISTER: lambda: services.suggestion_register(suggestion=s, by=request.user),
                form.RETURN: lambda: services.suggestion_return(
                    suggestion=s, by=request.user, reason=reason
                ),
                form.DECLINE: lambda: services.suggestion_decline(
                    suggestion=s, by=request.user, reason=reason
                ),
            }[decision]
            try:
                done = fn()
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Done: %(s)s") % {"s": done})
                return self._back(s)
        return render(
            request,
            "proposals/admin/review.html",
            self._ctx(request, s, form=form, title=_("Review the suggestion")),
        )

    @admin.action(description=gettext_lazy("Register the selected suggestions"))
    def register_selected(self, request, queryset):
        done = 0
        for s in (
            queryset.filter(status=S.SUBMITTED)
            .select_related("region")
            .order_by("submitted_at", "pk")
        ):
            done += _done(request, services.suggestion_register, suggestion=s, by=request.user)
        self.message_user(request, _("%(n)s registered.") % {"n": done}, messages.SUCCESS)

    def _reason_action(self, request, queryset, fn, title, done_text):
        if "apply" in request.POST:
            form = forms.ReasonForm(request.POST)
            if form.is_valid():
                done = sum(
                    _done(
                        request,
                        fn,
                        suggestion=s,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    for s in queryset.select_related("region")
                )
                self.message_user(request, done_text % {"n": done}, messages.SUCCESS)
                return None
        else:
            form = forms.ReasonForm()
        return render(
            request,
            "proposals/admin/action_reason.html",
            self._ctx(
                request,
                form=form,
                title=title,
                queryset=queryset,
                action=request.POST.get("action"),
            ),
        )

    @admin.action(description=gettext_lazy("Return the selected to their deputies for revision"))
    def return_selected(self, request, queryset):
        return self._reason_action(
            request,
            queryset,
            services.suggestion_return,
            _("Return to the deputies"),
            _("%(n)s returned."),
        )

    @admin.action(description=gettext_lazy("Do not register the selected (with a reason)"))
    def decline_selected(self, request, queryset):
        return self._reason_action(
            request,
            queryset,
            services.suggestion_decline,
            _("Do not register"),
            _("%(n)s not registered."),
        )

    # --- assignment ----------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Assign the selected to handling units"))
    def assign_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(reverse("admin:proposals_suggestion_assign") + f"?ids={ids}")

    def assign_view(self, request):
        ids = [int(x) for x in (request.GET.get("ids") or "").split(",")[:500] if x.isdigit()]
        suggestions = list(
            self.get_queryset(request).filter(pk__in=ids).select_related("region", "lead")
        )
        if not suggestions:
            raise Http404
        form = forms.AssignForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            lead_mode = data["mode"] == form.MODE_LEAD
            done = 0
            for s in suggestions:
                done += _done(
                    request,
                    services.suggestion_assign,
                    suggestion=s,
                    by=request.user,
                    lead=data["lead"] if lead_mode else None,
                    co_units=list(data["co_units"]) if lead_mode else [],
                    split_units=[] if lead_mode else list(data["split_units"]),
                    note=data["note"],
                )
            messages.success(request, _("%(n)s assigned.") % {"n": done})
            if done:
                units = (
                    [data["lead"], *data["co_units"]] if lead_mode else list(data["split_units"])
                )
                _warn_units_without_accounts(request, units)
            if len(suggestions) == 1:
                return self._back(suggestions[0])
            return HttpResponseRedirect(reverse("admin:proposals_suggestion_changelist"))
        return render(
            request,
            "proposals/admin/assign.html",
            self._ctx(
                request, form=form, suggestions=suggestions, title=_("Assign to handling units")
            ),
        )

    def reassign_view(self, request, pk, assignment_pk):
        s = self._get(request, pk)
        a = get_object_or_404(
            Assignment.objects.select_related("unit"), pk=assignment_pk, suggestion=s
        )
        if not services.may_reassign(a, request.user):
            messages.error(request, _("Only a sent-back assignment can be reassigned."))
            return self._back(s)
        form = forms.ReassignForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            ok, _new = run_step(
                request,
                services.assignment_reassign,
                success=_("Reassigned."),
                assignment=a,
                unit=form.cleaned_data["unit"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
            if ok:
                _warn_units_without_accounts(request, [form.cleaned_data["unit"]])
                return self._back(s)
        return render(
            request,
            "proposals/admin/simple_form.html",
            self._ctx(
                request,
                s,
                form=form,
                a=a,
                title=_("Reassign what %(unit)s sent back") % {"unit": a.unit.name},
            ),
        )

    # --- key suggestions -----------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Choose the selected as key suggestions (gate 1)"))
    def choose_key(self, request, queryset):
        done = sum(
            _done(request, services.key_choose, suggestion=s, by=request.user)
            for s in queryset.select_related("region")
        )
        self.message_user(
            request, _("%(n)s chosen as key suggestions.") % {"n": done}, messages.SUCCESS
        )

    def key_view(self, request, pk):
        s = self._get(request, pk)
        if not (services.may_key(s, request.user) or services.may_set_supervisor(s, request.user)):
            messages.error(request, _("This suggestion cannot be chosen as a key suggestion now."))
            return self._back(s)
        form = forms.KeyForm(
            request.POST or None, initial={"supervisor": s.key_supervisor_id}, user=request.user
        )
        if request.method == "POST" and form.is_valid():
            ok = True
            if not s.is_key:
                ok, _r = run_step(
                    request,
                    services.key_choose,
                    suggestion=s,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            if ok and form.cleaned_data["supervisor"]:
                s.refresh_from_db()
                ok, _r = run_step(
                    request,
                    services.key_supervisor_set,
                    suggestion=s,
                    supervisor=form.cleaned_data["supervisor"],
                    by=request.user,
                )
            if ok:
                messages.success(request, _("Saved."))
                return self._back(s)
        return render(
            request,
            "proposals/admin/simple_form.html",
            self._ctx(request, s, form=form, title=_("Key suggestion and its supervising leader")),
        )

    def supervise_view(self, request, pk):
        s = self._get(request, pk)
        if not services.may_supervise(s, request.user):
            messages.error(request, _("Only its supervising leader records supervision."))
            return self._back(s)
        form = forms.SupervisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            ok, _r = run_step(
                request,
                services.supervision_record,
                success=_("Supervision recorded."),
                suggestion=s,
                by=request.user,
                **form.cleaned_data,
            )
            if ok:
                return self._back(s)
        return render(
            request,
            "proposals/admin/simple_form.html",
            self._ctx(request, s, form=form, title=_("Record supervision")),
        )

    # --- evaluation, look-alikes, merging ------------------------------------------------------

    def evaluate_view(self, request, pk):
        s = self._get(request, pk)
        if not services.may_send_evaluation(s, request.user):
            messages.error(request, _("This suggestion cannot be sent to evaluation now."))
            return self._back(s)
        form = forms.SendEvaluationForm(request.POST or None, term=s.term)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            ok, _r = run_step(
                request,
                services.evaluation_send,
                success=_("Sent to evaluation."),
                suggestion=s,
                by=request.user,
                reason=data["reason"],
                evaluator=data["evaluator"],
                note=data["note"],
            )
            if ok:
                return self._back(s)
        return render(
            request,
            "proposals/admin/simple_form.html",
            self._ctx(request, s, form=form, title=_("Send to third-party evaluation")),
        )

    def similar_view(self, request, pk):
        """Look-alikes: earlier years' suggestions on the same problem (confirm as raised again)
        and this year's (merge duplicates). Only suggestions the staff member may see are
        listed (the finder reads through `visible_to`)."""
        s = self._get(request, pk)
        user = request.user
        if request.method == "POST":
            other = get_object_or_404(
                self.get_queryset(request), pk=_pk_or_404(request.POST.get("other"))
            )
            do = request.POST.get("do")
            if do == "repeat":
                try:
                    score = min(max(float(request.POST.get("score") or 0), 0.0), 1.0)
                except ValueError:
                    score = 0.0
                run_step(
                    request,
                    services.repeat_confirm,
                    success=_("Confirmed as the same problem raised before."),
                    suggestion=s,
                    earlier=other,
                    similarity=score,
                    by=user,
                )
            elif do == "merge_into":
                run_step(
                    request,
                    services.suggestion_merge,
                    success=_("Merged."),
                    duplicate=s,
                    into=other,
                    by=user,
                )
            elif do == "merge_here":
                run_step(
                    request,
                    services.suggestion_merge,
                    success=_("Merged."),
                    duplicate=other,
                    into=s,
                    by=user,
                )
            return HttpResponseRedirect(request.path)
        confirmed = set(s.repeats.values_list("earlier_id", flat=True))
        earlier = similar.similar_to(s, earlier_years=True, user=user)
        same_year = similar.similar_to(s, earlier_years=False, user=user)
        for m in same_year:
            m.may_merge_into = services.may_merge(s, m.suggestion, user)
            m.may_merge_here = services.may_merge(m.suggestion, s, user)
        return render(
            request,
            "proposals/admin/similar.html",
            self._ctx(
                request,
                s,
                title=_("Suggestions that look like the same problem"),
                earlier=earlier,
                same_year=same_year,
                confirmed=confirmed,
            ),
        )

    @admin.action(description=gettext_lazy("Merge the selected duplicates into one"))
    def merge_selected(self, request, queryset):
        candidates = queryset.select_related("region")
        if "apply" in request.POST:
            form = forms.MergeForm(request.POST, candidates=candidates)
            if form.is_valid():
                into = form.cleaned_data["into"]
                done = sum(
                    _done(
                        request,
                        services.suggestion_merge,
                        duplicate=d,
                        into=into,
                        by=request.user,
                        note=form.cleaned_data["note"],
                    )
                    for d in candidates.exclude(pk=into.pk)
                )
                self.message_user(request, _("%(n)s merged.") % {"n": done}, messages.SUCCESS)
                return None
        else:
            form = forms.MergeForm(candidates=candidates)
        return render(
            request,
            "proposals/admin/action_reason.html",
            self._ctx(
                request,
                form=form,
                title=_("Merge duplicates"),
                queryset=queryset,
                action="merge_selected",
            ),
        )


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    list_display = [
        "assignment",
        "suggestion",
        "months",
        "reason",
        "status",
        "requested_at",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = ["assignment__unit", "assignment__suggestion"]
    actions = ["approve", "refuse"]

    def has_change_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.display(description=gettext_lazy("suggestion"))
    def suggestion(self, obj):
        return obj.assignment.suggestion

    @admin.action(description=gettext_lazy("Approve the selected requests"))
    def approve(self, request, queryset):
        done = sum(
            _done(request, services.extension_decide, request=r, by=request.user, approve=True)
            for r in queryset.select_related("assignment__suggestion__region")
        )
        self.message_user(request, _("%(n)s approved.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Refuse the selected requests (with a reason)"))
    def refuse(self, request, queryset):
        if "apply" in request.POST:
            form = forms.ReasonForm(request.POST)
            if form.is_valid():
                done = sum(
                    _done(
                        request,
                        services.extension_decide,
                        request=r,
                        by=request.user,
                        approve=False,
                        note=form.cleaned_data["reason"],
                    )
                    for r in queryset.select_related("assignment__suggestion__region")
                )
                self.message_user(request, _("%(n)s refused.") % {"n": done}, messages.SUCCESS)
                return None
        else:
            form = forms.ReasonForm()
        return render(
            request,
            "proposals/admin/action_reason.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "title": _("Refuse extensions"),
                "queryset": queryset,
                "action": "refuse",
            },
        )


@admin.register(Assignment)
class AssignmentAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    list_display = [
        "suggestion",
        "unit",
        "role",
        "round",
        "status",
        "start_date",
        "due_date",
        "extension_months",
    ]
    list_filter = ["status", "role", "round"]
    search_fields = ["suggestion__title", "suggestion__number_label", "unit__name"]
    list_select_related = ["suggestion", "unit"]
    date_hierarchy = "due_date"


@admin.register(Commitment)
class CommitmentAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    list_display = ["text", "unit", "due_date", "status", "overdue", "done_on"]
    list_filter = ["status", "due_date"]
    search_fields = ["text", "unit__name"]
    list_select_related = ["unit"]

    @admin.display(boolean=True, description=gettext_lazy("overdue"))
    def overdue(self, obj):
        return obj.is_overdue


@admin.register(Feedback)
class FeedbackAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    """Shown to staff, never entered or changed by them: the deputy's alone."""

    list_display = ["suggestion", "deputy", "round", "verdict", "given_at"]
    list_filter = ["verdict", "round"]
    list_select_related = ["suggestion", "deputy"]


@admin.register(Evaluation)
class EvaluationAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    list_display = [
        "suggestion",
        "reason",
        "status",
        "evaluator",
        "verdict",
        "created_at",
        "decided_at",
    ]
    list_filter = ["status", "reason", "verdict"]
    list_select_related = ["suggestion", "evaluator"]

    @admin.display(description=gettext_lazy("suggestion"))
    def link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:proposals_suggestion_change", args=[obj.suggestion_id]),
            obj.suggestion,
        )


@admin.register(EvaluatorAppointment)
class EvaluatorAppointmentAdmin(NulSafeChangelist, ScopedAdmin):
    city_staff_only_writes = True
    list_display = ["user", "term", "field", "appointed_on"]
    list_select_related = ["user", "term__congress__region"]
    autocomplete_fields = ["user"]

    def save_service(self, *, request, obj, form, change):
        services.evaluator_appointment_save(appointment=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.evaluator_appointment_delete(appointment=obj, by=request.user)


@admin.register(SupervisionEvent)
class SupervisionEventAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    list_display = ["suggestion", "kind", "held_on", "by"]
    list_select_related = ["suggestion", "by"]


@admin.register(Transition)
class TransitionAdmin(NulSafeChangelist, ReadOnlyScopedAdmin):
    list_display = ["suggestion", "action", "from_status", "to_status", "by_label", "at"]
    list_filter = ["action"]
    list_select_related = ["suggestion"]
