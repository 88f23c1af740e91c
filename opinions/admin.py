"""Staff look at the loop in the admin (lists, filters, the year page's links); every step is
taken on the case's portal page, through the services, so these pages are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.admin_scoping import ReadOnlyScopedAdmin

from .models import Case, CaseStep, WeChatGroup


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    extra = 0
    fields = ["at", "from_status", "to_status", "unit", "reason", "by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)


@admin.register(Case)
class CaseAdmin(ReadOnlyScopedAdmin):
    list_display = ["code", "summary", "region", "deputy", "status", "unit", "due", "by_call"]
    list_filter = ["status", "outcome", "satisfaction", "by_call", "opinion__received_on"]
    search_fields = ["code", "opinion__summary"]
    list_select_related = ["opinion__region__parent", "opinion__taken_by", "unit"]
    exclude = ["phone"]
    readonly_fields = ["phone_number"]
    inlines = [CaseStepInline]

    @admin.display(description=_("opinion"))
    def summary(self, obj):
        return obj.opinion.summary

    @admin.display(description=_("region"))
    def region(self, obj):
        return obj.opinion.region.full_name

    @admin.display(description=_("deputy"))
    def deputy(self, obj):
        return obj.opinion.taken_by.name

    @admin.display(description=_("mobile number"))
    def phone_number(self, obj):
        # Staff reach the admin only for their region: they may read the number (the portal's
        # case page shows it too); the list never carries it.
        return obj.phone


@admin.register(WeChatGroup)
class WeChatGroupAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "person", "region", "joined_on", "size"]
    list_filter = ["joined_on"]
    search_fields = ["name", "person__name"]
    list_select_related = ["person", "region"]
