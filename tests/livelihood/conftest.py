import pytest

from livelihood import services
from livelihood.models import Poll

from .factories import make_poll, make_round


@pytest.fixture
def term(deputy_user):
    """The city's 15th term, in which `deputy_user` (张华) serves."""
    return deputy_user.deputy.mandates.get().term


@pytest.fixture
def vote_round(term, unit):
    return make_round(term=term, unit=unit, candidates=5)


@pytest.fixture
def poll(vote_round, city_staff) -> Poll:
    """A prepared vote: 5 candidates, 3 places, at most 3 marks, more than half of all deputies."""
    return make_poll(round_=vote_round, by=city_staff)


@pytest.fixture
def open_poll(poll, city_staff) -> Poll:
    return services.poll_open(poll=poll, by=city_staff)
