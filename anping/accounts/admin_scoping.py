"""The admin's side of the access policy: every ModelAdmin of the portal derives from
`ScopedAdmin`, so its changelist, its exports and its change pages read through the model's
`visible_to(user)` and only committee staff may use them."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext

from anping.errors import DomainError

from . import access


class ScopedAdmin(admin.ModelAdmin):
    """Every write an admin page makes goes through a service. A page that lets staff add or
    change rows names it: `save_service(request=..., obj=..., form=..., change=...)` and, where
    rows may be deleted, `delete_service(request=..., obj=...)`. A page that names none cannot
    write: `save_model` / `delete_model` refuse (a test walks every registered admin).

    A service that refuses raises `DomainError`; the whole request is rolled back and the page
    shows the message (the form's `clean` should call the step's predicate first, so that the
    person sees the reason beside the field; this is the backstop for a race)."""

    # Writes limited to city staff (and superusers): reference data such as the region tree.
    city_staff_only_writes = False
    show_full_result_count = False  # one COUNT per changelist page, not two
    list_per_page = 50

    def get_changeform_initial_data(self, request):
        """The add page's initial values from the query string (`?region=12`), without the
        ones that are no key of their field (`?region=abc`, `?person=99999999999999999999`):
        Django would hand them to the widget, whose lookup fails with a 500."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation or field.related_model is None:
                continue
            target = field.target_field if field.many_to_one else field.related_model._meta.pk
            values = value if isinstance(value, list) else [value]
            try:
                for item in values:
                    target.get_prep_value(target.to_python(item))
                    if isinstance(target, models.IntegerField) and not (
                        -(2**63) <= int(item) < 2**63
                    ):
                        raise ValidationError("out of range")
            except (ValidationError, ValueError, TypeError, OverflowError):
                del initial[name]
        return initial

    def get_changelist_instance(self, request):
        # A date-hierarchy year past what a date can hold (`?date__year=99999999999999999999`)
        # overflows in Django's changelist before its own check: treat it as the bad filter it
        # is (the changelist then answers with its "?e=1" redirect, as for any wrong filter).
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        visible_to = getattr(qs, "visible_to", None)
        return visible_to(request.user) if visible_to else qs

    def has_module_permission(self, request):
        return access.is_committee_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def _may_write(self, request) -> bool:
        if self.city_staff_only_writes:
            return access.is_city_staff(request.user)
        return access.is_committee_staff(request.user)

    def has_add_permission(self, request):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request)

    save_service = None
    delete_service = None

    def save_model(self, request, obj, form, change):
        if self.save_service is None:
            raise ImproperlyConfigured(f"{type(self).__name__} writes without a service")
        self.save_service(request=request, obj=obj, form=form, change=change)

    def delete_model(self, request, obj):
        if self.delete_service is None:
            raise ImproperlyConfigured(f"{type(self).__name__} deletes without a service")
        self.delete_service(request=request, obj=obj)

    def delete_queryset(self, request, queryset):
        # All or nothing: one refused row keeps every row of the selection.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    formset_service = None

    def save_formset(self, request, form, formset, change):
        """Inline rows are written by `formset_service(request=, form=, formset=, change=)`; an
        admin with inlines that names none may show them but not change them."""
        if self.formset_service is not None:
            self.formset_service(request=request, form=form, formset=formset, change=change)
            return
        if formset.has_changed() or getattr(formset, "deleted_forms", []):
            raise ImproperlyConfigured(
                f"{type(self).__name__} writes inline rows without a service"
            )
        # Nothing written: what the admin's change message reads afterwards.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        # An action whose service refuses (deleting a selection with one protected row).
        try:
            return super().changelist_view(request, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Rows written only by workflow services (transitions, logs): staff look, never edit. A
    subclass may open its change page for its workflow buttons; saving that page writes nothing
    (every field is read-only), and a form that somehow carries a change is refused."""

    def save_service(self, *, request, obj, form, change):
        if form.changed_data:
            raise DomainError(gettext("This page changes nothing: use its buttons."))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedInlineMixin:
    """For inlines: Django's inlines ask for model permissions, which the portal does not hand
    out (roles decide); committee staff may see and edit the rows of what they may change."""

    def has_view_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_committee_staff(request.user)
