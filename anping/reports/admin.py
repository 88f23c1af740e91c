from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anping.accounts.admin_scoping import ReadOnlyScopedAdmin
from anping.errors import run_step

from . import services
from .models import Figure, MonthlyReport, ReportExport


class FigureInline(admin.TabularInline):
    model = Figure
    fields = ["area", "metric", "level", "dimension", "value", "base"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["area", "metric", "level", "dimension"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyScopedAdmin):
    """Months are written by the rollup only; staff compute, publish and export from here or
    from the dashboard (the same services)."""

    list_display = ["month", "region", "status", "computed_at", "published_at", "dashboard"]
    list_filter = ["status", "month"]
    list_select_related = ["region"]
    date_hierarchy = "month"
    fields = [
        "month",
        "region",
        "status",
        "computed_at",
        "published_at",
        "published_by",
        "missing_areas",
        "history",
    ]
    readonly_fields = ["history"]
    inlines = [FigureInline]
    actions = ["compute_again", "publish", "build_workbook"]

    @admin.display(description=_("history"))
    def history(self, obj):
        steps = obj.transitions.select_related("by") if obj.pk else []
        return render_to_string("history/_timeline.html", {"steps": steps})

    @admin.display(description=_("dashboard"))
    def dashboard(self, obj):
        url = reverse("reports:dashboard")
        return format_html(
            '<a href="{}?region={}&month={}">{}</a>',
            url,
            obj.region.code,
            obj.month.strftime("%Y-%m"),
            _("charts"),
        )

    @admin.action(description=_("Compute the selected months again"))
    def compute_again(self, request, queryset):
        for month in sorted(set(queryset.values_list("month", flat=True))):
            run_step(
                request,
                services.rollup_month,
                month=month,
                by=request.user,
                success=_("%(month)s computed.") % {"month": month},
            )

    @admin.action(description=_("Publish the selected months"))
    def publish(self, request, queryset):
        for month in sorted(set(queryset.values_list("month", flat=True))):
            ok, n = run_step(request, services.publish_month, month=month, by=request.user)
            if ok:
                self.message_user(
                    request, _("%(month)s published (%(n)s reports).") % {"month": month, "n": n}
                )

    @admin.action(description=_("Build the Excel workbook"))
    def build_workbook(self, request, queryset):
        for report in queryset.select_related("region"):
            ok, export = run_step(request, services.export_request, report=report, by=request.user)
            if ok:
                self.message_user(
                    request,
                    format_html(
                        '{}: <a href="{}">{}</a>',
                        report,
                        reverse("reports:export", args=[export.pk]),
                        _("progress and download"),
                    ),
                )


@admin.register(ReportExport)
class ReportExportAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "report",
        "status",
        "progress",
        "rows_written",
        "requested_by",
        "created_at",
        "link",
    ]
    list_filter = ["status"]
    list_select_related = ["report__region", "requested_by"]

    @admin.display(description=_("file"))
    def link(self, obj):
        if not obj.is_done:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:download", args=[obj.pk]), _("Download")
        )
