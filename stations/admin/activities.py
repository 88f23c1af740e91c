"""Duty activities: participants and department heads' reports, coverage and the year's figures."""

from __future__ import annotations

from django.contrib import admin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.admin_scoping import ScopedAdmin
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies.admin import CountyFilter
from stations import selectors, services
from stations.models import (
    Activity,
    DepartmentReport,
    Participation,
)

from .common import (
    FinderMixin,
    InlineWrites,
    RegionInScope,
    ServiceWrites,
    YearFilter,
    _year,
    formset_rows,
    record_link,
)


class ParticipationInline(InlineWrites, admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["person", "duty_record"]
    readonly_fields = ["duty_record"]
    autocomplete_fields = ["person"]

    @admin.display(description=_("duty record"))
    def duty_record(self, obj):
        return record_link(obj.person_id)

    verbose_name_plural = _("participants (add many at once with “Find deputies”)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class DepartmentReportInline(InlineWrites, admin.TabularInline):
    model = DepartmentReport
    extra = 0
    fields = ["unit", "head_name", "head_post", "topic"]
    organisation_fields = {"unit": [Organisation.Kind.HANDLING_UNIT]}


@admin.register(Activity)
class ActivityAdmin(RegionInScope, ServiceWrites, FinderMixin, ScopedAdmin):
    list_display = [
        "date",
        "kind",
        "title",
        "organiser_name",
        "region",
        "participants_n",
        "opinions_n",
    ]
    list_filter = ["kind", YearFilter, CountyFilter, "measure__campaign"]
    search_fields = ["title", "location"]
    date_hierarchy = None
    autocomplete_fields = ["region", "group", "station", "measure"]
    inlines = [ParticipationInline, DepartmentReportInline]
    change_form_template = "stations/admin/activity_change_form.html"
    change_list_template = "stations/admin/activity_change_list.html"
    fieldsets = (
        (None, {"fields": ("kind", "title", "date", "region", "location")}),
        (
            _("Organiser (exactly one)"),
            {"fields": ("committee", "group", "station")},
        ),
        (_("Outputs and campaign"), {"fields": ("summary", "measure")}),
    )

    def get_queryset(self, request):
        return selectors.activity_list(super().get_queryset(request))

    @admin.display(description=_("organiser"))
    def organiser_name(self, obj):
        return str(obj.organiser or "")

    @admin.display(description=_("participants"), ordering="participants_n")
    def participants_n(self, obj):
        return obj.participants_n

    @admin.display(description=_("opinions"), ordering="opinions_n")
    def opinions_n(self, obj):
        return obj.opinions_n

    organisation_fields = {"committee": services.COMMITTEE_KINDS}

    def form_check(self, request, obj, data):
        services.activity_check(activity=obj, by=request.user)

    def save_service(self, *, request, obj, form, change):
        if change:
            services.activity_update(activity=obj, by=request.user)
            return
        created = services.activity_create(
            by=request.user,
            kind=obj.kind,
            title=obj.title,
            date=obj.date,
            region=obj.region,
            committee=obj.committee,
            group=obj.group,
            station=obj.station,
            location=obj.location,
            summary=obj.summary,
            measure=obj.measure,
        )
        obj.pk, obj.created_by, obj.created_at = created.pk, created.created_by, created.created_at
        obj._state.adding = False

    def delete_service(self, *, request, obj):
        services.activity_delete(activity=obj, by=request.user)

    def formset_service(self, *, request, form, formset, change):
        """Participants and department heads' reports, each row through its service; a row
        whose deputy was changed is that deputy removed and the new one added."""
        activity, by = form.instance, request.user
        new, changed, deleted = formset_rows(formset)
        if formset.model is Participation:
            for p in deleted:
                services.activity_remove_participant(activity=activity, person=p.person, by=by)
            for p, fields in changed:
                if "person" in fields:
                    old = Participation.objects.select_related("person").get(pk=p.pk)
                    services.activity_remove_participant(
                        activity=activity, person=old.person, by=by
                    )
                    new.append(p)
            if new:
                services.activity_add_participants(
                    activity=activity, persons=[p.person for p in new], by=by
                )
        elif formset.model is DepartmentReport:
            for report in deleted:
                services.department_report_delete(report=report, by=by)
            for report, _fields in changed:
                services.department_report_update(report=report, by=by)
            for report in new:
                services.activity_add_department_report(
                    activity=activity,
                    unit=report.unit,
                    head_name=report.head_name,
                    head_post=report.head_post,
                    topic=report.topic,
                    by=by,
                )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("coverage/", view(self.coverage_view), name="stations_coverage"),
            path("figures/", view(self.figures_view), name="stations_figures"),
            path("<int:pk>/find/", view(self.find_view), name="stations_activity_find"),
        ] + super().get_urls()

    def find_view(self, request, pk):
        """Find deputies by expertise, level, region and group; add them as participants."""
        activity = get_object_or_404(self.get_queryset(request), pk=pk)
        return self._finder(
            request,
            activity,
            title=gettext("Find deputies for %(activity)s") % {"activity": activity.title},
            apply=lambda ids: services.activity_add_participants(
                activity=activity, persons=ids, by=request.user
            ),
            allow_provincial=True,
        )

    def _base_region(self, request) -> Region:
        path = access.staff_region_path(request.user)
        code = request.GET.get("region", "")
        regions = Region.objects.select_related("parent")
        if code:
            if not (code.isascii() and code.isdigit()):  # region codes are digits: else 404
                raise Http404
            region = regions.filter(code=code).first()
            if region is None or not region.path.startswith(path or ""):
                raise Http404
            return region
        if request.user.region_id:
            return regions.get(pk=request.user.region_id)
        # A superuser without a region: start from the first city.
        return regions.filter(kind=Region.Kind.CITY).order_by("code").first()

    def coverage_view(self, request):
        """Coverage: who took part in at least one activity in the year, by region and level;
        and who took part in none."""
        year = _year(request)
        base = self._base_region(request)
        data = selectors.coverage(base=base, year=year)
        idle = Paginator(selectors.idle_deputies(base=base, year=year), 50)
        page = idle.get_page(request.GET.get("page"))
        this = timezone.localdate().year
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Coverage %(year)d: %(region)s") % {"year": year, "region": base.name},
            "cov": data,
            "idle_page": page,
            "year": year,
            "years": list(range(this, this - 5, -1)),
            "up": base.parent
            if base.parent_id
            and base.parent.path.startswith(access.staff_region_path(request.user) or "")
            else None,
        }
        return TemplateResponse(request, "stations/admin/coverage.html", context)

    def figures_view(self, request):
        """The year's figures (the campaign report), each computed from the records."""
        year = _year(request)
        this = timezone.localdate().year
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Figures of %(year)d") % {"year": year},
            "f": selectors.year_figures(user=request.user, year=year),
            "year": year,
            "years": list(range(this, this - 5, -1)),
        }
        return TemplateResponse(request, "stations/admin/figures.html", context)
