from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anping.accounts.access import get_visible_or_404

from . import services
from .models import Notification

PAGE_SIZE = 30


@login_required
def inbox(request):
    """The user's notifications, newest first, unread marked; 30 a page.

    Queries: session, user, the unread count, the page count, the page's rows."""
    qs = Notification.objects.visible_to(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.unread()
    paginator = Paginator(qs.only("pk", "title", "body", "url", "created_at", "read_at"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # The shell's badge reads the same figure (see templatetags): one COUNT per request.
    unread_count = Notification.objects.visible_to(request.user).unread().count()
    request._unread_notifications = unread_count
    return render(
        request,
        "notifications/inbox.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "only_unread": only_unread,
            "unread_count": unread_count,
        },
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notification read, then follow its link (or go back to the inbox)."""
    notification = get_visible_or_404(Notification.objects, request.user, pk=pk)
    services.mark_read(notification=notification, user=request.user)
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("notifications:inbox")
