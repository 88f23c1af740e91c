from django import template
from django.utils.translation import gettext as _

from anping.accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def opinions_panel(context) -> dict:
    """The portal's tile of residents' opinions, with the badge of what waits for the user: a
    deputy's new ones, a unit's inbox, the staff's to dispatch (one count query)."""
    from ..models import Case

    user = context.get("user")
    role = access.role_of(user)
    staff = access.is_committee_staff(user)
    if not (staff or role in ("deputy", "unit_staff")):
        return {}
    qs = Case.objects.visible_to(user)
    if staff:
        waiting, label = qs.filter(status__in=Case.OPEN - {Case.Status.NEW}), _("To dispatch")
    elif role == "deputy":
        waiting, label = qs.filter(status__in=[Case.Status.NEW, Case.Status.REOPENED]), _("New")
    else:
        waiting, label = qs.filter(status=Case.Status.DISPATCHED), _("Inbox")
    return {
        "waiting": waiting.count(),
        "label": label,
        "show": "with_unit" if role == "unit_staff" else "open",
        "deputy": role == "deputy",
        "staff": staff,
    }
