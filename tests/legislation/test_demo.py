"""The demo: the fire-safety regulation's two versions, the deputies' round with the 65 law and
fire-safety deputies and 54 answered comments, and a public round; the report's 2024 figures
come from these records."""

import io
import random

import pytest

from anping.regions.models import Region
from anping.reports import figures
from anping.reports.periods import Period
from anping.web import demo as web_demo
from deputies import demo as deputies_demo
from legislation import demo
from legislation.models import Comment, Project, Round
from stations import demo as stations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_regulation_and_its_rounds():
    ctx = web_demo.DemoContext(rng=random.Random(20240923), stdout=io.StringIO(), deputies=4000)
    web_demo.seed(ctx)
    deputies_demo.seed(ctx)
    stations_demo.seed(ctx)
    demo.seed(ctx)
    project = Project.objects.get()
    v1, v2 = project.versions.order_by("number")
    assert v1.articles.count() == 32 and v2.articles.count() == 33
    assert {a.chapter for a in v1.articles.all()} == {""}
    deputies_round, public_round = Round.objects.order_by("deadline")
    assert deputies_round.invitations.count() == 65
    assert deputies_round.comments.count() == 54
    assert not deputies_round.comments.filter(outcome=Comment.Outcome.PENDING).exists()
    assert deputies_round.comments.filter(linked_article__version=v2).exists()
    assert deputies_round.is_closed and deputies_round.activity.participations.count() == 65
    assert public_round.is_public and public_round.comments.exists()
    city = Region.objects.get(code="410500")
    fig = figures.compute(Period.year(2024), figures.Scopes.single(city), areas=["legislation"])
    assert fig.get(city.path, "legislation", "deputies_invited") == 65
    assert fig.get(city.path, "legislation", "comments") == 54
    assert fig.get(city.path, "legislation", "rounds") == 1
    assert fig.get(city.path, "legislation", "drafts") == 1
