"""The suggestions panel of the portal start page: what awaits this user, in a few queries."""

from django import template

from anping.accounts import access

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def proposals_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    role = access.role_of(user) if user else ""
    if role == "deputy":
        person = selectors.person_of(user)
        return {
            "role": role,
            "mine": selectors.deputy_suggestions(user, person).count(),
            "feedback": list(selectors.awaiting_feedback(user, person)[:10]),
            "invitations": list(selectors.invitations(person)[:10]),
        }
    if role == "unit_staff":
        return {
            "role": role,
            "counts": selectors.unit_counts(user),
            "soon": list(selectors.unit_inbox(user, "open")[:5]),
        }
    if role == "evaluator":
        return {"role": role, "cases": list(selectors.evaluator_cases(user)[:10])}
    return None
