"""Constituent opinions and their outcome changes (moved here as they were)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin
from anping.errors import run_step
from deputies.admin import CountyFilter
from stations import services
from stations.forms import OutcomeForm
from stations.models import (
    Opinion,
    OpinionTransition,
)

from .common import (
    RegionInScope,
    YearFilter,
)


class OpinionYearFilter(YearFilter):
    date_field = "received_on"


class OpinionTransitionInline(admin.TabularInline):
    model = OpinionTransition
    extra = 0
    fields = ["at", "from_status", "to_status", "unit", "reason", "by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "by")


@admin.register(Opinion)
class OpinionAdmin(RegionInScope, ScopedAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # a record of the year's work: it moves through its steps, never deleted

    list_display = [
        "received_on",
        "summary",
        "channel",
        "topic",
        "region",
        "taken_by",
        "status_badge",
        "forwarded_to",
    ]
    list_filter = ["status", "channel", "topic", OpinionYearFilter, CountyFilter, "campaign"]
    search_fields = ["summary", "taken_by__name"]
    list_select_related = ["region", "taken_by", "forwarded_to"]
    autocomplete_fields = ["region", "taken_by", "station", "activity"]
    readonly_fields = ["status", "forwarded_to", "outcome_note", "closed_on"]
    inlines = [OpinionTransitionInline]
    change_form_template = "stations/admin/opinion_change_form.html"
    actions = ["mark_solved", "mark_closed"]

    @admin.display(description=_("outcome"), ordering="status")
    def status_badge(self, obj):
        return obj.get_status_display()

    def save_service(self, *, request, obj, form, change):
        if change:
            services.opinion_update(opinion=obj, by=request.user)
            return
        created = services.opinion_record(
            by=request.user,
            taken_by=obj.taken_by,
            channel=obj.channel,
            topic=obj.topic,
            summary=obj.summary,
            details=obj.details,
            constituent=obj.constituent,
            region=obj.region,
            received_on=obj.received_on,
            station=obj.station,
            activity=obj.activity,
            campaign=obj.campaign,
        )
        obj.pk, obj.created_by, obj.created_at = created.pk, created.created_by, created.created_at
        obj._state.adding = False

    def _bulk(self, request, queryset, to, reason):
        done = 0
        for opinion in queryset:
            ok, _moved = run_step(
                request,
                services.opinion_move,
                opinion=opinion,
                to=to,
                by=request.user,
                reason=reason,
            )
            done += ok
        self.message_user(request, gettext("%(n)d opinions moved.") % {"n": done})

    @admin.action(description=_("Mark as solved"))
    def mark_solved(self, request, queryset):
        self._bulk(request, queryset, Opinion.Status.SOLVED, gettext("Solved (marked in bulk)"))

    @admin.action(description=_("Mark as explained and closed"))
    def mark_closed(self, request, queryset):
        self._bulk(
            request, queryset, Opinion.Status.CLOSED, gettext("Explained and closed (in bulk)")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/outcome/",
                self.admin_site.admin_view(self.outcome_view),
                name="stations_opinion_outcome",
            ),
        ] + super().get_urls()

    def outcome_view(self, request, pk):
        opinion = get_object_or_404(self.get_queryset(request).select_related("activity"), pk=pk)
        form = OutcomeForm(request.POST or None, opinion=opinion)
        if request.method == "POST" and form.is_valid():
            ok, _moved = run_step(
                request,
                services.opinion_move,
                success=gettext("The outcome was recorded."),
                opinion=opinion,
                to=form.cleaned_data["to"],
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            if ok:
                return HttpResponseRedirect(reverse("admin:stations_opinion_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": opinion,
            "title": gettext("Outcome of an opinion"),
            "form": form,
        }
        return TemplateResponse(request, "stations/admin/opinion_outcome.html", context)


@admin.register(OpinionTransition)
class OpinionTransitionAdmin(ReadOnlyScopedAdmin):
    list_display = ["opinion", "from_status", "to_status", "unit", "reason", "by", "at"]
    list_filter = ["to_status"]
    list_select_related = ["opinion", "unit", "by"]
