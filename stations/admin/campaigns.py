"""Campaigns and their measures; a measure's status moves only through the service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts.admin_scoping import ScopedAdmin
from anping.errors import run_step
from stations import services
from stations.models import (
    Campaign,
    Measure,
)

from .common import InlineWrites, RegionInScope, ServiceWrites, formset_rows


class MeasureInline(InlineWrites, admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["number", "title", "owner", "deadline", "status", "done_on"]
    readonly_fields = ["status", "done_on"]
    organisation_fields = {"owner": services.COMMITTEE_KINDS}


class CampaignWritesInScope:
    """County staff see the city's campaign (they carry it out) but change only their own."""

    def _in_scope(self, request, campaign) -> bool:
        return services.may_change_campaign(request.user, campaign)


@admin.register(Campaign)
class CampaignAdmin(RegionInScope, ServiceWrites, CampaignWritesInScope, ScopedAdmin):
    list_display = ["name", "year", "region", "measures_n", "measures_done"]
    list_filter = ["year"]
    search_fields = ["name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [MeasureInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                measures_n=Count("measures"),
                measures_done=Count("measures", filter=Q(measures__status=Measure.Status.DONE)),
            )
        )

    @admin.display(description=_("number of measures"))
    def measures_n(self, obj):
        return obj.measures_n

    @admin.display(description=_("carried out"))
    def measures_done(self, obj):
        return obj.measures_done

    def has_change_permission(self, request, obj=None):
        ok = super().has_change_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        ok = super().has_delete_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj))

    def save_service(self, *, request, obj, form, change):
        services.campaign_save(campaign=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.campaign_delete(campaign=obj, by=request.user)

    def formset_service(self, *, request, form, formset, change):
        """The campaign's measures: added, corrected and deleted through the services (their
        status moves only by `measure_set_status`)."""
        new, changed, deleted = formset_rows(formset)
        for measure in deleted:
            services.measure_delete(measure=measure, by=request.user)
        for measure in [*new, *(obj for obj, _fields in changed)]:
            services.measure_save(measure=measure, by=request.user)


@admin.register(Measure)
class MeasureAdmin(RegionInScope, ServiceWrites, CampaignWritesInScope, ScopedAdmin):
    region_field = "campaign"

    def region_of(self, data):
        campaign = data.get("campaign")
        return campaign.region if campaign else None

    list_display = [
        "number",
        "title",
        "campaign",
        "owner",
        "deadline",
        "status",
        "done_on",
        "activities_n",
    ]
    list_filter = ["status", "campaign"]
    search_fields = ["title"]
    list_select_related = ["campaign", "owner"]
    autocomplete_fields = ["campaign"]
    readonly_fields = ["history"]
    actions = ["start", "carry_out"]
    organisation_fields = {"owner": services.COMMITTEE_KINDS}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activities_n=Count("activities"))

    @admin.display(description=_("number of activities"))
    def activities_n(self, obj):
        return obj.activities_n

    @admin.display(description=_("history"))
    def history(self, obj):
        """The measure's recorded moves, in the one timeline every history uses."""
        if obj is None or obj.pk is None:
            return ""
        steps = obj.changes.select_related("by").order_by("at", "pk")
        return render_to_string("history/_timeline.html", {"steps": steps})

    def has_change_permission(self, request, obj=None):
        ok = super().has_change_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj.campaign))

    def has_delete_permission(self, request, obj=None):
        ok = super().has_delete_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj.campaign))

    def form_check(self, request, obj, data):
        services.measure_check(measure=obj, by=request.user)

    def save_service(self, *, request, obj, form, change):
        services.measure_save(measure=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.measure_delete(measure=obj, by=request.user)

    def _move(self, request, queryset, to):
        """Move each chosen measure that may move (the step's own predicate decides); name the
        ones that may not, and change nothing of them."""
        refused, done = [], 0
        for measure in queryset.select_related("campaign__region"):
            if not services.measure_may_move(request.user, measure, to):
                refused.append(str(measure))
                continue
            ok, _result = run_step(
                request, services.measure_set_status, measure=measure, to=to, by=request.user
            )
            done += ok
        if refused:
            self.message_user(
                request,
                gettext("Not moved (not in your region, or already past this step): %(list)s")
                % {"list": "、".join(refused)},
                messages.WARNING,
            )
        self.message_user(request, gettext("%(n)d measures updated.") % {"n": done})

    @admin.action(description=_("Mark as in progress"))
    def start(self, request, queryset):
        self._move(request, queryset, Measure.Status.IN_PROGRESS)

    @admin.action(description=_("Mark as carried out"))
    def carry_out(self, request, queryset):
        self._move(request, queryset, Measure.Status.DONE)
