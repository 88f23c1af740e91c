from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters, messages
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
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
from anping.errors import run_step
from anping.regions.models import Region

from . import roster, selectors, services
from .models import (
    AccountLink,
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
from .resources import RosterExportXLSX, RosterFileError, RosterResource, RosterXLSX

DATE_PARTS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}


class SafeParametersMixin:
    """Bad input in a list's address gets a Chinese message, never a 500: a NUL byte in a search
    or filter value (PostgreSQL refuses it in any text), or a date part out of range
    (`at__year=-1`). The list is shown again without its parameters. Search terms (also the
    autocomplete's) are stripped of NUL bytes."""

    def _bad_parameters(self, request) -> bool:
        for key, values in request.GET.lists():
            for value in values:
                if "\x00" in key or "\x00" in value:
                    return True
            part = key.rsplit("__", 1)[-1]
            if part in DATE_PARTS and "__" in key:
                low, high = DATE_PARTS[part]
                if not all(v.isdigit() and low <= int(v) <= high for v in values):
                    return True
        return False

    def _refuse_parameters(self, request):
        messages.error(
            request,
            gettext("The address held a search or filter that cannot be read; here is the list."),
        )
        return HttpResponseRedirect(request.path)

    def changelist_view(self, request, extra_context=None):
        if self._bad_parameters(request):
            return self._refuse_parameters(request)
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


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
        if not self.value().isdigit():  # region codes are digits ("abc", a NUL byte: nothing)
            return queryset.none()
        region = Region.objects.filter(code=self.value()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(**{f"{self.region_field}__path__startswith": region.path}).distinct()


class PersonCountyFilter(CountyFilter):
    region_field = "mandates__region"


def check_mandate(form, user, *, new_person: bool = False) -> None:
    """A mandate entered in the admin: the service's own checks (`services.mandate_check`:
    the person already in the writer's scope, the region inside it and inside the term's
    congress) shown beside the fields; its level taken from the term (never typed)."""
    term = form.cleaned_data.get("term")
    if term is not None:
        form.instance.level = term.congress.level
    person = form.cleaned_data.get("person", getattr(form.instance, "person", None))
    if "person" not in form.fields:
        person = None  # the inline's parent: checked by the person's own form
    for field, message in services.mandate_check(
        by=user,
        person=person,
        term=term,
        region=form.cleaned_data.get("region"),
        new_person=new_person,
    ):
        form.add_error(field if field in form.fields else None, message)


class MandateInlineFormSet(BaseInlineFormSet):
    user = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                check_mandate(form, self.user, new_person=self.instance._state.adding)


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
        # Only the mandates the staff member sees: a 林州市 page of a deputy who also sits in
        # 殷都区 shows (and lets them change) the 林州市 seats alone.
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .select_related("term__congress__region", "region")
        )


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
class PersonAdmin(SafeParametersMixin, ImportExportMixin, ScopedAdmin):
    """The roster: persons, each with their mandates inline; import and export of the county
    workbook; the overview of persons and mandates by level."""

    resource_classes = [RosterResource]
    import_formats = [RosterXLSX]
    export_formats = [RosterExportXLSX]
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
    filter_horizontal = ["expertise"]
    inlines = [MandateInline]
    # The portal account is the deputy's identity: it changes only through its own recorded
    # step (`account_view` → `services.person_link_account`), never through this form.
    readonly_fields = ["portal_account", "account_history"]
    fieldsets = (
        (None, {"fields": ("name", "gender", "ethnicity", "birth_date", "party", "education")}),
        (_("Work"), {"fields": ("employer_post", "sector", "expertise")}),
        (_("Personal data"), {"fields": ("mobile", "id_number", "portal_account")}),
        (_("Portal account history"), {"fields": ("account_history",)}),
    )

    # --- writes: through the services ---------------------------------------------------

    def save_service(self, *, request, obj, form, change):
        services.person_save(by=request.user, person=obj, expertise=form.cleaned_data["expertise"])

    def delete_service(self, *, request, obj):
        services.person_delete(by=request.user, person=obj)

    def formset_service(self, *, request, form, formset, change):
        """The person's mandates: each added, corrected or deleted by its service (the person
        is new when the whole form adds them)."""
        formset.save(commit=False)
        for mandate in formset.deleted_objects:
            services.mandate_delete(by=request.user, mandate=mandate)
        for mandate in [*formset.new_objects, *(m for m, _f in formset.changed_objects)]:
            mandate.person = form.instance
            services.mandate_save(by=request.user, mandate=mandate, new_person=not change)

    def save_related(self, request, form, formsets, change):
        # Expertise is written by `person_save`; the mandates by `formset_service`.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("portal account"))
    def portal_account(self, obj):
        account = obj.user if obj and obj.pk else None
        label = account.username if account else gettext("none")
        if obj is None or obj.pk is None:
            return label
        return format_html(
            '{} <a class="button" id="portal-account-change" href="{}">{}</a>',
            label,
            reverse("admin:deputies_person_account", args=[obj.pk]),
            gettext("Link or unlink an account"),
        )

    @admin.display(description=_("changes"))
    def account_history(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        steps = obj.account_links.select_related("by")
        return render_to_string("history/_timeline.html", {"steps": steps})

    def account_view(self, request, pk):
        """Link a deputy account to the person, or unlink it, through the recorded step."""
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        back = reverse("admin:deputies_person_change", args=[person.pk])
        if not services.may_link_account(request.user, person):
            messages.error(
                request,
                gettext(
                    "This deputy also sits outside the region you manage: their portal account "
                    "is changed by the committee that holds all their mandates."
                ),
            )
            return HttpResponseRedirect(back)
        form = AccountLinkForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            ok, _link = run_step(
                request,
                services.person_link_account,
                success=gettext("The portal account is changed; the change is recorded."),
                by=request.user,
                person=person,
                account=form.cleaned_data["account"],
                reason=form.cleaned_data["reason"],
            )
            if ok:
                return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Portal account"),
            "opts": self.model._meta,
            "person": person,
            "form": form,
        }
        return TemplateResponse(request, "deputies/admin/person_account.html", context)

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
        # `RosterXLSX` turns every reading failure into a `RosterFileError` with a message for
        # the sender; anything else is a bug and fails loudly.
        if not isinstance(e, RosterFileError):
            raise e
        form.add_error("import_file", str(e))

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

    def export_action(self, request, *args, **kwargs):
        if self._bad_parameters(request):
            return self._refuse_parameters(request)
        try:
            return super().export_action(request, *args, **kwargs)
        except IncorrectLookupParameters:
            # The export reads the list's filters from the address: one it cannot read gives
            # the person the message and the page, not a 500.
            messages.error(
                request,
                gettext(
                    "The address held a search or filter that cannot be read; here is the list."
                ),
            )
            return HttpResponseRedirect(reverse("admin:deputies_person_changelist"))

    def get_export_filename(self, request, queryset, file_format):
        return f"roster-{request.user.username}.{file_format.get_extension()}"

    # --- the roster overview and the blank workbook ---------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("overview/", view(self.overview_view), name="deputies_person_overview"),
            path("template/", view(self.template_view), name="deputies_person_template"),
            path("<int:pk>/account/", view(self.account_view), name="deputies_person_account"),
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
        response = HttpResponse(
            RosterExportXLSX().export_data(dataset), content_type=XLSX.CONTENT_TYPE
        )
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
class MandateAdmin(SafeParametersMixin, ScopedAdmin):
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
    readonly_fields = ["level", "status", "end_date", "end_reason", "end_link", "history"]
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
        "history",
    ]

    def save_service(self, *, request, obj, form, change):
        services.mandate_save(by=request.user, mandate=obj)

    def delete_service(self, *, request, obj):
        services.mandate_delete(by=request.user, mandate=obj)

    @admin.display(description=_("changes"))
    def history(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return render_to_string(
            "history/_timeline.html", {"steps": obj.changes.select_related("by")}
        )

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
        back = reverse("admin:deputies_mandate_change", args=[mandate.pk])
        if not services.may_end_mandate(request.user, mandate):
            messages.error(request, gettext("This mandate has already ended."))
            return HttpResponseRedirect(back)
        form = EndMandateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            ok, _ended = run_step(
                request,
                services.mandate_end,
                success=gettext("The mandate has ended; the change is recorded."),
                by=request.user,
                mandate=mandate,
                **form.cleaned_data,
            )
            if ok:
                return HttpResponseRedirect(back)
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


class AccountLinkForm(forms.Form):
    """The account to link, by its login name (empty: unlink), and why."""

    username = forms.CharField(
        label=_("login name of the deputy's account"),
        max_length=150,
        required=False,
        help_text=_("Leave it empty to unlink the current account."),
    )
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_username(self):
        from anping.accounts.models import User

        username = self.cleaned_data["username"].strip()
        if not username:
            self.cleaned_data["account"] = None
            return ""
        # Only accounts the writer sees: the message names no one elsewhere.
        account = User.objects.visible_to(self.user).filter(username=username).first()
        if account is None:
            raise forms.ValidationError(gettext("No account with this login name in your region."))
        self.cleaned_data["account"] = account
        return username

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("account", None)
        return cleaned


@admin.register(Expertise)
class ExpertiseAdmin(SafeParametersMixin, ScopedAdmin):
    city_staff_only_writes = True
    search_fields = ["name"]
    list_display = ["name"]

    def save_service(self, *, request, obj, form, change):
        services.expertise_save(by=request.user, expertise=obj)

    def delete_service(self, *, request, obj):
        services.expertise_delete(by=request.user, expertise=obj)


class CongressScopedAdmin(SafeParametersMixin, ScopedAdmin):
    """Terms and sessions: every staff member sees them all (a county's staff need the city's
    sessions to read suggestion numbers), but changes only those of congresses in their region."""

    congress_field = "congress"  # the form field naming the congress (or its term)

    def congress_of(self, obj) -> Congress:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or services.may_change_congress(request.user, self.congress_of(obj))
        )

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
                if not services.may_change_congress(request.user, congress):
                    raise forms.ValidationError(
                        gettext("%(congress)s is outside the region you manage.")
                        % {"congress": congress}
                    )
                return cleaned

        return ScopedCongressForm


