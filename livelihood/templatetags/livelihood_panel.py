"""The portal start page's livelihood panel: what the signed-in person has to do here."""

from django import template
from django.utils import timezone

from anping.accounts import access
from anping.accounts.models import User

from .. import selectors

register = template.Library()


@register.simple_tag
def livelihood_panel(user) -> dict:
    """A deputy: open ballots and ratings (and whether each is done). Unit staff: their
    projects and which report is due. Others: nothing. `for_deputy` / `for_unit` tell the
    template which panel to show (no role compared to a string there)."""
    role = access.role_of(user)
    if role == User.Role.DEPUTY:
        return {"for_deputy": True, "polls": selectors.deputy_polls(user)}
    if role == User.Role.UNIT_STAFF:
        return {"for_unit": True, "projects": selectors.unit_projects(user, timezone.localdate())}
    return {}
