"""`make run`'s Anyang: the 2024 opinions went through the loop, so the year's "solved" comes
from units' replies and residents' confirmations; 2026 has residents' opinions in every state."""

import io
import random

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_year_is_counted_from_replies_and_confirmations():
    from anping.regions.models import Region
    from anping.reports import figures
    from anping.reports.periods import Period
    from anping.web import demo as web_demo
    from deputies import demo as deputies_demo
    from opinions import demo as opinions_demo
    from opinions.models import Case
    from stations import demo as stations_demo

    ctx = web_demo.DemoContext(rng=random.Random(20240923), stdout=io.StringIO(), deputies=9700)
    for module in (web_demo, deputies_demo, stations_demo, opinions_demo):
        module.seed(ctx)
    city = Region.objects.get(code="410500")
    fig = figures.compute(Period.year(2024), figures.Scopes.single(city))

    def get(code, area="opinions"):
        return fig.get(city.path, area, code)

    assert get("collected") >= 2000 and get("solved") >= 1600
    # "Solved" is confirmed or declared, never neither; most are the resident's word.
    assert get("solved_confirmed") + get("solved_declared") == get("solved")
    assert get("solved_confirmed") > get("solved") * 0.7
    assert get("not_confirmed") == get("solved_declared")
    assert get("forwarded") >= get("solved")
    assert get("answered_on_time") > get("solved") * 0.8
    assert get("in_wechat_groups", "deputies") > 100
    # Every solved 2024 opinion has the unit's reply behind it.
    solved = Case.objects.filter(opinion__received_on__year=2024, opinion__status="solved")
    assert solved.count() == get("solved")
    assert not solved.filter(answered_at__isnull=True).exists()
    # This year: residents' opinions in each state of the loop, the demo unit's inbox included.
    states = set(
        Case.objects.filter(opinion__received_on__year__gt=2024).values_list("status", flat=True)
    )
    assert {
        Case.Status.NEW,
        Case.Status.DISPATCHED,
        Case.Status.ANSWERED,
        Case.Status.SOLVED,
    } <= states
