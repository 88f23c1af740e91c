"""Staff work on groups, stations, activities, opinions and campaigns in the admin. Writes that
are workflow steps (participants, members, stationing, outcomes, measure status) go through the
services, from inlines, actions and the custom views alike."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin
from anping.errors import DomainError, run_step
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies.admin import CountyFilter
from deputies.models import Person

from . import selectors, services
from .forms import FinderForm, OutcomeForm, StationingForm
from .models import (
    Activity,
    Campaign,
    DepartmentReport,
    Group,
    Measure,
    MeasureChange,
    Membership,
    Opinion,
    OpinionTransition,
    Participation,
    Station,
    Stationing,
    StationLead,
)

FINDER_LIMIT = 300  # rows shown with a checkbox; "add all" takes every match


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.default_year()
    return year if 2000 <= year <= 2100 else selectors.default_year()


def _person_ids(request) -> list[int]:
    ids = []
    for raw in request.POST.getlist("person"):
        if raw.isdigit():
            ids.append(int(raw))
    return ids


class RegionInScope:
    """The change form refuses a region outside the staff user's scope (a form error that the
    service would otherwise raise after the form was accepted)."""

    region_field = "region"

    def region_of(self, data):
        return data.get(self.region_field)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        field, user, region_of = self.region_field, request.user, self.region_of

        class ScopedForm(form):
            def clean(self):
                data = super().clean()
                region = region_of(data)
                path = access.staff_region_path(user)
                if region is not None and (path is None or not region.path.startswith(path)):
                    self.add_error(field, gettext("This region is outside yours."))
                return data

        return ScopedForm


class FinderMixin:
    """A custom admin view that finds deputies and applies one step to the ones chosen."""

    finder_template = "stations/admin/finder.html"

    def _finder(self, request, obj, *, title, apply, allow_provincial=False, extra_form=None):
        form = FinderForm(request.GET or None, user=request.user, allow_provincial=allow_provincial)
        found = None
        count = 0
        if form.is_bound and form.is_valid() and form.has_criteria():
            found = selectors.find_deputies(user=request.user, **form.criteria())
            count = found.count()
        if request.method == "POST":
            if extra_form is not None and not extra_form.is_valid():
                pass
            else:
                if request.POST.get("all") and found is not None:
                    ids = list(found.values_list("pk", flat=True))
                else:
                    ids = _person_ids(request)
                    if found is not None:
                        # Only what the search shows may be added.
                        ids = list(found.filter(pk__in=ids).values_list("pk", flat=True))
                try:
                    added = apply(ids)
                except DomainError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                else:
                    self.message_user(
                        request,
                        gettext("%(n)d deputies added.") % {"n": added},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(f"admin:stations_{obj._meta.model_name}_change", args=[obj.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "form": form,
            "extra_form": extra_form,
            "found": list(found[:FINDER_LIMIT]) if found is not None else None,
            "count": count,
            "limit": FINDER_LIMIT,
        }
        return TemplateResponse(request, self.finder_template, context)


# --- groups --------------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["person", "joined_on", "duty_record"]
    readonly_fields = ["duty_record"]
    autocomplete_fields = ["person"]

    @admin.display(description=_("duty record"))
    def duty_record(self, obj):
        return record_link(obj.person_id)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Group)
class GroupAdmin(RegionInScope, FinderMixin, ScopedAdmin):
    list_display = [
        "name",
        "level",
        "category",
        "field",
        "region",
        "leader",
        "members_n",
        "activities_n",
    ]
    list_filter = ["level", "category", CountyFilter, "is_active"]
    search_fields = ["name", "field"]
    list_select_related = ["region", "leader"]
    autocomplete_fields = ["region", "leader"]
    filter_horizontal = ["expertise"]
    inlines = [MembershipInline]
    change_form_template = "stations/admin/group_change_form.html"

    def get_queryset(self, request):
        # Two counts as correlated subqueries (two joined COUNTs would multiply each other).
        members = (
            Membership.objects.filter(group=OuterRef("pk"))
            .order_by()
            .values("group")
            .annotate(n=Count("id"))
            .values("n")
        )
        start, end = selectors.year_bounds(timezone.localdate().year)
        activities = (
            Activity.objects.filter(group=OuterRef("pk"), date__gte=start, date__lt=end)
            .order_by()
            .values("group")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                members_n=Coalesce(Subquery(members, output_field=IntegerField()), 0),
                activities_n=Coalesce(Subquery(activities, output_field=IntegerField()), 0),
            )
        )

    @admin.display(description=_("number of members"), ordering="members_n")
    def members_n(self, obj):
        return obj.members_n

    @admin.display(description=_("activities this year"), ordering="activities_n")
    def activities_n(self, obj):
        return obj.activities_n

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        group = form.instance
        try:
            for obj in formset.deleted_objects:
                services.group_remove_member(group=group, person=obj.person, by=request.user)
            new = [m.person for m in instances if m.pk is None]
            if new:
                services.group_add_members(group=group, persons=new, by=request.user)
            for m in instances:
                if m.pk is not None:
                    m.save(update_fields=["joined_on"])
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def get_urls(self):
        return [
            path(
                "<int:pk>/matches/",
                self.admin_site.admin_view(self.matches_view),
                name="stations_group_matches",
            ),
        ] + super().get_urls()

    def matches_view(self, request, pk):
        """Deputies whose expertise fits the group and who are not in it; add them in one step."""
        group = get_object_or_404(self.get_queryset(request), pk=pk)
        matches = selectors.group_matches(group=group, user=request.user)
        if request.method == "POST":
            ids = list(matches.filter(pk__in=_person_ids(request)).values_list("pk", flat=True))
            try:
                added = services.group_add_members(
                    group=group, persons=Person.objects.filter(pk__in=ids), by=request.user
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request, gettext("%(n)d deputies added.") % {"n": added}, messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:stations_group_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": group,
            "title": gettext("Deputies matching %(group)s") % {"group": group.name},
            "found": list(matches[:FINDER_LIMIT]),
            "count": matches.count(),
            "limit": FINDER_LIMIT,
            "expertise": list(group.expertise.all()),
        }
        return TemplateResponse(request, "stations/admin/group_matches.html", context)


# --- stations ------------------------------------------------------------------------------


class StationLeadInline(admin.TabularInline):
    model = StationLead
    extra = 0


class StationingInline(admin.TabularInline):
    model = Stationing
    extra = 0
    fields = ["person", "start_date", "end_date", "note"]
    readonly_fields = ["person", "start_date"]
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # through "Station deputies": the service checks overlapping periods

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Station)
class StationAdmin(RegionInScope, FinderMixin, ScopedAdmin):
    list_display = [
        "name",
        "kind",
        "region",
        "industry",
        "contact_person",
        "reception_schedule",
        "deputies_n",
    ]
    list_filter = ["kind", CountyFilter, "is_active"]
    search_fields = ["name", "industry", "address"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["co_builders"]
    inlines = [StationLeadInline, StationingInline]
    change_form_template = "stations/admin/station_change_form.html"
    fieldsets = (
        (None, {"fields": ("name", "kind", "region", "industry", "established_on", "is_active")}),
        (
            _("Contact and reception"),
            {"fields": ("address", "contact_person", "contact_phone", "reception_schedule")},
        ),
        (
            _("Standard functions (demonstration points: all four)"),
            {
                "fields": (
                    "does_liaison",
                    "does_consultation",
                    "does_supervision",
                    "does_promotion",
                )
            },
        ),
        (_("Co-builders"), {"fields": ("co_builders",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deputies_n=Count("stationings"))

    @admin.display(description=_("stationed deputies"), ordering="deputies_n")
    def deputies_n(self, obj):
        return obj.deputies_n

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "co_builders":
            kwargs["queryset"] = Organisation.objects.filter(
                kind=Organisation.Kind.COMMITTEE
            ).select_related("region")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "<int:pk>/deputies/",
                self.admin_site.admin_view(self.station_deputies_view),
                name="stations_station_deputies",
            ),
        ] + super().get_urls()

    def station_deputies_view(self, request, pk):
        """Find deputies (also provincial deputies of other cities) and station them here."""
        station = get_object_or_404(self.get_queryset(request), pk=pk)
        dates = StationingForm(request.POST or None, initial={"start_date": timezone.localdate()})

        def apply(ids):
            data = dates.cleaned_data
            done = 0
            for person in Person.objects.filter(pk__in=ids):
                services.station_station_deputy(
                    station=station,
                    person=person,
                    start_date=data["start_date"],
                    end_date=data.get("end_date"),
                    note=data.get("note") or "",
                    by=request.user,
                )
                done += 1
            if not done:
                raise DomainError(gettext("Choose at least one deputy."))
            return done

        return self._finder(
            request,
            station,
            title=gettext("Station deputies at %(station)s") % {"station": station.name},
            apply=apply,
            allow_provincial=True,
            extra_form=dates,
        )


# --- activities ----------------------------------------------------------------------------


def record_link(person_id: int | None) -> str:
    if not person_id:
        return ""
    return format_html(
        '<a href="{}">{}</a>', reverse("stations:record", args=[person_id]), gettext("duty record")
    )


class ParticipationInline(admin.TabularInline):
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


class DepartmentReportInline(admin.TabularInline):
    model = DepartmentReport
    extra = 0
    fields = ["unit", "head_name", "head_post", "topic"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = Organisation.objects.handling_units()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this = timezone.localdate().year
        return [(str(y), str(y)) for y in range(this, this - 5, -1)]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        start, end = selectors.year_bounds(int(self.value()))
        return queryset.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})

    date_field = "date"


class OpinionYearFilter(YearFilter):
    date_field = "received_on"


@admin.register(Activity)
class ActivityAdmin(RegionInScope, FinderMixin, ScopedAdmin):
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "committee":
            kwargs["queryset"] = Organisation.objects.filter(
                kind__in=[Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE]
            ).filter(access.region_q(request.user, "region"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
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

    def save_formset(self, request, form, formset, change):
        activity = form.instance
        if formset.model is Participation:
            instances = formset.save(commit=False)
            try:
                for obj in formset.deleted_objects:
                    services.activity_remove_participant(
                        activity=activity, person=obj.person, by=request.user
                    )
                new = [p.person for p in instances if p.pk is None]
                if new:
                    services.activity_add_participants(
                        activity=activity, persons=new, by=request.user
                    )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            return
        if formset.model is DepartmentReport:
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            try:
                for obj in instances:
                    if obj.pk is None:
                        services.activity_add_department_report(
                            activity=activity,
                            unit=obj.unit,
                            head_name=obj.head_name,
                            head_post=obj.head_post,
                            topic=obj.topic,
                            by=request.user,
                        )
                    else:
                        obj.save()
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            return
        super().save_formset(request, form, formset, change)

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


# --- opinions ------------------------------------------------------------------------------


class OpinionTransitionInline(admin.TabularInline):
    model = OpinionTransition
    extra = 0
    fields = ["at", "from_status", "to_status", "unit", "reason", "by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "by")


@admin.register(Opinion)
class OpinionAdmin(RegionInScope, ScopedAdmin):
    list_display = [
        "received_on",
        "summary",
        "channel",
        "topic",
        "region",
        "taken_by",
        "status_badge",
        "forwarded_to",
    ]
    list_filter = ["status", "channel", "topic", OpinionYearFilter, CountyFilter, "campaign"]
    search_fields = ["summary", "taken_by__name"]
    list_select_related = ["region", "taken_by", "forwarded_to"]
    autocomplete_fields = ["region", "taken_by", "station", "activity"]
    readonly_fields = ["status", "forwarded_to", "outcome_note", "closed_on"]
    inlines = [OpinionTransitionInline]
    change_form_template = "stations/admin/opinion_change_form.html"
    actions = ["mark_solved", "mark_closed"]

    @admin.display(description=_("outcome"), ordering="status")
    def status_badge(self, obj):
        return obj.get_status_display()

    def save_service(self, *, request, obj, form, change):
        if change:
            services.opinion_update(opinion=obj, by=request.user)
            return
        created = services.opinion_record(
            by=request.user,
            taken_by=obj.taken_by,
            channel=obj.channel,
            topic=obj.topic,
            summary=obj.summary,
            details=obj.details,
            constituent=obj.constituent,
            region=obj.region,
            received_on=obj.received_on,
            station=obj.station,
            activity=obj.activity,
            campaign=obj.campaign,
        )
        obj.pk, obj.created_by, obj.created_at = created.pk, created.created_by, created.created_at
        obj._state.adding = False

    def _bulk(self, request, queryset, to, reason):
        done = 0
        for opinion in queryset:
            ok, _moved = run_step(
                request,
                services.opinion_move,
                opinion=opinion,
                to=to,
                by=request.user,
                reason=reason,
            )
            done += ok
        self.message_user(request, gettext("%(n)d opinions moved.") % {"n": done})

    @admin.action(description=_("Mark as solved"))
    def mark_solved(self, request, queryset):
        self._bulk(request, queryset, Opinion.Status.SOLVED, gettext("Solved (marked in bulk)"))

    @admin.action(description=_("Mark as explained and closed"))
    def mark_closed(self, request, queryset):
        self._bulk(
            request, queryset, Opinion.Status.CLOSED, gettext("Explained and closed (in bulk)")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/outcome/",
                self.admin_site.admin_view(self.outcome_view),
                name="stations_opinion_outcome",
            ),
        ] + super().get_urls()

    def outcome_view(self, request, pk):
        opinion = get_object_or_404(self.get_queryset(request).select_related("activity"), pk=pk)
        form = OutcomeForm(request.POST or None, opinion=opinion)
        if request.method == "POST" and form.is_valid():
            ok, _moved = run_step(
                request,
                services.opinion_move,
                success=gettext("The outcome was recorded."),
                opinion=opinion,
                to=form.cleaned_data["to"],
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            if ok:
                return HttpResponseRedirect(reverse("admin:stations_opinion_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": opinion,
            "title": gettext("Outcome of an opinion"),
            "form": form,
        }
        return TemplateResponse(request, "stations/admin/opinion_outcome.html", context)


@admin.register(OpinionTransition)
class OpinionTransitionAdmin(ReadOnlyScopedAdmin):
    list_display = ["opinion", "from_status", "to_status", "unit", "reason", "by", "at"]
    list_filter = ["to_status"]
    list_select_related = ["opinion", "unit", "by"]


# --- campaigns -----------------------------------------------------------------------------


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["number", "title", "owner", "deadline", "status", "done_on"]
    readonly_fields = ["status", "done_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = Organisation.objects.filter(
                kind__in=[Organisation.Kind.COMMITTEE, Organisation.Kind.SPECIAL_COMMITTEE]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CampaignWritesInScope:
    """County staff see the city's campaign (they carry it out) but change only their own."""

    def _in_scope(self, request, region) -> bool:
        path = access.staff_region_path(request.user)
        return path is not None and region.path.startswith(path)


