from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Level


@login_required
def me(request):
    """A deputy's own record: personal data in full (it is theirs) and every mandate they hold.
    Anyone without a deputy record gets 404: there is nothing here for them."""
    person = selectors.own_person(request.user)
    if person is None:
        raise Http404
    mandates = sorted(person.mandates.all(), key=lambda m: list(Level).index(m.level))
    return render(request, "deputies/me.html", {"person": person, "mandates": mandates})
