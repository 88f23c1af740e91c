"""The demo: three years of votes, 2024 in full, and a prepared vote for the demo deputy."""

import io
import random

import pytest

from anping.web import demo as web_demo
from deputies import demo as deputies_demo
from livelihood import demo
from livelihood.models import (
    Ballot,
    Participation,
    Poll,
    ProgressReport,
    Project,
    ResultLine,
    Supervision,
)
from stations import demo as stations_demo

pytestmark = pytest.mark.django_db


def test_demo_builds_anyangs_livelihood_years():
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 2, 10), tick=False):  # the demo's "today"
        ctx = web_demo.DemoContext(rng=random.Random(20240923), stdout=io.StringIO(), deputies=4000)
        web_demo.seed(ctx)
        deputies_demo.seed(ctx)
        stations_demo.seed(ctx)
        demo.seed(ctx)
    vote = Poll.objects.get(round__year=2024, kind=Poll.Kind.VOTE)
    assert vote.status == Poll.Status.PUBLISHED
    assert vote.round.candidates.count() == 15
    assert ResultLine.objects.filter(poll=vote, outcome="chosen").count() == 10
    assert vote.ballots_cast == Participation.objects.filter(poll=vote).count()
    assert vote.paper_cast == 6 and vote.paper_invalid == 1
    assert Ballot.objects.filter(poll=vote).count() == vote.ballots_cast - 6
    assert Project.objects.filter(round__year=2024).count() == 10
    assert ProgressReport.objects.filter(project__round__year=2024).count() > 50
    assert Supervision.objects.filter(project__round__year=2024).count() == 32
    rating = Poll.objects.get(round__year=2024, kind=Poll.Kind.RATING)
    assert rating.status == Poll.Status.PUBLISHED
    assert ResultLine.objects.filter(poll=rating).count() == 10
    assert set(
        Poll.objects.filter(kind="vote", status="published").values_list("round__year", flat=True)
    ) == {2022, 2023, 2024, 2026}
    assert Poll.objects.get(round__year=2027).status == Poll.Status.PREPARED
    assert Participation.objects.filter(poll=vote, person__user=ctx.made["deputy_user"]).exists()


def test_demo_covers_the_current_year_to_date_like_the_other_apps():
    import datetime as dt

    import time_machine

    from livelihood.models import Milestone

    today = dt.date(2026, 12, 2)
    with time_machine.travel(dt.datetime(2026, 12, 2, 10), tick=False):
        ctx = web_demo.DemoContext(rng=random.Random(20240923), stdout=io.StringIO(), deputies=4000)
        web_demo.seed(ctx)
        deputies_demo.seed(ctx)
        stations_demo.seed(ctx)
        demo.seed(ctx)
    vote = Poll.objects.get(round__year=2026, kind=Poll.Kind.VOTE)
    assert vote.opened_at.year == 2026 and vote.opened_at.month <= 3  # in the early session
    projects = Project.objects.filter(round__year=2026)
    assert projects.count() == 10
    assert not ProgressReport.objects.filter(
        project__round__year=2026, reported_on__gt=today
    ).exists()
    assert ProgressReport.objects.filter(project__round__year=2026, reported_on__month=11).exists()
    assert not Milestone.objects.filter(project__round__year=2026, done_on__gt=today).exists()
    # The year is not over: no rating yet; 2024's rating was in December.
    assert not Poll.objects.filter(round__year=2026, kind=Poll.Kind.RATING).exists()
    assert Poll.objects.get(round__year=2024, kind=Poll.Kind.RATING).opened_at.month == 12
