from django.contrib import admin

from anping.accounts import access
from anping.accounts.admin_scoping import ScopedAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "contact_person", "contact_phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]

    # Staff see every organisation (a county's staff must be able to pick the city's units),
    # but change only their own region's.
    def has_change_permission(self, request, obj=None):
        if obj is not None and not access.is_city_staff(request.user):
            path = access.staff_region_path(request.user) or ""
            return obj.region.path.startswith(path)
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission
