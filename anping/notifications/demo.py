"""Demo inbox: the staff's digest of today's overdue items, and a welcome for the portal roles."""

from __future__ import annotations

from anping.accounts.models import User

from . import digest
from .services import notify


def seed(ctx) -> None:
    for username, title, url in [
        ("deputy", "欢迎使用安平代表履职服务平台", "/portal/"),
        ("unit", "欢迎使用安平代表履职服务平台：请及时办理交办的建议", "/portal/"),
        ("evaluator", "欢迎使用安平代表履职服务平台", "/portal/"),
    ]:
        user = User.objects.filter(username=username).first()
        if user is not None:
            notify(recipient=user, kind="welcome", title=title, url=url)
    sent = digest.send_staff_digests()
    ctx.say(f"  notifications: welcome messages and {sent} staff digests")
