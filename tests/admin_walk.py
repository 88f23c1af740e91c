"""Walking every registered admin: what it lets a user write, its add and change forms filled
as Django would post them, its actions and its own URLs. Importable helpers for
tests/anping/test_admin_writes.py, test_admin_scope_walk.py and test_admin_actions_http.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from anping.accounts.admin_scoping import ScopedAdmin


def registered() -> list[admin.ModelAdmin]:
    """Every ModelAdmin of the project's admin site, in a stable order."""
    return sorted(admin.site._registry.values(), key=lambda a: a.model._meta.label)


def admin_id(model_admin) -> str:
    return model_admin.model._meta.label


def request_as(user, method: str = "get", path: str = "/admin/", data=None):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.user = user
    return request


@dataclass
class Writes:
    """What a user may write through one admin."""

    add: bool
    change: bool
    delete: bool
    inlines: bool

    @property
    def any(self) -> bool:
        return self.add or self.change or self.delete or self.inlines


def writes(model_admin, user) -> Writes:
    request = request_as(user)
    inline_writes = any(
        inline.has_add_permission(request, None)
        or inline.has_change_permission(request, None)
        or inline.has_delete_permission(request, None)
        for inline in model_admin.get_inline_instances(request, None)
    )
    return Writes(
        add=model_admin.has_add_permission(request),
        change=model_admin.has_change_permission(request, None),
        delete=model_admin.has_delete_permission(request, None),
        inlines=inline_writes,
    )


def overrides(model_admin, name: str) -> bool:
    """Does the admin class (or a class between it and ScopedAdmin) define `name` itself?"""
    for klass in type(model_admin).__mro__:
        if klass is ScopedAdmin:
            return False
        if name in vars(klass):
            return True
    return False


def unwritten_paths(model_admin, user) -> list[str]:
    """What an admin writes without a named service, as the house rule reads: each write it
    allows goes through `save_service` / `delete_service` / `formset_service`, and none of
    save_model, delete_model or save_formset is overridden to write another way."""
    allowed = writes(model_admin, user)
    problems = []
    if not allowed.any:
        return []
    if not isinstance(model_admin, ScopedAdmin):
        return ["writes but is not a ScopedAdmin"]
    if (allowed.add or allowed.change) and model_admin.save_service is None:
        problems.append("adds or changes rows but names no save_service")
    if allowed.delete and model_admin.delete_service is None:
        problems.append("deletes rows but names no delete_service")
    if allowed.inlines and model_admin.formset_service is None:
        problems.append("has writable inlines but names no formset_service")
    for name in ("save_model", "delete_model", "save_formset"):
        if overrides(model_admin, name):
            problems.append(f"overrides {name}")
    return problems


# --- forms -----------------------------------------------------------------------------------


def relation_fields(model_admin, request, obj=None) -> list[models.Field]:
    """The ForeignKey and ManyToMany fields the admin's form offers for writing."""
    form = model_admin.get_form(request, obj)
    fields = []
    for name in form.base_fields:
        try:
            field = model_admin.model._meta.get_field(name)
        except Exception:  # a form-only field (a reason, a password)
            continue
        if isinstance(field, models.ForeignKey | models.ManyToManyField):
            fields.append(field)
    return fields


def initial_post(model_admin, request, obj=None) -> dict:
    """The data the admin's change (or add) page would post unchanged: the form's initial
    values, and each inline's management form with its existing rows."""
    from django.forms.models import model_to_dict

    form_class = model_admin.get_form(request, obj)
    form = form_class(instance=obj) if obj is not None else form_class()
    data: dict = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if obj is not None and name in model_to_dict(obj):
            value = model_to_dict(obj)[name]
        if callable(value):
            value = value()
        if value is None:
            continue
        if isinstance(value, list | tuple | set):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    for formset, _inline in model_admin.get_formsets_with_inlines(request, obj):
        fs = formset(instance=obj) if obj is not None else formset()
        prefix = fs.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(fs.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(fs.initial_forms))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, inline_form in enumerate(fs.initial_forms):
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if value is None:
                    continue
                data[f"{prefix}-{i}-{name}"] = getattr(value, "pk", value)
    return data


def add_url(model_admin) -> str:
    meta = model_admin.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_add")


def change_url(model_admin, obj) -> str:
    meta = model_admin.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def changelist_url(model_admin) -> str:
    meta = model_admin.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


# --- actions and own URLs --------------------------------------------------------------------


def action_names(model_admin, request) -> list[str]:
    """The actions the changelist offers `request.user` (Django's delete_selected included)."""
    return sorted(model_admin.get_actions(request))


def action_post(name: str, pks) -> dict:
    return {"action": name, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], "index": 0}


def own_urls(model_admin) -> list:
    """The URL patterns an admin adds to Django's standard ones (get_urls extras)."""
    standard = {
        f"{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}_{suffix}"
        for suffix in ("changelist", "add", "history", "delete", "change")
    }
    return [
        pattern
        for pattern in model_admin.get_urls()
        if getattr(pattern, "name", None) not in standard
        and hasattr(pattern, "pattern")
        and "<path:object_id>/" != str(pattern.pattern)
    ]
