"""The benchmark's hand-written SQL counts what the rollup counts (so `make bench` compares like
with like), here on the small world of these tests."""

import datetime as dt
from collections import defaultdict

import pytest
import time_machine

from anping.reports import figures
from anping.reports.periods import Period
from tests.bench import bench_reports

from .conftest import SH

pytestmark = pytest.mark.django_db


def test_the_hand_sql_counts_the_same_suggestions_as_the_rollup(full_world):
    from proposals.models import Assignment, Suggestion

    s = full_world.suggestions["overdue"]
    Assignment.objects.create(
        suggestion=s,
        unit=full_world.unit,
        role=Assignment.Role.LEAD,
        status=Assignment.Status.DONE,
        start_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 3, 15),
        due_basis="交办日起",
        done_at=dt.datetime(2026, 4, 10, 10, tzinfo=SH),
    )
    Suggestion.objects.filter(pk=s.pk).update(
        status=Suggestion.Status.ANSWERED, answered_at=s.assigned_at.replace(month=4), due_date=None
    )
    period = Period.month(dt.date(2026, 3, 1))
    scopes = figures.Scopes.load()
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=SH), tick=False):
        ours = figures.compute(period, scopes, ["suggestions"])
        hand = bench_reports.hand_sql(full_world.city, scopes, period)
    names = ["filed", "registered", "answered", "on_time", "overdue", "key"]
    totals = defaultdict(int)
    for length in scopes.lengths():
        for row in hand[("suggestions", length)]:
            for i, name in enumerate(names):
                totals[(row[0], name)] += row[2 + i]
    for scope in scopes.by_path:
        for name in names:
            assert totals[(scope, name)] == ours.get(scope, "suggestions", name), (scope, name)
    assert ours.get(full_world.city.path, "suggestions", "overdue") == 1
