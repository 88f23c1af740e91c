"""Writes to the region tree: reference data kept by city staff (and superusers)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed

from .models import Region


def may_edit_regions(user) -> bool:
    """The tree is the city's: its staff add and correct regions; a county's staff do not."""
    return access.is_city_staff(user)


def region_save(*, region: Region, by) -> Region:
    """Add or correct a region inside the writer's scope. A region that has regions below it
    keeps its code and parent: their paths are built from it."""
    if not may_edit_regions(by):
        raise NotAllowed(_("Only city staff change the region tree."))
    parent = region.parent if region.parent_id else None
    if parent is None and not by.is_superuser:
        raise NotAllowed(_("You can only place regions inside the region you manage."))
    if parent is not None and not access.manages_region(by, parent):
        raise NotAllowed(_("You can only place regions inside the region you manage."))
    with transaction.atomic():
        if region.pk is not None:
            before = Region.objects.select_for_update().filter(pk=region.pk).first()
            if before is None or not access.manages_region(by, before):
                raise NotAllowed(_("This is outside your region."))
            if parent is not None and parent.path.startswith(before.path):
                raise DomainError(_("A region cannot lie below itself."))
            moved = before.code != region.code or before.parent_id != region.parent_id
            if moved and Region.objects.filter(parent_id=region.pk).exists():
                raise DomainError(
                    _("Regions lie below this one: its code and parent cannot change.")
                )
        region.save()
    return region


def region_delete(*, region: Region, by) -> None:
    if not may_edit_regions(by) or not access.manages_region(by, region):
        raise NotAllowed(_("This is outside your region."))
    try:
        with transaction.atomic():
            region.delete()
    except ProtectedError as exc:
        raise DomainError(_("Records still refer to this region: it cannot be removed.")) from exc
