from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin
from anping.errors import DomainError

from . import calendar, services
from .digest_source import missing_years
from .models import CalendarChange, CalendarDay

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class CalendarDayForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        required=False,
        help_text=_("For example the State Council notice that sets this year's holidays."),
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    """City staff keep the calendar: the package's days are copied in; staff enter the years the
    package does not cover yet. Saving goes through the services (logged, deadlines recomputed)."""

    city_staff_only_writes = True
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name", "source", "updated_by", "updated_at"]
    list_filter = ["kind", "source"]
    list_select_related = ["updated_by"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["-date"]
    actions = ["sync_from_package"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return WEEKDAYS[obj.date.weekday()]

    def get_readonly_fields(self, request, obj=None):
        # A day is identified by its date: to move a holiday, remove the day and add another.
        return ["date", "source"] if obj else ["source"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.date in calendar.package_days():
            return False  # the package would bring it back: change its kind instead
        return super().has_delete_permission(request, obj)

    def save_service(self, *, request, obj, form, change):
        row = services.calendar_day_set(
            day=obj.date,
            kind=obj.kind,
            name=obj.name,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
        obj.pk = row.pk
        obj.source = row.source

    def delete_service(self, *, request, obj):
        services.calendar_day_remove(day=obj.date, by=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            try:
                services.calendar_day_remove(day=row.date, by=request.user)
            except DomainError as exc:
                self.message_user(request, str(exc), messages.WARNING)

    @admin.action(description=_("Copy the State Council schedule from the chinesecalendar package"))
    def sync_from_package(self, request, queryset):
        try:
            result = services.calendar_sync_from_package(by=request.user)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        covered = calendar.covered_years()
        self.message_user(
            request,
            gettext(
                "Copied from the package (%(first)s–%(last)s): %(created)s added, "
                "%(updated)s corrected, %(deleted)s removed."
            )
            % {
                "first": min(covered),
                "last": max(covered),
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
            },
            messages.SUCCESS,
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            # The State Council publishes next year's schedule in the autumn: remind staff to
            # enter it when the package does not have it, or deadlines skip weekends only.
            missing = missing_years(timezone.localdate())
            if missing:
                self.message_user(
                    request,
                    gettext(
                        "The holidays of %(years)s are not in the calendar yet: deadlines in "
                        "those years skip weekends only. Enter them from the State Council's "
                        "notice."
                    )
                    % {"years": pgettext("list separator", ", ").join(str(y) for y in missing)},
                    messages.WARNING,
                )
        # The action works on the whole package, not on the rows ticked: let it run with none.
        if request.POST.get("action") == "sync_from_package" and not request.POST.getlist(
            admin.helpers.ACTION_CHECKBOX_NAME
        ):
            post = request.POST.copy()
            post.setlist(admin.helpers.ACTION_CHECKBOX_NAME, ["0"])
            request.POST = post
        return super().changelist_view(request, extra_context)


@admin.register(CalendarChange)
class CalendarChangeAdmin(ReadOnlyScopedAdmin):
    list_display = ["at", "date", "kind_before", "kind_after", "name", "by", "reason"]
    list_filter = ["kind_after"]
    list_select_related = ["by"]
    date_hierarchy = "at"
    search_fields = ["name", "reason"]
