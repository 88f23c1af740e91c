"""The admin's side of the access policy: every ModelAdmin of the portal derives from
`ScopedAdmin`, so its changelist, its exports and its change pages read through the model's
`visible_to(user)` and only committee staff may use them."""

from django.contrib import admin

from . import access


class ScopedAdmin(admin.ModelAdmin):
    # Writes limited to city staff (and superusers): reference data such as the region tree.
    city_staff_only_writes = False
    show_full_result_count = False  # one COUNT per changelist page, not two
    list_per_page = 50

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        visible_to = getattr(qs, "visible_to", None)
        return visible_to(request.user) if visible_to else qs

    def has_module_permission(self, request):
        return access.is_committee_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def _may_write(self, request) -> bool:
        if self.city_staff_only_writes:
            return access.is_city_staff(request.user)
        return access.is_committee_staff(request.user)

    def has_add_permission(self, request):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Rows written only by workflow services (transitions, logs): staff look, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedInlineMixin:
    """For inlines: Django's inlines ask for model permissions, which the portal does not hand
    out (roles decide); committee staff may see and edit the rows of what they may change."""

    def has_view_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)
