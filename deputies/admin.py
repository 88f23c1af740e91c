from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ExportForm, ImportForm

from anping.accounts import access
from anping.accounts.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin, ScopedInlineMixin
from anping.errors import DomainError
from anping.regions.models import Region

from . import roster, selectors, services
from .models import (
    Congress,
    Expertise,
    Level,
    Mandate,
    MandateChange,
    Person,
    RosterImport,
    Session,
    Term,
)
from .resources import RosterResource, RosterXLSX


class CountyFilter(admin.SimpleListFilter):
    """Filter by county (or city) within the user's scope: a short list however many
    townships there are."""

    title = _("region")
    parameter_name = "region"
    region_field = "region"

    def lookups(self, request, model_admin):
        path = access.staff_region_path(request.user) or ""
        regions = Region.objects.filter(
            kind__in=[Region.Kind.CITY, Region.Kind.COUNTY], path__startswith=path
        )
        return [(r.code, r.name) for r in regions]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = Region.objects.filter(code=self.value()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(**{f"{self.region_field}__path__startswith": region.path}).distinct()


class PersonCountyFilter(CountyFilter):
    region_field = "mandates__region"


def check_mandate(form, user) -> None:
    """A mandate entered in the admin: its region inside the staff member's scope and inside the
    term's congress; its level taken from the term (never typed)."""
    term = form.cleaned_data.get("term")
    region = form.cleaned_data.get("region")
    path = access.staff_region_path(user) or ""
    if region is not None and not region.path.startswith(path):
        form.add_error(
            "region",
            gettext("%(region)s is outside the region you manage.") % {"region": region.name},
        )
    if term is not None:
        form.instance.level = term.congress.level
        congress_region = term.congress.region
        if (
            region is not None
            and term.congress.level not in (Level.NATIONAL, Level.PROVINCIAL)
            and not congress_region.contains(region)
        ):
            form.add_error(
                "region",
                gettext("Region %(region)s is outside %(congress)s.")
                % {"region": region.name, "congress": term.congress},
            )


class MandateInlineFormSet(BaseInlineFormSet):
    user = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                check_mandate(form, self.user)


class MandateInline(ScopedInlineMixin, admin.TabularInline):
    """A person's mandates. Status changes go through "end mandate" (recorded with who, when
    and why), so status and end date are read-only here."""

    model = Mandate
    formset = MandateInlineFormSet
    extra = 0
    min_num = 1  # a deputy is a deputy through a mandate; staff would not see one without
    fields = ["term", "region", "electoral_unit", "start_date", "status", "end_date"]
    readonly_fields = ["status", "end_date"]
    autocomplete_fields = ["term", "region"]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, validate_min=True, **kwargs)
        formset.user = request.user
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("term__congress__region", "region")


