from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from anping.errors import run_step

from . import services
from .admin_scoping import ScopedAdmin
from .models import User

ACCOUNT_FIELDS = ("role", "region", "organisation", "is_superuser")


def check_account(form, user) -> None:
    """Show `services.account_problems` beside the fields, before the service refuses them."""
    proposed = User(pk=form.instance.pk)
    for name in ACCOUNT_FIELDS:
        value = (
            form.cleaned_data[name]
            if name in form.cleaned_data
            else getattr(form.instance, name, None)
        )
        setattr(proposed, name, value)
    for field, message in services.account_problems(account=proposed, by=user).items():
        form.add_error(field if field in form.fields else None, message)


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
    actions = ["unlock"]
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
                "description": _(
                    "Enter a user name and a password, the role, and the region the account "
                    "belongs to (for handling-unit staff: their unit). Then you can fill in the "
                    "person's name and contact details."
                ),
                "fields": (
                    "username",
                    "usable_password",
                    "password1",
                    "password2",
                    "role",
                    "region",
                    "organisation",
                ),
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

    def save_service(self, *, request, obj, form, change):
        services.account_save(account=obj, by=request.user)

    def delete_service(self, *, request, obj):
        services.account_delete(account=obj, by=request.user)

    @admin.action(description=_("Unlock after failed logins"))
    def unlock(self, request, queryset):
        done = 0
        for account in queryset:
            ok, _cleared = run_step(
                request, services.account_unlock, account=account, by=request.user
            )
            done += ok
        if done:
            self.message_user(
                request,
                ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        elif not queryset:
            self.message_user(request, gettext("No account selected."), messages.WARNING)
