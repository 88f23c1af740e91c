from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import access
from .admin_scoping import ScopedAdmin
from .models import User


def check_account(form, user) -> None:
    """Staff give accounts only what they hold themselves: a region inside their own, a unit of
    their region, and never the city staff role unless they are city staff."""
    path = access.staff_region_path(user) or ""
    region = form.cleaned_data.get("region")
    organisation = form.cleaned_data.get("organisation")
    if region is not None and not region.path.startswith(path):
        form.add_error("region", gettext("You can only give accounts a region you manage."))
    if organisation is not None and not organisation.region.path.startswith(path):
        form.add_error(
            "organisation", gettext("You can only give accounts a unit of the region you manage.")
        )
    if form.cleaned_data.get("role") == User.Role.CITY_STAFF and not access.is_city_staff(user):
        form.add_error("role", gettext("Only city staff can make city staff accounts."))


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "role",
        "region",
        "organisation",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "mobile"]
    list_select_related = ["region", "organisation"]
    autocomplete_fields = ["region", "organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "mobile")}),
        (_("Role"), {"fields": ("role", "region", "organisation")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "role", "region", "organisation"),
            },
        ),
    )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ScopedAccountForm(form):
            def clean(self):
                cleaned = super().clean()
                check_account(self, request.user)
                return cleaned

        return ScopedAccountForm

    def get_readonly_fields(self, request, obj=None):
        # Only superusers make superusers; staff cannot raise their own rights.
        if request.user.is_superuser:
            return ["last_login", "date_joined"]
        return ["is_superuser", "is_staff", "last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        # Committee staff use the admin; nobody else does.
        obj.is_staff = (
            obj.role in (User.Role.CITY_STAFF, User.Role.COUNTY_STAFF) or obj.is_superuser
        )
        super().save_model(request, obj, form, change)
