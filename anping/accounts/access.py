"""Who may see and change what: the one place that answers it.

Every object type has a `visible_to(user)` queryset method (in its app's models) built on the
helpers here, and every view, admin page and export reads through it. Outsiders get 404, never
403, so the existence of an object they may not see is not revealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
