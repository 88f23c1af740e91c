"""Two people at once, on PostgreSQL with real transactions: numbers without gap or double, and a
step taken twice at the same moment happens once."""

import threading

import pytest
from django.db import connection, connections

from anping.errors import DomainError
from proposals import services
from proposals.models import Suggestion, Transition

from . import factories as f

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def _at_once(calls):
    """Run the calls in threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_staff_registering_at_once_get_consecutive_numbers(
    transactional_db, deputy_user, city_staff, anyang
):
    from tests.conftest import make_user

    second = make_user("city2", "city_staff", region=anyang)
    suggestions = [f.submitted(deputy_user, title=f"关于第{i}件事的建议") for i in range(8)]

    def register_all(user, items):
        return lambda: [services.suggestion_register(suggestion=s, by=user) for s in items]

    results = _at_once(
        [
            register_all(city_staff, suggestions[0::4]),
            register_all(second, suggestions[1::4]),
            register_all(city_staff, suggestions[2::4]),
            register_all(second, suggestions[3::4]),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)]
    numbers = sorted(Suggestion.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    labels = set(Suggestion.objects.values_list("number_label", flat=True))
    assert len(labels) == 8


def test_double_submission_happens_once(transactional_db, deputy_user):
    s = f.draft(deputy_user)
    results = _at_once([lambda: services.suggestion_submit(suggestion=s, by=deputy_user)] * 2)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1
    assert Transition.objects.filter(suggestion=s, action=Transition.Action.SUBMIT).count() == 1
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.SUBMITTED


def test_double_registration_of_one_suggestion_uses_one_number(
    transactional_db, deputy_user, city_staff
):
    s = f.submitted(deputy_user)
    results = _at_once([lambda: services.suggestion_register(suggestion=s, by=city_staff)] * 2)
    assert sum(isinstance(r, DomainError) for r in results) == 1
    s.refresh_from_db()
    assert s.number == 1
    nxt = f.submitted(deputy_user, title="第二件")
    assert services.suggestion_register(suggestion=nxt, by=city_staff).number == 2