class RosterImportForm(ImportForm):
    """The upload step: an .xlsx workbook of reasonable size, refused with a plain message
    before anything tries to read it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                gettext("The file is too large (%(size).1f MB): the limit is %(limit).1f MB.")
                % {"size": upload.size / 1e6, "limit": limit / 1e6}
            )
        head = upload.read(8)
        upload.seek(0)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise forms.ValidationError(
                gettext(
                    "This is an old .xls workbook: open it in Excel or WPS, save it as .xlsx "
                    "and upload that."
                )
            )
        if not head.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(gettext("This file is not an Excel workbook (.xlsx)."))
        return upload


@admin.register(Person)
class PersonAdmin(ImportExportMixin, ScopedAdmin):
    """The roster: persons, each with their mandates inline; import and export of the county
    workbook; the overview of persons and mandates by level."""

    resource_classes = [RosterResource]
    import_formats = [RosterXLSX]
    export_formats = [XLSX]
    import_form_class = RosterImportForm
    export_form_class = ExportForm
    import_template_name = "deputies/admin/import.html"
    change_list_template = "deputies/admin/person_change_list.html"
    # Import-export logs each object it saved; our import saves in bulk and says what it did
    # in its message instead.
    skip_admin_log = True
    list_display = [
        "name",
        "gender",
        "birth_date",
        "levels",
        "employer_post",
        "phone",
        "expertise_list",
    ]
    list_filter = ["mandates__level", "mandates__status", PersonCountyFilter, "gender", "expertise"]
    search_fields = ["name", "employer_post", "=mobile", "=id_number"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["expertise"]
    inlines = [MandateInline]
    fieldsets = (
        (None, {"fields": ("name", "gender", "ethnicity", "birth_date", "party", "education")}),
        (_("Work"), {"fields": ("employer_post", "sector", "expertise")}),
        (_("Personal data"), {"fields": ("mobile", "id_number", "user")}),
    )

    def get_queryset(self, request):
        # Two prefetches, whatever the page size: the mandates (with their terms) and expertise.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "mandates", queryset=Mandate.objects.only("id", "person_id", "level", "status")
                ),
                "expertise",
            )
        )

    # --- import and export: only for those who may see personal data --------------------

    def has_import_permission(self, request):
        return access.may_see_personal_data(request.user)

    def has_export_permission(self, request):
        return access.may_see_personal_data(request.user)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            gettext("The file could not be read as an Excel workbook (.xlsx): %(error)s")
            % {"error": type(e).__name__},
        )

    def process_result(self, result, request):
        if result.has_validation_errors() or result.has_errors():
            # The file or the roster changed between the preview and the confirmation.
            messages.error(request, gettext("The workbook has errors; nothing was imported."))
            return HttpResponseRedirect(reverse("admin:deputies_person_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        counts = getattr(result, "roster_counts", None)
        if counts is None:
            return
        messages.success(
            request,
            gettext(
                "Import finished: %(pc)s new deputies, %(pu)s updated; %(mc)s new mandates, "
                "%(mu)s updated; %(skip)s rows already up to date."
            )
            % {
                "pc": counts.persons_created,
                "pu": counts.persons_updated,
                "mc": counts.mandates_created,
                "mu": counts.mandates_updated,
                "skip": result.totals["skip"],
            },
        )

    def get_export_filename(self, request, queryset, file_format):
        return f"roster-{request.user.username}.{file_format.get_extension()}"

    # --- the roster overview and the blank workbook ---------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("overview/", view(self.overview_view), name="deputies_person_overview"),
            path("template/", view(self.template_view), name="deputies_person_template"),
            *super().get_urls(),
        ]

    def overview_view(self, request):
        """Persons and mandates by level in the user's region, counted in the database."""
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:login"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Roster overview"),
            "opts": self.model._meta,
            "overview": selectors.roster_overview(request.user),
            "scope": access.user_region_label(request.user) or gettext("All regions"),
        }
        return TemplateResponse(request, "deputies/admin/overview.html", context)

    def template_view(self, request):
        """A blank workbook with the headers and one example row, for counties to fill in."""
        if not self.has_import_permission(request):
            return HttpResponseRedirect(reverse("admin:login"))
        import tablib

        dataset = tablib.Dataset(headers=list(roster.HEADERS))
        dataset.append(roster.EXAMPLE_ROW)
        response = HttpResponse(XLSX().export_data(dataset), content_type=XLSX.CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
        return response

    @admin.display(description=_("levels"))
    def levels(self, obj):
        labels = dict(Level.choices)
        return "、".join(
            str(labels[m.level]) for m in obj.mandates.all() if m.status == Mandate.Status.SERVING
        )

    @admin.display(description=_("mobile phone"))
    def phone(self, obj):
        return obj.mobile  # committee staff only reach the admin; they may see it

    @admin.display(description=_("expertise"))
    def expertise_list(self, obj):
        return "、".join(e.name for e in obj.expertise.all())


@admin.register(Mandate)
class MandateAdmin(ScopedAdmin):
    list_display = [
        "person",
        "level",
        "term",
        "region",
        "electoral_unit",
        "status",
        "start_date",
        "end_date",
    ]
    list_filter = ["level", "status", CountyFilter, "person__expertise"]
    search_fields = ["person__name", "electoral_unit"]
    list_select_related = ["person", "term__congress__region", "region"]
    autocomplete_fields = ["person", "term", "region"]
    readonly_fields = ["level", "status", "end_date", "end_reason", "end_link"]
    fields = [
        "person",
        "term",
        "level",
        "region",
        "electoral_unit",
        "start_date",
        "status",
        "end_date",
        "end_reason",
        "end_link",
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ScopedMandateForm(form):
            def clean(self):
                cleaned = super().clean()
                check_mandate(self, request.user)
                return cleaned

        return ScopedMandateForm

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/end/", view(self.end_view), name="deputies_mandate_end"),
            *super().get_urls(),
        ]

    @admin.display(description=_("end the mandate"))
    def end_link(self, obj):
        if obj is None or obj.pk is None or not obj.is_serving:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:deputies_mandate_end", args=[obj.pk]),
            gettext("Record resignation, termination or death"),
        )

    def end_view(self, request, pk):
        """End a serving mandate through `services.mandate_end`: the change is recorded."""
        mandate = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, mandate):
            raise Http404
        form = EndMandateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.mandate_end(by=request.user, mandate=mandate, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("The mandate has ended; the change is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:deputies_mandate_change", args=[mandate.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("End a mandate"),
            "opts": self.model._meta,
            "mandate": mandate,
            "form": form,
        }
        return TemplateResponse(request, "deputies/admin/end_mandate.html", context)


class EndMandateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("how it ended"),
        choices=[c for c in Mandate.Status.choices if c[0] != Mandate.Status.SERVING],
    )
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason"), max_length=200)


@admin.register(Expertise)
class ExpertiseAdmin(ScopedAdmin):
    city_staff_only_writes = True
    search_fields = ["name"]
    list_display = ["name"]


@admin.register(Congress)
class CongressAdmin(ScopedAdmin):
    city_staff_only_writes = True
    list_display = ["__str__", "level", "region"]
    list_filter = ["level"]
    search_fields = ["region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


def in_scope(user, region) -> bool:
    """Whether a staff member's region holds `region` (a county's staff: not the city's)."""
    path = access.staff_region_path(user)
    return path is not None and region.path.startswith(path)


class CongressScopedAdmin(ScopedAdmin):
    """Terms and sessions: every staff member sees them all (a county's staff need the city's
    sessions to read suggestion numbers), but changes only those of congresses in their region."""

    congress_field = "congress"  # the form field naming the congress (or its term)

    def congress_of(self, obj) -> Congress:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or in_scope(request.user, self.congress_of(obj).region))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        admin_ = self

        class ScopedCongressForm(form):
            def clean(self):
                cleaned = super().clean()
                chosen = cleaned.get(admin_.congress_field)
                if chosen is None:
                    return cleaned
                congress = chosen if isinstance(chosen, Congress) else chosen.congress
                if not in_scope(request.user, congress.region):
                    raise forms.ValidationError(
                        gettext("%(congress)s is outside the region you manage.")
                        % {"congress": congress}
                    )
                return cleaned

        return ScopedCongressForm


class SessionInline(ScopedInlineMixin, admin.TabularInline):
    model = Session
    extra = 0

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or in_scope(request.user, obj.congress.region))

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission


