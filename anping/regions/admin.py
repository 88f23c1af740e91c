from django.contrib import admin

from anping.accounts.admin_scoping import ScopedAdmin

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
