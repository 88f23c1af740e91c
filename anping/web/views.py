from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from anping.accounts import access


def home(request):
    """Send each person to where their work is: staff to the admin, everyone else to the portal."""
    if not request.user.is_authenticated:
        return redirect("login")
    if access.is_committee_staff(request.user):
        return redirect("admin:index")
    return redirect("portal")


@login_required
def portal(request):
    """The portal's start page. Each app contributes its own panel for the user's role
    (templates/<app>/_portal_home.html), so the apps never edit one shared template."""
    return render(request, "web/portal.html")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links: send them to the static icon."""
    return redirect(static("web/favicon.svg"), permanent=True)