@admin.register(Congress)
class CongressAdmin(CongressScopedAdmin):
    list_display = ["__str__", "level", "region"]
    list_filter = ["level"]
    search_fields = ["region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]

    congress_field = "region"

    def congress_of(self, obj) -> Congress:
        return obj

    def get_form(self, request, obj=None, **kwargs):
        form = ScopedAdmin.get_form(self, request, obj, **kwargs)

        class ScopedCongressForm(form):
            def clean(self):
                cleaned = super().clean()
                region = cleaned.get("region")
                if region is not None and not services.region_in_scope(request.user, region):
                    self.add_error(
                        "region",
                        gettext("%(region)s is outside the region you manage.")
                        % {"region": region.name},
                    )
                return cleaned

        return ScopedCongressForm

    def save_service(self, *, request, obj, form, change):
        services.congress_save(by=request.user, congress=obj)

    def delete_service(self, *, request, obj):
        services.congress_delete(by=request.user, congress=obj)


class SessionInline(ScopedInlineMixin, admin.TabularInline):
    model = Session
    extra = 0

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or services.may_change_congress(request.user, obj.congress))

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

    def save_service(self, *, request, obj, form, change):
        services.term_save(by=request.user, term=obj)

    def delete_service(self, *, request, obj):
        services.term_delete(by=request.user, term=obj)

    def formset_service(self, *, request, form, formset, change):
        formset.save(commit=False)
        for session in formset.deleted_objects:
            services.session_delete(by=request.user, session=session)
        for session in [*formset.new_objects, *(s for s, _f in formset.changed_objects)]:
            session.term = form.instance
            services.session_save(by=request.user, session=session)


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

    def save_service(self, *, request, obj, form, change):
        services.session_save(by=request.user, session=obj)

    def delete_service(self, *, request, obj):
        services.session_delete(by=request.user, session=obj)


@admin.register(MandateChange)
class MandateChangeAdmin(SafeParametersMixin, ReadOnlyScopedAdmin):
    list_display = ["mandate", "from_status", "to_status", "reason", "by", "at"]
    list_select_related = ["mandate__person", "mandate__term__congress__region", "by"]


@admin.register(AccountLink)
class AccountLinkAdmin(SafeParametersMixin, ReadOnlyScopedAdmin):
    """Every link and unlink of a deputy's portal account (written by the step alone), seen by
    those who see the deputy."""

    list_display = ["person", "from_status", "to_status", "old_account", "new_account", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["person__name", "old_account__username", "new_account__username"]
    list_select_related = ["person", "old_account", "new_account", "by"]


@admin.register(RosterImport)
class RosterImportAdmin(SafeParametersMixin, ReadOnlyScopedAdmin):
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
