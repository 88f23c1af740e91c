"""Writes to organisations (committees and handling units): staff place them only in their own
region. Everyone signed in may see every organisation (`OrganisationQuerySet`), so the check
here is on the region the row is written to, before and after the change."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from anping.accounts import access
from anping.errors import DomainError, NotAllowed

from .models import Organisation


def may_manage(*, organisation: Organisation, by) -> bool:
    """May `by` change or remove this organisation? Committee staff, for the organisations of
    their region's subtree (a county's staff never the city's or another county's units)."""
    if not access.is_committee_staff(by) or not organisation.region_id:
        return False
    return access.manages_region(by, organisation.region)


def organisation_save(*, organisation: Organisation, by) -> Organisation:
    """Create or change an organisation. Its region, and for a change the region it had, must
    lie in the writer's scope: a county's staff cannot make a unit for the city or for another
    county, nor move one of theirs out."""
    if not may_manage(organisation=organisation, by=by):
        raise NotAllowed(_("You can only place organisations in the region you manage."))
    with transaction.atomic():
        if organisation.pk is not None:
            before = (
                Organisation.objects.select_for_update()
                .select_related("region")
                .filter(pk=organisation.pk)
                .first()
            )
            if before is None or not may_manage(organisation=before, by=by):
                raise NotAllowed(_("This is outside your region."))
        organisation.full_clean()
        organisation.save()
    return organisation


def organisation_delete(*, organisation: Organisation, by) -> None:
    """Remove an organisation no record points to (else deactivate it)."""
    if not may_manage(organisation=organisation, by=by):
        raise NotAllowed(_("This is outside your region."))
    try:
        with transaction.atomic():
            organisation.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("Records still refer to this organisation: mark it inactive instead.")
        ) from exc
