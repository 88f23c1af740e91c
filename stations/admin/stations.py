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
from anping.errors import DomainError
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
    RegionInScope,
)


class StationLeadInline(admin.TabularInline):
    model = StationLead
    extra = 0


class StationingInline(admin.TabularInline):
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
class StationAdmin(RegionInScope, FinderMixin, ScopedAdmin):
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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "co_builders":
            kwargs["queryset"] = Organisation.objects.filter(
                kind=Organisation.Kind.COMMITTEE
            ).select_related("region")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
            done = 0
            for person in Person.objects.filter(pk__in=ids):
                services.station_station_deputy(
                    station=station,
                    person=person,
                    start_date=data["start_date"],
                    end_date=data.get("end_date"),
                    note=data.get("note") or "",
                    by=request.user,
                )
                done += 1
            if not done:
                raise DomainError(gettext("Choose at least one deputy."))
            return done

        return self._finder(
            request,
            station,
            title=gettext("Station deputies at %(station)s") % {"station": station.name},
            apply=apply,
            allow_provincial=True,
            extra_form=dates,
        )
