from django import template

from anping.accounts import access
from anping.accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def stations_panel(context) -> dict:
    """What the portal's start page shows of stations for the signed-in user: for a deputy, the
    activities and opinions of the year the record opens on (two counts) and whether they lead
    a group."""
    from deputies.models import Person

    from .. import selectors
    from ..models import Group, Opinion, Participation

    user = context.get("user")
    if access.role_of(user) != User.Role.DEPUTY:
        return {}
    person = Person.objects.filter(user=user).first()
    if person is None:
        return {}
    year = selectors.default_year()
    return {
        "year": year,
        "activities": Participation.objects.filter(person=person).in_year(year).count(),
        "opinions": Opinion.objects.filter(taken_by=person, received_on__year=year).count(),
        "leads_group": Group.objects.filter(leader=person, is_active=True).exists(),
    }
