"""The staff's daily digest of overdue items, assembled from sources each area registers.

An area registers a function `(user, day) -> list[DigestLine]` that counts, in the database and
within the user's scope, what is overdue in its field (suggestions past their deadline, progress
reports not filed ...). The digest task asks every source for every committee staff member and
puts one notification in each inbox per day, only when something is overdue.

    from anping.notifications import digest

    @digest.register("suggestions")
    def overdue_suggestions(user, day):
        n = Suggestion.objects.visible_to(user).overdue(day).count()
        return [digest.DigestLine(_("Suggestions past their deadline"), n, "/admin/...")]
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

KIND = "staff_digest"


@dataclass(frozen=True)
class DigestLine:
    label: str
    count: int
    url: str = ""


Source = Callable[[object, dt.date], list[DigestLine]]
_sources: dict[str, Source] = {}


def register(name: str) -> Callable[[Source], Source]:
    """Register (or replace, by name) a source of overdue items."""

    def decorator(fn: Source) -> Source:
        _sources[name] = fn
        return fn

    return decorator


def unregister(name: str) -> None:
    _sources.pop(name, None)


def registered() -> dict[str, Source]:
    return dict(_sources)


def collect(user, day: dt.date) -> list[DigestLine]:
    """Every source's overdue lines for this user, leaving out zero counts. A source that fails
    is logged and skipped: one broken area must not stop every other area's digest."""
    lines: list[DigestLine] = []
    for name, source in sorted(_sources.items()):
        try:
            found = source(user, day)
        except Exception:
            log.exception("digest source %s failed", name)
            continue
        lines.extend(line for line in found if line.count > 0)
    return lines


def send_staff_digests(day: dt.date | None = None) -> int:
    """Put today's digest in each committee staff member's inbox; returns how many were new.

    The notification is a reminder keyed on (digest, the staff member, the day), so a second run
    on the same day, or two runs at once, leave one digest per person."""
    from anping.accounts.models import User

    from .services import notify

    day = day or timezone.localdate()
    staff = (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=[User.Role.CITY_STAFF, User.Role.COUNTY_STAFF]))
        .filter(region__isnull=False)
        .select_related("region")
        .order_by("pk")
    )
    sent = 0
    for user in staff:
        lines = collect(user, day)
        if not lines:
            continue
        total = sum(line.count for line in lines)
        body = "\n".join(f"· {line.label}：{line.count}" for line in lines)
        first_url = next((line.url for line in lines if line.url), "")
        made = notify(
            recipient=user,
            kind=KIND,
            title=_("Overdue today: %(count)s items") % {"count": total},
            body=body,
            url=first_url,
            subject=user,
            day=day,
        )
        sent += made is not None
    return sent
