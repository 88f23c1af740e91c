"""The suggestions panel of the portal start page: what awaits this user, in a few queries."""

from django import template

from anping.accounts import access
from anping.accounts.models import User

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def proposals_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    role = access.role_of(user) if user else ""
    if role == User.Role.DEPUTY:
        person = selectors.person_of(user)
        return {
            "role": role,
            "deputy": True,
            "mine": selectors.deputy_suggestions(user, person).count(),
            "feedback": list(selectors.awaiting_feedback(user, person)[:10]),
            "invitations": list(selectors.invitations(person)[:10]),
        }
    if role == User.Role.UNIT_STAFF:
        return {
            "role": role,
            "unit": True,
            "counts": selectors.unit_counts(user),
            "soon": list(selectors.unit_inbox(user, "open")[:5]),
        }
    if role == User.Role.EVALUATOR:
        return {
            "role": role,
            "evaluator": True,
            "cases": list(selectors.evaluator_cases(user)[:10]),
        }
    return None


@register.simple_tag(takes_context=True)
def proposals_roles(context):
    """Which portal role the signed-in user has, as flags for the templates (so that no template
    compares a role with a literal)."""
    request = context.get("request")
    role = access.role_of(getattr(request, "user", None)) if request else ""
    return {
        "deputy": role == User.Role.DEPUTY,
        "unit": role == User.Role.UNIT_STAFF,
        "evaluator": role == User.Role.EVALUATOR,
    }
