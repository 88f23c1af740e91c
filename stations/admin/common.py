"""What the stations admin pages share: the region check of their forms, the deputy finder, the
year filter and the duty-record link."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.accounts.admin_scoping import ScopedInlineMixin
from anping.errors import DomainError, run_step
from stations import selectors, services
from stations.forms import FinderForm

FINDER_LIMIT = 300  # rows shown with a checkbox; "add all" takes every match


def _year(request) -> int:
    return selectors.year_from(request.GET.get("year")) or selectors.default_year()


def _person_ids(request) -> list[int]:
    return selectors.ids_from(request.POST.getlist("person"))


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


class SafeParameters:
    """No URL gives a server error: an object id that is not a number is not found (404), and
    NUL bytes (which PostgreSQL text cannot hold) are dropped from the list's parameters."""

    def get_object(self, request, object_id, from_field=None):
        if from_field is None and not selectors.ids_from([str(object_id)]):
            raise Http404
        return super().get_object(request, object_id, from_field)

    def changelist_view(self, request, extra_context=None):
        if any("\x00" in v for _key, values in request.GET.lists() for v in values):
            clean = request.GET.copy()
            for key, values in request.GET.lists():
                clean.setlist(key, [v.replace("\x00", "") for v in values])
            request.GET = clean
        return super().changelist_view(request, extra_context)


class ServiceWrites(SafeParameters):
    """Every write of the page goes through the app's services (`ScopedAdmin` refuses any
    other). The change form asks the service's own check first (`form_check`), so the reason
    shows on the form and nothing is saved; the service runs the same check again when it
    saves (the backstop for a race)."""

    def form_check(self, request, obj, data) -> None:
        """Raise DomainError when `obj` (the unsaved instance, as the form would save it) may
        not be saved by this user."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        check = self.form_check

        class CheckedForm(form):
            def _post_clean(self):
                super()._post_clean()
                if self._errors:
                    return
                try:
                    check(request, self.instance, self.cleaned_data)
                except DomainError as exc:
                    self.add_error(None, exc.message)
                except ValidationError as exc:
                    self.add_error(None, exc)

        return CheckedForm

    def save_related(self, request, form, formsets, change):
        # The save service has written the form's many-to-many fields (checked in the scope).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kinds = self.organisation_fields.get(db_field.name)
        if kinds:
            kwargs["queryset"] = services.organisations_in_reach(request.user, kinds)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kinds = self.organisation_fields.get(db_field.name)
        if kinds:
            kwargs["queryset"] = services.organisations_in_reach(request.user, kinds)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Organisation fields offered only as far as the services accept: {field: kinds}.
    organisation_fields: dict = {}


class InlineWrites(ScopedInlineMixin):
    """An inline that committee staff use (roles decide, not model permissions), whose rows the
    page's `formset_service` writes and whose organisation fields offer what it accepts."""

    organisation_fields: dict = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kinds = self.organisation_fields.get(db_field.name)
        if kinds:
            kwargs["queryset"] = services.organisations_in_reach(request.user, kinds)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def formset_rows(formset):
    """The rows an inline formset would write: (new, changed with their changed fields,
    deleted), computed without saving anything."""
    formset.save(commit=False)
    return formset.new_objects, formset.changed_objects, formset.deleted_objects


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
                ok, added = run_step(request, apply, ids=ids)
                if ok:
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


def record_link(person_id: int | None) -> str:
    if not person_id:
        return ""
    return format_html(
        '<a href="{}">{}</a>', reverse("stations:record", args=[person_id]), gettext("duty record")
    )


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this = timezone.localdate().year
        return [(str(y), str(y)) for y in range(this, this - 5, -1)]

    def queryset(self, request, queryset):
        year = selectors.year_from(self.value())
        if year is None:
            return queryset
        start, end = selectors.year_bounds(year)
        return queryset.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})

    date_field = "date"
