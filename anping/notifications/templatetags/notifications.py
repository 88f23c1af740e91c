from django import template

from ..models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in user's unread count, for the shell (one COUNT, cached per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.visible_to(user).unread().count()
        request._unread_notifications = cached
    return cached


@register.simple_tag(takes_context=True)
def latest_unread_notifications(context, limit: int = 5) -> list:
    """The newest unread notifications of the signed-in user (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(
        Notification.objects.visible_to(user)
        .unread()
        .only("pk", "title", "url", "created_at")[:limit]
    )
