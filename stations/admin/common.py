"""What the stations admin pages share: the region check of their forms, the deputy finder, the
year filter and the duty-record link."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anping.accounts import access
from anping.errors import DomainError
from stations import selectors
from stations.forms import FinderForm

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
        if not (self.value() or "").isdigit():
            return queryset
        start, end = selectors.year_bounds(int(self.value()))
        return queryset.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})

    date_field = "date"