@admin.register(Campaign)
class CampaignAdmin(RegionInScope, CampaignWritesInScope, ScopedAdmin):
    list_display = ["name", "year", "region", "measures_n", "measures_done"]
    list_filter = ["year"]
    search_fields = ["name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [MeasureInline]

    def get_queryset(self, request):
        from django.db.models import Q

        return (
            super()
            .get_queryset(request)
            .annotate(
                measures_n=Count("measures"),
                measures_done=Count("measures", filter=Q(measures__status=Measure.Status.DONE)),
            )
        )

    @admin.display(description=_("number of measures"))
    def measures_n(self, obj):
        return obj.measures_n

    @admin.display(description=_("carried out"))
    def measures_done(self, obj):
        return obj.measures_done

    def has_change_permission(self, request, obj=None):
        ok = super().has_change_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj.region))

    def has_delete_permission(self, request, obj=None):
        ok = super().has_delete_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj.region))


class MeasureChangeInline(admin.TabularInline):
    model = MeasureChange
    extra = 0
    fields = ["at", "from_status", "to_status", "reason", "by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(RegionInScope, CampaignWritesInScope, ScopedAdmin):
    region_field = "campaign"

    def region_of(self, data):
        campaign = data.get("campaign")
        return campaign.region if campaign else None

    list_display = [
        "number",
        "title",
        "campaign",
        "owner",
        "deadline",
        "status",
        "done_on",
        "activities_n",
    ]
    list_filter = ["status", "campaign"]
    search_fields = ["title"]
    list_select_related = ["campaign", "owner"]
    autocomplete_fields = ["campaign"]
    inlines = [MeasureChangeInline]
    actions = ["start", "carry_out"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activities_n=Count("activities"))

    @admin.display(description=_("number of activities"))
    def activities_n(self, obj):
        return obj.activities_n

    def has_change_permission(self, request, obj=None):
        ok = super().has_change_permission(request, obj)
        return ok and (obj is None or self._in_scope(request, obj.campaign.region))

    def _move(self, request, queryset, to):
        done = 0
        for measure in queryset:
            try:
                services.measure_set_status(measure=measure, to=to, by=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{measure}: {exc.message}", messages.WARNING)
        self.message_user(request, gettext("%(n)d measures updated.") % {"n": done})

    @admin.action(description=_("Mark as in progress"))
    def start(self, request, queryset):
        self._move(request, queryset, Measure.Status.IN_PROGRESS)

    @admin.action(description=_("Mark as carried out"))
    def carry_out(self, request, queryset):
        self._move(request, queryset, Measure.Status.DONE)
