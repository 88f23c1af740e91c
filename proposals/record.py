"""The suggestions section of a deputy's duty record (履职档案), registered with stations."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import CoSigner, Feedback, Suggestion

SHOWN = (
    Suggestion.Status.SUBMITTED,
    Suggestion.Status.REGISTERED,
    Suggestion.Status.ASSIGNED,
    Suggestion.Status.SENT_BACK,
    Suggestion.Status.ANSWERED,
    Suggestion.Status.REHANDLING,
    Suggestion.Status.CLOSED,
    Suggestion.Status.MERGED,
    Suggestion.Status.DECLINED,
)


def provider(*, person, year: int) -> dict:
    """Suggestions the deputy led or co-signed in the year, with how they were answered and the
    deputy's own verdicts: three queries whatever the number."""
    mine = Suggestion.objects.filter(year=year, status__in=SHOWN).filter(
        Q(lead=person)
        | Q(
            pk__in=CoSigner.objects.filter(person=person, status=CoSigner.Status.CONFIRMED).values(
                "suggestion"
            )
        )
    )
    counts = mine.aggregate(
        led=Count("pk", filter=Q(lead=person)),
        cosigned=Count("pk", filter=~Q(lead=person)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    verdicts = dict(
        Feedback.objects.filter(deputy=person, suggestion__year=year)
        .values_list("verdict")
        .annotate(n=Count("pk"))
        .values_list("verdict", "n")
    )
    return {
        "total": counts["led"] + counts["cosigned"],
        **counts,
        "satisfied": verdicts.get(Feedback.Verdict.SATISFIED, 0),
        "basic": verdicts.get(Feedback.Verdict.BASIC, 0),
        "not_satisfied": verdicts.get(Feedback.Verdict.NOT_SATISFIED, 0),
        "items": list(
            mine.only("pk", "title", "number_label", "status", "lead_id").order_by(
                "submitted_at", "pk"
            )[:50]
        ),
        "person_id": person.pk,
    }
