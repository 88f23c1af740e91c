"""The suggestions demo: 2024 complete (the January session and the year's recess suggestions,
each handled to the end) and the current year to date in every state."""

import io
import random

import pytest
from django.utils import timezone

from anping.web import demo as web_demo
from deputies import demo as deputies_demo
from proposals import demo
from proposals.models import Assignment, Feedback, Reply, Suggestion, Transition

pytestmark = pytest.mark.django_db

S = Suggestion.Status


def test_demo_covers_2024_complete_and_this_year_to_date():
    ctx = web_demo.DemoContext(rng=random.Random(20240923), stdout=io.StringIO(), deputies=1500)
    web_demo.seed(ctx)
    deputies_demo.seed(ctx)
    demo.seed(ctx)
    y2024 = Suggestion.objects.filter(year=2024)
    assert y2024.filter(period="session").count() > 40
    assert y2024.filter(period="recess").exists()
    assert y2024.filter(session__start_date__year=2024).exists()
    # Every 2024 suggestion was handled to the end: not registered (with a reason), or closed
    # after a reply and the deputy's own feedback; none is open or awaiting anything.
    assert set(y2024.values_list("status", flat=True)) <= {S.CLOSED, S.DECLINED}
    closed = y2024.filter(status=S.CLOSED)
    assert closed.count() > 0.9 * y2024.count()
    assert not closed.exclude(pk__in=Reply.objects.values("suggestion")).exists()
    assert not closed.exclude(pk__in=Feedback.objects.values("suggestion")).exists()
    assert not Assignment.objects.filter(suggestion__year=2024, status="open").exists()
    assert y2024.filter(round=2, status=S.CLOSED).exists()  # handled again, answered again
    assert y2024.filter(is_key=True).exists()
    # This year to date, in every state; and suggestions registered last month, so the
    # monthly report of a first look is not empty.
    today = timezone.localdate()
    this_year = Suggestion.objects.filter(year=today.year)
    states = set(this_year.values_list("status", flat=True))
    assert {S.ASSIGNED, S.ANSWERED, S.CLOSED, S.REHANDLING} <= states
    last_month = (today.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    assert Suggestion.objects.filter(
        registered_at__date__gte=last_month, registered_at__date__lt=today.replace(day=1)
    ).exists()
    assert not Suggestion.objects.filter(submitted_at__date__gt=today).exists()
    # Every step has its history row.
    assert not Suggestion.objects.exclude(pk__in=Transition.objects.values("suggestion")).exists()
