from django.contrib import admin

from anping.accounts import access
from anping.accounts.admin_scoping import ScopedAdmin

from . import services
from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "contact_person", "contact_phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]

    # Staff see every organisation (a county's staff must be able to pick the city's units),
    # but change only their own region's; the service checks the region written, too.
    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return services.may_manage(organisation=obj, by=request.user)
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and not request.user.is_superuser:
            # Offer only the regions the writer manages (the service refuses any other).
            from anping.regions.models import Region

            path = access.staff_region_path(request.user) or "-"
            kwargs["queryset"] = Region.objects.filter(path__startswith=path)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_service(self, *, request, obj, form, change):
        services.organisation_save(organisation=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.organisation_delete(organisation=obj, by=request.user)
