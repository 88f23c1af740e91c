"""Liaison stations: leads, co-builders and the deputies stationed there."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts.admin_scoping import ScopedAdmin
from anping.orgs.models import Organisation
from deputies.admin import CountyFilter
from deputies.models import Person
from stations import services
from stations.forms import StationingForm
from stations.models import (
    Station,
    Stationing,
    StationLead,
)

from .common import (
    FinderMixin,
    InlineWrites,
    RegionInScope,
    ServiceWrites,
    formset_rows,
)


class StationLeadInline(InlineWrites, admin.TabularInline):
    model = StationLead
    extra = 0
    fields = ["name", "post", "trained_on", "training_days"]


class StationingInline(InlineWrites, admin.TabularInline):
    model = Stationing
    extra = 0
    fields = ["person", "start_date", "end_date", "note"]
    readonly_fields = ["person", "start_date"]
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # through "Station deputies": the service checks overlapping periods

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Station)
class StationAdmin(RegionInScope, ServiceWrites, FinderMixin, ScopedAdmin):
    list_display = [
        "name",
        "kind",
        "region",
        "industry",
        "contact_person",
        "reception_schedule",
        "deputies_n",
    ]
    list_filter = ["kind", CountyFilter, "is_active"]
    search_fields = ["name", "industry", "address"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["co_builders"]
    inlines = [StationLeadInline, StationingInline]
    change_form_template = "stations/admin/station_change_form.html"
    fieldsets = (
        (None, {"fields": ("name", "kind", "region", "industry", "established_on", "is_active")}),
        (
            _("Contact and reception"),
            {"fields": ("address", "contact_person", "contact_phone", "reception_schedule")},
        ),
        (
            _("Standard functions (demonstration points: all four)"),
            {
                "fields": (
                    "does_liaison",
                    "does_consultation",
                    "does_supervision",
                    "does_promotion",
                )
            },
        ),
        (_("Co-builders"), {"fields": ("co_builders",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deputies_n=Count("stationings"))

    @admin.display(description=_("stationed deputies"), ordering="deputies_n")
    def deputies_n(self, obj):
        return obj.deputies_n

    organisation_fields = {"co_builders": [Organisation.Kind.COMMITTEE]}

    def form_check(self, request, obj, data):
        services.station_check(
            station=obj, by=request.user, co_builders=data.get("co_builders") or ()
        )

    def save_service(self, *, request, obj, form, change):
        services.station_save(
            station=obj, by=request.user, co_builders=form.cleaned_data.get("co_builders")
        )

    def delete_service(self, *, request, obj):
        services.station_delete(station=obj, by=request.user)

    def formset_service(self, *, request, form, formset, change):
        """Leads are recorded and corrected, stationings ended or removed, by the services."""
        by = request.user
        new, changed, deleted = formset_rows(formset)
        if formset.model is StationLead:
            for lead in deleted:
                services.station_lead_delete(lead=lead, by=by)
            for lead in [*new, *(obj for obj, _fields in changed)]:
                services.station_lead_save(lead=lead, by=by)
        elif formset.model is Stationing:
            for stationing in deleted:
                services.stationing_remove(stationing=stationing, by=by)
            for stationing, _fields in changed:
                services.stationing_update(stationing=stationing, by=by)

    def get_urls(self):
        return [
            path(
                "<int:pk>/deputies/",
                self.admin_site.admin_view(self.station_deputies_view),
                name="stations_station_deputies",
            ),
        ] + super().get_urls()

    def station_deputies_view(self, request, pk):
        """Find deputies (also provincial deputies of other cities) and station them here."""
        station = get_object_or_404(self.get_queryset(request), pk=pk)
        dates = StationingForm(request.POST or None, initial={"start_date": timezone.localdate()})

        def apply(ids):
            data = dates.cleaned_data
            return services.station_station_deputies(
                station=station,
                persons=Person.objects.filter(pk__in=ids),
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                note=data.get("note") or "",
                by=request.user,
            )

        return self._finder(
            request,
            station,
            title=gettext("Station deputies at %(station)s") % {"station": station.name},
            apply=apply,
            allow_provincial=True,
            extra_form=dates,
        )
