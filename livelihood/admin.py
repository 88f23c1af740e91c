"""The committee's side of livelihood projects: rounds, ideas, candidates, the poll (settings,
open / close / publish, live turnout, paper voters and tally, one-time ballot links) and the
projects' implementation. Every step calls a service; ballots are never listed."""

from __future__ import annotations

import segno
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin, ScopedInlineMixin
from anping.errors import DomainError, run_step
from deputies.models import Person

from . import selectors, services
from .models import (
    Candidate,
    Milestone,
    Participation,
    Poll,
    PollTransition,
    ProgressReport,
    Project,
    ProjectChange,
    ResultLine,
    Round,
    Suggestion,
    SuggestionTransition,
    Supervision,
)


def _id(value) -> int | None:
    """A posted id, or None for anything that is not a positive whole number."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


class CandidateInline(ScopedInlineMixin, admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["number", "title", "description", "unit", "target", "funds", "timeline"]
    autocomplete_fields = ["unit"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return obj is None or not services.candidates_frozen(obj.pk)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Round)
class RoundAdmin(ScopedAdmin):
    list_display = ["title", "congress_name", "year", "collection_start", "collection_end"]
    list_select_related = ["term__congress__region"]
    list_filter = ["year"]
    search_fields = ["title"]
    autocomplete_fields = ["term"]
    inlines = [CandidateInline]

    @admin.display(description=gettext_lazy("congress"))
    def congress_name(self, obj):
        return str(obj.term.congress)

    def save_service(self, *, request, obj, form, change):
        services.round_save(round=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.round_delete(round=obj, by=request.user)

    def formset_service(self, *, request, form, formset, change):
        # Candidates go through the service (frozen once the vote opens); a refusal rolls the
        # whole page back, the round included, and shows the service's message.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.candidate_delete(candidate=obj, by=request.user)
        for obj in instances:
            services.candidate_save(candidate=obj, by=request.user)


@admin.register(Suggestion)
class SuggestionAdmin(ScopedAdmin):
    list_display = [
        "title",
        "round",
        "source",
        "submitter_name",
        "contact",
        "status",
        "submitted_at",
    ]
    list_select_related = ["round"]
    list_filter = ["source", "status", "round__year"]
    search_fields = ["title", "description", "submitter_name"]
    readonly_fields = ["submitted_by", "status"]
    actions = ["adopt", "not_adopt"]

    @admin.display(description=gettext_lazy("contact"))
    def contact(self, obj):
        return obj.masked_contact()

    def save_service(self, *, request, obj, form, change):
        services.suggestion_save(suggestion=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.suggestion_delete(suggestion=obj, by=request.user)

    def _decide(self, request, queryset, adopted):
        done = 0
        for obj in queryset.select_related("round"):
            ok, _result = run_step(
                request,
                services.suggestion_decide,
                suggestion=obj,
                adopted=adopted,
                by=request.user,
            )
            done += ok
        if done:
            self.message_user(request, _("%(n)s ideas updated.") % {"n": done})

    @admin.action(description=gettext_lazy("Mark as taken into the candidate list"))
    def adopt(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=gettext_lazy("Mark as not taken up"))
    def not_adopt(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(Candidate)
class CandidateAdmin(ScopedAdmin):
    list_display = ["number", "title", "round", "unit", "funds", "timeline"]
    list_display_links = ["number", "title"]
    list_select_related = ["round", "unit"]
    list_filter = ["round__year"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["unit", "round", "from_suggestion"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.candidates_frozen(obj.round_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_service(self, *, request, obj, form, change):
        services.candidate_save(candidate=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.candidate_delete(candidate=obj, by=request.user)


@admin.register(Poll)
class PollAdmin(ScopedAdmin):
    list_display = ["__str__", "status", "electorate", "turnout_now", "opened_at", "closed_at"]
    list_select_related = ["round"]
    list_filter = ["status", "kind", "round__year"]
    search_fields = ["round__title"]
    autocomplete_fields = ["round"]
    change_form_template = "livelihood/admin/poll_change_form.html"
    fields = [
        "round",
        "kind",
        "places",
        "max_marks",
        "base",
        "share_numerator",
        "share_denominator",
        "quorum_numerator",
        "quorum_denominator",
        "tie_rule",
        "status",
        "electorate",
        "opened_at",
        "closed_at",
        "published_at",
    ]

    def get_queryset(self, request):
        # Turnout per poll in the same query (numbers only; never the tally).
        return super().get_queryset(request).annotate(_turnout=Count("participations"))

    @admin.display(description=gettext_lazy("turnout"))
    def turnout_now(self, obj):
        return obj._turnout

    def get_readonly_fields(self, request, obj=None):
        done = ["status", "electorate", "opened_at", "closed_at", "published_at"]
        if obj is not None and not obj.settings_editable:
            return self.fields  # frozen once voting opens
        if obj is not None:
            return [*done, "round", "kind"]
        return done

    def save_service(self, *, request, obj, form, change):
        services.poll_save_settings(poll=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.poll_delete(poll=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.settings_editable
            and super().has_delete_permission(request, obj)
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/step/<str:step>/", view(self.step_view), name="livelihood_poll_step"),
            path("<int:pk>/turnout/", view(self.turnout_view), name="livelihood_poll_turnout"),
            path("<int:pk>/paper/", view(self.paper_view), name="livelihood_poll_paper"),
            path("<int:pk>/passes/", view(self.passes_view), name="livelihood_poll_passes"),
            path("<int:pk>/count/", view(self.result_view), name="livelihood_poll_result"),
            *super().get_urls(),
        ]

    def _poll(self, request, pk) -> Poll:
        poll = (
            self.get_queryset(request)
            .select_related("round__term__congress__region")
            .filter(pk=pk)
            .first()
        )
        if poll is None:
            raise Http404
        return poll

    def _change_url(self, poll):
        return reverse("admin:livelihood_poll_change", args=[poll.pk])

    # The steps of the poll's page: the service, the predicate that shows its button, what the
    # confirmation page asks, and what it says when done. Each is irreversible, so the button
    # leads to a confirmation page (plain HTML, no script) whose form carries `confirm`.
    STEPS = {
        "open": (
            services.poll_open,
            "can_open",
            gettext_lazy(
                "Open voting? The electorate, the settings and the candidate list are fixed "
                "from now on and cannot be changed again."
            ),
            gettext_lazy("Voting is open."),
        ),
        "close": (
            services.poll_close,
            "can_close",
            gettext_lazy(
                "Close voting and count? No ballot is accepted afterwards, and voting cannot "
                "be opened again."
            ),
            gettext_lazy("Voting is closed and counted."),
        ),
        "publish": (
            services.poll_publish,
            "can_publish",
            gettext_lazy("Publish the result? It becomes public and cannot be withdrawn."),
            gettext_lazy("The result is published."),
        ),
    }

    def step_view(self, request, pk, step):
        """Open, close or publish, each through its service, after a confirmation page (GET, or
        a POST without `confirm`, shows it; nothing changes until it is confirmed)."""
        poll = self._poll(request, pk)
        if step not in self.STEPS:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        service, predicate, question, done = self.STEPS[step]
        if request.method == "POST" and request.POST.get("confirm") == "1":
            run_step(request, service, success=done, poll=poll, by=request.user)
            return HttpResponseRedirect(self._change_url(poll))
        if not getattr(poll, predicate):
            # The service would refuse: say so instead of asking.
            run_step(request, service, poll=poll, by=request.user)
            return HttpResponseRedirect(self._change_url(poll))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Confirm"),
            "poll": poll,
            "question": question,
            "step": step,
            "opts": self.model._meta,
        }
        return render(request, "livelihood/admin/confirm_step.html", context)

    def turnout_view(self, request, pk):
        """Live turnout for the hall's screen: numbers only, refreshed every five seconds."""
        poll = self._poll(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Turnout"),
            "poll": poll,
            "turnout": services.turnout(poll),
            "opts": self.model._meta,
        }
        return render(request, "livelihood/admin/turnout.html", context)

    def paper_view(self, request, pk):
        """Paper voters (marked one by one as they hand in their ballot) and the paper tally."""
        poll = self._poll(request, pk)
        candidates = list(Candidate.objects.filter(round_id=poll.round_id))
        if request.method == "POST" and self.has_change_permission(request):
            if "person" in request.POST:
                person = (
                    Person.objects.visible_to(request.user)
                    .filter(pk=_id(request.POST.get("person")))
                    .first()
                )
                if person is None:
                    messages.error(request, _("Choose a deputy."))
                else:
                    run_step(
                        request,
                        services.paper_voter_mark,
                        success=_("%(name)s is recorded as voting on paper.") % {"name": person},
                        poll=poll,
                        person=person,
                        by=request.user,
                    )
            else:
                try:
                    counts = {c.pk: int(request.POST.get(f"c{c.pk}") or 0) for c in candidates}
                    invalid = int(request.POST.get("invalid") or 0)
                except ValueError:
                    messages.error(request, _("Enter whole numbers."))
                else:
                    run_step(
                        request,
                        services.paper_tally_enter,
                        success=_("The paper tally is entered."),
                        poll=poll,
                        invalid=invalid,
                        counts=counts,
                        by=request.user,
                    )
            return HttpResponseRedirect(request.path)
        # A NUL byte cannot reach PostgreSQL in a string: drop it rather than fail.
        query = request.GET.get("q", "").replace("\x00", "").strip()[:40]
        found = []
        if query:
            found = list(
                services.serving_deputies(poll.round.term_id)
                .filter(name__contains=query)
                .exclude(livelihood_participations__poll=poll)
                .distinct()
                .order_by("name")[:20]
            )
        paper = (
            Participation.objects.filter(poll=poll, channel=Participation.Channel.PAPER)
            .select_related("person")
            .order_by("person__name")
        )
        entered = {ln.candidate_id: ln.count for ln in poll.paper_lines.all()}
        for c in candidates:
            c.paper = entered.get(c.pk, 0)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Paper ballots"),
            "poll": poll,
            "query": query,
            "found": found,
            "paper": paper,
            "candidates": candidates,
            "opts": self.model._meta,
        }
        return render(request, "livelihood/admin/paper.html", context)

    def passes_view(self, request, pk):
        """Make and print one-time ballot links (QR codes) for every serving deputy. The links
        are shown on this page once; making them again replaces the earlier ones."""
        poll = self._poll(request, pk)
        slips = []
        if request.method == "POST" and self.has_change_permission(request):
            ok, issued = run_step(request, services.passes_issue, poll=poll, by=request.user)
            if not ok:
                return HttpResponseRedirect(request.path)
            base = request.build_absolute_uri("/")[:-1]
            for person, token in issued:
                url = base + reverse("livelihood:pass_ballot", args=[token])
                svg = segno.make(url, error="m").svg_inline(scale=3)
                slips.append({"person": person, "url": url, "qr": mark_safe(svg)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("One-time ballot links"),
            "poll": poll,
            "slips": slips,
            "issued": poll.passes.count(),
            "opts": self.model._meta,
        }
        return render(request, "livelihood/admin/passes.html", context)

    def result_view(self, request, pk):
        """The count, for staff, once the poll is closed (never before)."""
        poll = self._poll(request, pk)
        if not poll.shows_count:
            messages.error(request, _("The count is shown only after the poll is closed."))
            return HttpResponseRedirect(self._change_url(poll))
        lines = (
            ResultLine.objects.filter(poll=poll)
            .select_related("candidate__unit")
            .order_by("rank", "candidate__number")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Result"),
            "poll": poll,
            "lines": lines,
            "opts": self.model._meta,
        }
        return render(request, "livelihood/admin/result.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        transitions = PollTransition.objects.none()
        if object_id and object_id.isdigit():
            # The poll's history, for the shared timeline (one query, with who did each step).
            transitions = PollTransition.objects.filter(poll_id=int(object_id)).select_related("by")
        extra_context = {
            **(extra_context or {}),
            "now": timezone.now(),
            "transitions": transitions,
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PollTransition)
class PollTransitionAdmin(ReadOnlyScopedAdmin):
    list_display = ["poll", "from_status", "to_status", "by", "at", "reason"]
    list_select_related = ["poll__round", "by"]
    list_filter = ["to_status"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyScopedAdmin):
    """Who voted (never how): part of each deputy's duty record."""

    list_display = ["person", "poll", "channel"]
    list_select_related = ["person", "poll__round"]
    list_filter = ["channel", "poll__round__year"]
    search_fields = ["person__name"]


class MilestoneInline(ScopedInlineMixin, admin.TabularInline):
    model = Milestone
    extra = 1
    fields = ["title", "due_date", "done_on"]
    # Marking done is its own recorded step (the project page's button), never an edit here.
    readonly_fields = ["done_on"]


class ReportInline(ScopedInlineMixin, admin.TabularInline):
    model = ProgressReport
    extra = 0
    fields = ["reported_on", "percent", "text", "filed_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SupervisionInline(ScopedInlineMixin, admin.TabularInline):
    model = Supervision
    extra = 1
    autocomplete_fields = ["activity"]
    verbose_name_plural = gettext_lazy("deputies' supervision activities")


class BehindFilter(admin.SimpleListFilter):
    title = gettext_lazy("progress")
    parameter_name = "behind"

    def lookups(self, request, model_admin):
        return [("1", _("Behind plan")), ("0", _("On track or completed"))]

    def queryset(self, request, queryset):
        if self.value() not in ("0", "1"):
            return queryset
        # A region's projects are a few dozen a year: decide in Python from one annotated query.
        behind = [
            p.pk for p in selectors.staff_projects(request.user, timezone.localdate()) if p.behind
        ]
        if self.value() == "1":
            return queryset.filter(pk__in=behind)
        return queryset.exclude(pk__in=behind)


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # a record of the year's work: it moves through its steps, never deleted

    list_display = ["title", "round", "unit", "funds", "progress", "status_badge", "end_date"]
    list_select_related = ["round", "unit"]
    list_filter = [BehindFilter, "round__year"]
    search_fields = ["title", "unit__name"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["round", "candidate", "completed_on"]
    fields = [
        "round",
        "candidate",
        "title",
        "unit",
        "target",
        "funds",
        "plan",
        "start_date",
        "end_date",
        "report_every_days",
        "completed_on",
    ]
    inlines = [MilestoneInline, ReportInline, SupervisionInline]
    change_form_template = "livelihood/admin/project_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        steps = ProjectChange.objects.none()
        if object_id and object_id.isdigit():
            steps = ProjectChange.objects.filter(project_id=int(object_id)).select_related("by")
        extra_context = {**(extra_context or {}), "steps": steps}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress(timezone.localdate())

    def has_add_permission(self, request):
        return False  # projects come from a published vote

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, obj):
        return f"{obj.latest_percent or 0}%"

    @admin.display(description=gettext_lazy("status"))
    def status_badge(self, obj):
        if obj.completed_on:
            return _("Completed")
        if obj.is_behind(timezone.localdate(), obj.latest_percent, obj.overdue_milestones):
            return format_html('<b style="color:#b3261e">{}</b>', _("Behind plan"))
        return _("On track")

    def save_service(self, *, request, obj, form, change):
        if form.has_changed():
            services.project_save_plan(project=obj, by=request.user)

    def formset_service(self, *, request, form, formset, change):
        instances = formset.save(commit=False)  # also what the admin's change message reads
        if formset.model is ProgressReport:
            return  # read-only rows: the unit files reports on the portal
        if formset.model is Supervision:
            for obj in formset.deleted_objects:
                services.supervision_unlink(supervision=obj, by=request.user)
            for obj in instances:
                services.supervision_link(
                    project=obj.project, activity=obj.activity, by=request.user
                )
        elif formset.model is Milestone:
            for obj in formset.deleted_objects:
                services.milestone_delete(milestone=obj, by=request.user)
            for obj in instances:
                services.milestone_save(milestone=obj, by=request.user)
        else:  # pragma: no cover - a new inline must name its service here
            raise DomainError(_("This cannot be changed here."))


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyScopedAdmin):
    list_display = ["project", "reported_on", "percent", "filed_by"]
    list_select_related = ["project", "filed_by"]
    list_filter = ["reported_on"]
    search_fields = ["project__title"]

    # Rows read through ProgressReport.objects.visible_to (ScopedAdmin.get_queryset).


@admin.register(SuggestionTransition)
class SuggestionTransitionAdmin(ReadOnlyScopedAdmin):
    list_display = ["suggestion", "from_status", "to_status", "by", "at"]
    list_select_related = ["suggestion", "by"]


@admin.register(ProjectChange)
class ProjectChangeAdmin(ReadOnlyScopedAdmin):
    list_display = ["project", "action", "from_status", "to_status", "by", "at", "reason"]
    list_select_related = ["project", "by"]
    list_filter = ["action"]
