"""Who may see and change what: the one place that answers it.

Every object type has a `visible_to(user)` queryset method (in its app's models) built on the
helpers here, and every view, admin page and export reads through it. Outsiders get 404, never
403, so the existence of an object they may not see is not revealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from .models import User


def role_of(user) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    return user.role


def is_committee_staff(user) -> bool:
    """City or county committee staff (and superusers): the staff who use the admin."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.is_committee_staff
    )


def is_city_staff(user) -> bool:
    from .models import User

    return is_committee_staff(user) and (user.is_superuser or user.role == User.Role.CITY_STAFF)


def staff_region_path(user) -> str | None:
    """The path prefix a staff user's scope covers; '' for everything (superuser), None for none."""
    if not is_committee_staff(user):
        return None
    if user.is_superuser and user.region_id is None:
        return ""
    return user.region.path if user.region_id else None


def region_q(user, field: str) -> Q:
    """A filter keeping rows whose region (through `field`, a path to a Region) lies in the staff
    user's scope. Nothing for anyone who is not committee staff."""
    path = staff_region_path(user)
    if path is None:
        return Q(pk__in=[])
    if path == "":
        return Q()
    return Q(**{f"{field}__path__startswith": path})


def manages_region(user, region) -> bool:
    """Does `region` lie in the staff user's scope (their region's subtree)? For writes that
    place a row in a region: reference data such as organisations is visible to everyone, but
    a county's staff may put rows only in their own county."""
    path = staff_region_path(user)
    if path is None or region is None:
        return False
    return region.path.startswith(path)


class ScopedQuerySet(models.QuerySet):
    """The one `visible_to(user)` of every object type: a subclass names the paths, the branches
    are written here once.

    - `region_path`: the path to a `Region` that decides committee staff's scope (their region's
      subtree; everything for a superuser without a region). None: staff see nothing.
    - `deputy_path`: the path to the `Person` whose account sees the row on the portal
      ("" when the row is the person itself). None: deputies see nothing.
    - `unit_path`: the path to the handling unit (`Organisation`) whose staff see the row.
    - `evaluator_path`: the path to the evaluator's `User`.
    - `via`: the path to a parent object; the row is visible exactly when its parent is (through
      the parent's own `visible_to`). Used for history rows, attachments and the like.
    - `owner_path`: the path to the `User` a row belongs to alone (a notification): visible to
      that account whatever its role, and to nobody else.

    A type with a special rule overrides one of `for_staff`, `for_deputy`, `for_unit`,
    `for_evaluator` (with a comment saying why), never `visible_to` itself.
    """

    region_path: str | None = None
    deputy_path: str | None = None
    unit_path: str | None = None
    evaluator_path: str | None = None
    via: str | None = None
    owner_path: str | None = None

    def visible_to(self, user):
        if self.owner_path is not None:
            if not getattr(user, "is_authenticated", False):
                return self.none()
            return self.filter(**{self.owner_path: user})
        if self.via is not None:
            parent = self.model._meta.get_field(self.via).related_model
            return self.filter(**{f"{self.via}__in": parent._default_manager.visible_to(user)})
        if is_committee_staff(user):
            return self.for_staff(user)
        from .models import User

        role = role_of(user)
        if role == User.Role.DEPUTY:
            return self.for_deputy(user)
        if role == User.Role.UNIT_STAFF:
            return self.for_unit(user) if user.organisation_id else self.none()
        if role == User.Role.EVALUATOR:
            return self.for_evaluator(user)
        return self.none()

    def for_staff(self, user):
        if self.region_path is None:
            return self.none()
        return self.filter(region_q(user, self.region_path))

    def for_deputy(self, user):
        if self.deputy_path is None:
            return self.none()
        field = f"{self.deputy_path}__user" if self.deputy_path else "user"
        return self.filter(**{field: user})

    def for_unit(self, user):
        if self.unit_path is None:
            return self.none()
        return self.filter(**{f"{self.unit_path}_id": user.organisation_id})

    def for_evaluator(self, user):
        if self.evaluator_path is None:
            return self.none()
        return self.filter(**{self.evaluator_path: user})


def in_scope(user, obj) -> bool:
    """May `user` see `obj` through its type's `visible_to`? For checking every foreign key a
    form, inline, import or action accepts against the writer's scope (in the service)."""
    if obj is None:
        return True
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def require_in_scope(user, *objs, message=None) -> None:
    """Refuse (DomainError, changing nothing) when any of `objs` lies outside `user`'s scope.
    The message names no one: it must not tell an outsider what exists elsewhere."""
    from django.utils.translation import gettext as _

    from anping.errors import NotAllowed

    for obj in objs:
        if not in_scope(user, obj):
            raise NotAllowed(message or _("This is outside your region."))


def may_see_personal_data(user) -> bool:
    """Mobile numbers and ID numbers: committee staff only (and the deputy's own record)."""
    return is_committee_staff(user)


def get_visible_or_404(queryset: QuerySet, user, **lookup):
    """Fetch one object through the type's `visible_to`; 404 for anything outside the scope."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def user_region_label(user: User) -> str:
    return user.region.name if user.region_id else ""
