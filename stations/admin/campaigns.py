"""Campaigns and their measures; a measure's status moves only through the service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.admin_scoping import ScopedAdmin
from anping.errors import DomainError
from anping.orgs.models import Organisation
from stations import services
from stations.models import (
    Campaign,
    Measure,
    MeasureChange,
)

from .common import (
    RegionInScope,
)


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["number", "title", "owner", "deadline", "status", "done_on"]
    readonly_fields = ["status", "done_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = Organisation.objects.filter(
                kind__in=[Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CampaignWritesInScope:
    """County staff see the city's campaign (they carry it out) but change only their own."""

    def _in_scope(self, request, region) -> bool:
        path = access.staff_region_path(request.user)
        return path is not None and region.path.startswith(path)


@admin.register(Campaign)
class CampaignAdmin(RegionInScope, CampaignWritesInScope, ScopedAdmin):
    list_display = ["name", "year", "region", "measures_n", "measures_done"]
    list_filter = ["year"]
    search_fields = ["name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [MeasureInline]

    def get_queryset(self, request):
        from django.db.models import Q

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
        return ok and (obj is None or self._in_scope(request, obj.region))

    def has_delete_permission(self, request, obj=None):
        ok = super().has_delete_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj.region))


class MeasureChangeInline(admin.TabularInline):
    model = MeasureChange
    extra = 0
    fields = ["at", "from_status", "to_status", "reason", "by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(RegionInScope, CampaignWritesInScope, ScopedAdmin):
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
    inlines = [MeasureChangeInline]
    actions = ["start", "carry_out"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activities_n=Count("activities"))

    @admin.display(description=_("number of activities"))
    def activities_n(self, obj):
        return obj.activities_n

    def has_change_permission(self, request, obj=None):
        ok = super().has_change_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj.campaign.region))

    def _move(self, request, queryset, to):
        done = 0
        for measure in queryset:
            try:
                services.measure_set_status(measure=measure, to=to, by=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{measure}: {exc.message}", messages.WARNING)
        self.message_user(request, gettext("%(n)d measures updated.") % {"n": done})

    @admin.action(description=_("Mark as in progress"))
    def start(self, request, queryset):
        self._move(request, queryset, Measure.Status.IN_PROGRESS)

    @admin.action(description=_("Mark as carried out"))
    def carry_out(self, request, queryset):
        self._move(request, queryset, Measure.Status.DONE)
