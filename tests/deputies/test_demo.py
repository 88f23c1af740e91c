"""The demo roster: deterministic, in Anyang's proportions, with realistic overlaps."""

import io
import random

import pytest
from django.db.models import Count

from anping.accounts.models import User
from anping.web import demo as web_demo
from deputies import demo
from deputies.models import Level, Mandate, Person

pytestmark = pytest.mark.django_db


def build(seed: int, deputies: int):
    ctx = web_demo.DemoContext(rng=random.Random(seed), stdout=io.StringIO(), deputies=deputies)
    web_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def roster():
    return sorted(
        Mandate.objects.values_list(
            "person__name",
            "person__id_number",
            "person__mobile",
            "level",
            "term__number",
            "region__code",
            "electoral_unit",
        )
    )


def wipe():
    Mandate.objects.all().delete()
    Person.objects.all().delete()
    User.objects.filter(role=User.Role.DEPUTY).delete()


def test_the_same_seed_builds_the_same_roster():
    build(7, 800)
    first = roster()
    wipe()
    build(7, 800)
    assert roster() == first
    wipe()
    build(8, 800)
    assert roster() != first


def test_levels_come_in_anyangs_proportions_and_some_persons_sit_at_two():
    ctx = build(20240923, 3000)
    mandates = dict(Mandate.objects.values_list("level").annotate(n=Count("id")))
    total = sum(mandates.values())
    assert total == pytest.approx(3000, abs=5)
    share = {level: mandates[level] / total for level in Level}
    assert share[Level.TOWNSHIP] == pytest.approx(0.68, abs=0.02)
    assert share[Level.COUNTY] == pytest.approx(0.264, abs=0.02)
    assert share[Level.CITY] == pytest.approx(0.048, abs=0.01)
    assert 0 < share[Level.NATIONAL] < share[Level.PROVINCIAL] < share[Level.CITY]

    # Persons and mandates differ: about one mandate in thirty is a second seat of someone.
    several = Mandate.objects.values("person").annotate(n=Count("id")).filter(n__gt=1).order_by()
    assert 50 <= several.count() <= 200
    assert Person.objects.count() == total - sum(r["n"] - 1 for r in several)
    # ... always in the same county, never twice in one term.
    for person in Person.objects.filter(pk__in=several.values("person")).prefetch_related(
        "mandates__region"
    )[:50]:
        counties = {m.region.path.strip("/").split("/")[3] for m in person.mandates.all()}
        assert len(counties) == 1
    assert not Mandate.objects.values("person", "term").annotate(n=Count("id")).filter(n__gt=1)

    # City deputies have portal accounts; the demo deputy is one of them.
    assert ctx.made["deputy_user"].deputy.mandates.filter(level=Level.CITY).exists()
    assert User.objects.filter(role=User.Role.DEPUTY).count() == mandates[Level.CITY]


def test_the_demo_has_an_import_history_scoped_by_region():
    from deputies.models import RosterImport

    ctx = build(3, 60)
    demo._import_history(ctx.made["city"])  # seeding again replaces the history
    assert RosterImport.objects.count() == 3
    linzhou = User.objects.get(username="linzhou")
    visible = RosterImport.objects.visible_to(linzhou)
    assert sorted(visible.values_list("outcome", flat=True)) == ["imported", "refused"]
    assert RosterImport.objects.visible_to(User.objects.get(username="city")).count() == 3


def test_every_congress_sits_in_2024_and_in_the_current_year_and_its_deputies_serve_in_both():
    import datetime as dt

    from django.utils import timezone

    from deputies.models import Session, Term

    build(11, 800)
    this_year = timezone.localdate().year
    assert this_year > 2024
    for year in (2024, this_year):
        sitting = set(
            Session.objects.filter(start_date__year=year).values_list("term_id", flat=True)
        )
        assert sitting == set(Term.objects.values_list("pk", flat=True)), year
    # The sessions of a term follow its start, one a year.
    for term in Term.objects.prefetch_related("sessions"):
        days = sorted(s.start_date for s in term.sessions.all())
        assert days[0] == term.start_date
        assert [d.year for d in days] == sorted({d.year for d in days})
    for day in (dt.date(2024, 6, 30), timezone.localdate()):
        serving = Mandate.objects.filter(start_date__lte=day, status=Mandate.Status.SERVING)
        assert serving.count() == Mandate.objects.count()