@admin.register(Term)
class TermAdmin(CongressScopedAdmin):
    list_display = ["__str__", "number", "start_date", "end_date"]
    list_filter = ["congress__level"]
    search_fields = ["congress__region__name"]
    list_select_related = ["congress__region"]
    autocomplete_fields = ["congress"]
    inlines = [SessionInline]

    def congress_of(self, obj) -> Congress:
        return obj.congress


@admin.register(Session)
class SessionAdmin(CongressScopedAdmin):
    list_display = ["__str__", "start_date", "end_date"]
    list_filter = ["term__congress__level"]
    search_fields = ["term__congress__region__name"]
    list_select_related = ["term__congress__region"]
    autocomplete_fields = ["term"]

    congress_field = "term"

    def congress_of(self, obj) -> Congress:
        return obj.term.congress


@admin.register(MandateChange)
class MandateChangeAdmin(ReadOnlyScopedAdmin):
    list_display = ["mandate", "from_status", "to_status", "reason", "by", "at"]
    list_select_related = ["mandate__person", "mandate__term__congress__region", "by"]


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyScopedAdmin):
    """Who imported which roster workbook, and the workbooks refused for their errors: written
    by the import itself, never by hand. County staff see their own region's."""

    list_display = [
        "at",
        "by",
        "region",
        "file_name",
        "size_kb",
        "outcome",
        "rows",
        "error_rows",
        "persons_created",
        "persons_updated",
        "mandates_created",
        "short_sha256",
    ]
    list_filter = ["outcome", CountyFilter]
    search_fields = ["file_name", "=sha256", "by__username"]
    list_select_related = ["by", "region"]
    date_hierarchy = "at"
    fields = [
        "at",
        "by",
        "region",
        "file_name",
        "file_size",
        "sha256",
        "outcome",
        "rows",
        "error_rows",
        "persons_created",
        "persons_updated",
        "mandates_created",
    ]
    readonly_fields = fields

    @admin.display(description=_("size (KB)"), ordering="file_size")
    def size_kb(self, obj):
        return f"{obj.file_size / 1024:.1f}"

    @admin.display(description=_("SHA-256"))
    def short_sha256(self, obj):
        return obj.sha256[:12]
