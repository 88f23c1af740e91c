"""The legislation panel of the portal start page: a deputy's open consultations (one query)."""

from django import template
from django.utils import timezone

from anping.accounts import access

from ..models import Round

register = template.Library()


@register.simple_tag(takes_context=True)
def legislation_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not user or access.role_of(user) != "deputy":
        return None
    rounds = list(
        Round.objects.visible_to(user)
        .filter(status=Round.Status.OPEN, deadline__gte=timezone.now())
        .select_related("version__project")
        .order_by("deadline")[:5]
    )
    return {"rounds": rounds} if rounds else None
