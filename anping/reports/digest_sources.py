"""What each area contributes to the staff's daily digest of overdue items.

Registered here, at the top of the import graph, so that the lower apps need not know the digest
exists; each count reads through the area's own `visible_to(user)`, so a county's staff count
their county's items only. An app that registers its own source under the same name replaces
the one here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from anping.notifications import digest
from livelihood.models import Project
from proposals.models import Commitment, Suggestion
from stations.models import Measure


def _url(name: str, query: str = "") -> str:
    return reverse(f"admin:{name}_changelist") + (f"?{query}" if query else "")


@digest.register("suggestions")
def overdue_suggestions(user, day: dt.date) -> list[digest.DigestLine]:
    open_late = Suggestion.objects.visible_to(user).filter(
        status__in=Suggestion.OPEN_STATUSES, due_date__lt=day
    )
    commitments = Commitment.objects.visible_to(user).filter(
        status=Commitment.Status.OPEN, due_date__lt=day
    )
    return [
        digest.DigestLine(
            _("Suggestions past their answer deadline"),
            open_late.count(),
            _url("proposals_suggestion"),
        ),
        digest.DigestLine(
            _("Commitments past their date"), commitments.count(), _url("proposals_commitment")
        ),
    ]


@digest.register("livelihood")
def overdue_projects(user, day: dt.date) -> list[digest.DigestLine]:
    late = Project.objects.visible_to(user).filter(completed_on__isnull=True, end_date__lt=day)
    return [
        digest.DigestLine(
            _("Livelihood projects past their planned completion"),
            late.count(),
            _url("livelihood_project"),
        )
    ]


@digest.register("campaign")
def overdue_measures(user, day: dt.date) -> list[digest.DigestLine]:
    late = Measure.objects.visible_to(user).filter(~Q(status=Measure.Status.DONE), deadline__lt=day)
    return [
        digest.DigestLine(
            _("Campaign measures past their deadline"), late.count(), _url("stations_measure")
        )
    ]
