"""The portal start page's livelihood panel: what the signed-in person has to do here."""

from django import template
from django.utils import timezone

from anping.accounts import access

from .. import selectors

register = template.Library()


@register.simple_tag
def livelihood_panel(user) -> dict:
    """A deputy: open ballots and ratings (and whether each is done). Unit staff: their
    projects and which report is due. Others: nothing."""
    role = access.role_of(user)
    if role == "deputy":
        return {"polls": selectors.deputy_polls(user)}
    if role == "unit_staff":
        return {"projects": selectors.unit_projects(user, timezone.localdate())}
    return {}
