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
    ) == {2022, 2023, 2024}
    assert Poll.objects.get(round__year=2027).status == Poll.Status.PREPARED
    assert Participation.objects.filter(poll=vote, person__user=ctx.made["deputy_user"]).exists()
