"""Ballots arriving at once, against PostgreSQL with real threads and committed data: the
database, not luck, keeps one ballot per deputy and a close that loses none and takes none after."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anping.errors import DomainError
from livelihood import services
from livelihood.models import Ballot, Mark, Participation, Poll, ResultLine

from .factories import make_poll, make_round, many_deputies

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(term, unit, wenfeng, city_staff):
    """An open vote with 100 more serving deputies: 5 candidates, 3 places."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    round_ = make_round(term=term, unit=unit, candidates=5)
    poll = make_poll(round_=round_, by=city_staff)
    voters = many_deputies(term, wenfeng, 100)
    poll = services.poll_open(poll=poll, by=city_staff)
    poll = Poll.objects.select_related("round").get(pk=poll.pk)
    return poll, voters, list(round_.candidates.order_by("number"))


def in_thread(fn):
    """Run fn in a worker thread with its own connection, closed afterwards."""

    def run(*args):
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return run


def test_100_parallel_votes_are_all_counted_exactly(hall, city_staff):
    poll, voters, (a, b, c, d, e) = hall

    # Voter i marks a always, b when i is even, c when i % 3 == 0.
    def plan(i):
        return [a] + ([b] if i % 2 == 0 else []) + ([c] if i % 3 == 0 else [])

    barrier = threading.Barrier(20)

    @in_thread
    def vote(i):
        if i < 20:
            barrier.wait()
        return services.ballot_cast(
            poll=poll, person=voters[i], marks=[(x.pk, "") for x in plan(i)]
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(vote, range(100)))
    assert len(set(codes)) == 100
    closed = services.poll_close(poll=poll, by=city_staff)
    assert closed.ballots_cast == 100
    assert Participation.objects.filter(poll=poll).count() == 100
    assert Ballot.objects.filter(poll=poll).count() == 100
    votes = dict(ResultLine.objects.filter(poll=poll).values_list("candidate_id", "votes"))
    assert votes == {a.pk: 100, b.pk: 50, c.pk: 34, d.pk: 0, e.pk: 0}
    # Every receipt still checks after the ballots were rewritten in a new order.
    assert all(services.receipt_check(poll=poll, code=code) for code in codes[:10])


def test_double_submissions_racing_leave_exactly_one_ballot_each(hall):
    poll, voters, (a, b, *_rest) = hall
    racers = voters[:20]
    barrier = threading.Barrier(40)

    @in_thread
    def vote(job):
        person, candidate = job
        barrier.wait()
        try:
            services.ballot_cast(poll=poll, person=person, marks=[(candidate.pk, "")])
            return "ok"
        except DomainError as exc:
            return exc.message

    jobs = [(p, a) for p in racers] + [(p, b) for p in racers]
    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(vote, jobs))
    assert outcomes.count("ok") == 20
    assert outcomes.count("您已在本次表决中投票。每位代表只能投一票。") == 20
    assert Participation.objects.filter(poll=poll).count() == 20
    assert Ballot.objects.filter(poll=poll).count() == 20
    assert Mark.objects.filter(ballot__poll=poll).count() == 20


def test_close_racing_votes_loses_none_and_accepts_none_after(hall, city_staff):
    poll, voters, (a, *_rest) = hall
    barrier = threading.Barrier(31)

    @in_thread
    def vote(person):
        barrier.wait()
        try:
            return services.ballot_cast(poll=poll, person=person, marks=[(a.pk, "")])
        except DomainError as exc:
            return DomainError(exc.message)

    @in_thread
    def close():
        barrier.wait()
        return services.poll_close(poll=poll, by=city_staff)

    with ThreadPoolExecutor(max_workers=31) as pool:
        futures = [pool.submit(vote, p) for p in voters[:30]]
        closing = pool.submit(close)
        results = [f.result() for f in futures]
        closed = closing.result()
    accepted = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(accepted) + len(refused) == 30
    assert all(r.message == "投票未开放：选票未被接受。" for r in refused)
    # Everything accepted is in the count; nothing else is stored.
    assert closed.ballots_cast == len(accepted)
    assert Ballot.objects.filter(poll=poll).count() == len(accepted)
    assert Participation.objects.filter(poll=poll).count() == len(accepted)
    assert ResultLine.objects.get(poll=poll, candidate=a).votes == len(accepted)
    # And after the close, one more deputy is refused.
    with pytest.raises(DomainError):
        services.ballot_cast(poll=poll, person=voters[99], marks=[(a.pk, "")])
    assert Ballot.objects.filter(poll=poll).count() == len(accepted)
