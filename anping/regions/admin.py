from django.contrib import admin

from anping.accounts.admin_scoping import ScopedAdmin

from . import services
from .models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    city_staff_only_writes = True
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]

    def save_service(self, *, request, obj, form, change):
        services.region_save(region=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.region_delete(region=obj, by=request.user)
