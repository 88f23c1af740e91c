"""The hall: 1,000 deputies open their ballot (through the one-time link on their slip) and vote,
each submitting twice, against gunicorn on loopback and PostgreSQL. The floor, in the same run
and through the same server, is a view that does one bare insert and nothing else.

It must end with exactly 1,000 ballots and no server error; it prints p50/p95/p99 latency and
ballots per second next to the floor's.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

DEPUTIES = 1_000
CANDIDATES = 15
PLACES = 10
CLIENTS = 24  # phones submitting at the same moment
DEADLINE_S = 180  # the whole load, bounded
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup():
    """A congress with 1,000 serving deputies, 15 candidates for 10 places, the vote open and a
    one-time link for every deputy; and a separate poll the floor view writes into."""
    import datetime as dt

    from anping.accounts.models import User
    from anping.orgs.models import Organisation
    from anping.regions.anyang import load_anyang
    from deputies.models import Congress, Mandate, Person, Term
    from livelihood import services
    from livelihood.models import Candidate, Poll, Round

    city = load_anyang()
    staff, _ = User.objects.get_or_create(
        username="bench-lh-city",
        defaults={"role": User.Role.CITY_STAFF, "region": city, "is_staff": True},
    )
    unit, _ = Organisation.objects.get_or_create(
        name="安阳市住房和城乡建设局", region=city, defaults={"kind": "unit"}
    )
    congress, _ = Congress.objects.get_or_create(level="city", region=city)
    # A term of its own (number 16), so that other benchmarks' rosters are not its electorate.
    term, _ = Term.objects.get_or_create(
        congress=congress, number=16, defaults={"start_date": dt.date(2027, 1, 8)}
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"会场代表{i:04d}",
            gender=Person.Gender.FEMALE if i % 3 else Person.Gender.MALE,
            birth_date=dt.date(1975, 1, 1),
            mobile=f"186{i:08d}",
        )
        for i in range(DEPUTIES)
    )
    Mandate.objects.bulk_create(
        Mandate(person=p, term=term, level="city", region=city) for p in people
    )
    rounds = []
    for year in (2027, 2099):
        round_ = Round.objects.create(
            term=term,
            year=year,
            title=f"{year}年安阳市民生实事项目",
            collection_start=dt.date(year - 1, 10, 1),
            collection_end=dt.date(year - 1, 11, 30),
        )
        Candidate.objects.bulk_create(
            Candidate(
                round=round_,
                number=i + 1,
                title=f"候选项目{i + 1}",
                description="说明",
                unit=unit,
                target="年底前完成",
                funds=100,
                timeline="全年",
            )
            for i in range(CANDIDATES)
        )
        rounds.append(round_)
    poll = services.poll_save_settings(
        poll=Poll(round=rounds[0], places=PLACES, max_marks=PLACES), by=staff
    )
    poll = services.poll_open(poll=poll, by=staff)
    floor_poll = services.poll_save_settings(
        poll=Poll(round=rounds[1], places=PLACES, max_marks=PLACES), by=staff
    )
    links = services.passes_issue(poll=poll, by=staff, persons=people)
    candidate_ids = list(rounds[0].candidates.values_list("pk", flat=True))
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as a deployment's autovacuum keeps
        cursor.execute("ANALYZE")
    return staff, poll, floor_poll, [token for _p, token in links], candidate_ids


class Server:
    """gunicorn serving the portal on a free loopback port (our own process, ended by its id)."""

    def __init__(self):
        self.port = _free_port()
        env = {
            **os.environ,
            # The bench's settings mount the floor view (tests/bench/urls.py).
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "anping.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "4",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/livelihood/receipt/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Load:
    """Requests from a pool of client threads, each keeping its own connection alive."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.status: dict[str, dict[int, int]] = {}
        self.deadline = time.time() + DEADLINE_S

    def request(self, name: str, method: str, path: str, body: dict | None = None) -> int:
        if time.time() > self.deadline:
            return -1
        data = urlencode(body or {}, doseq=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        for attempt in range(2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=30
                )
            start = time.perf_counter()
            try:
                conn.request(method, path, body=data if body is not None else None, headers=headers)
                response = conn.getresponse()
                response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise
                continue  # a kept-alive connection the server closed: once more, fresh
            elapsed = time.perf_counter() - start
            with self.lock:
                self.latency.setdefault(name, []).append(elapsed)
                bucket = self.status.setdefault(name, {})
                bucket[response.status] = bucket.get(response.status, 0) + 1
            return response.status
        return -1

    def run(self, jobs, fn) -> float:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(fn, jobs))
        return time.perf_counter() - start

    def pct(self, name: str, q: float) -> float:
        values = sorted(self.latency.get(name, [0.0]))
        return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]

    def errors(self) -> int:
        return sum(n for b in self.status.values() for s, n in b.items() if s >= 500 or s < 0)


def run(table) -> None:
    from livelihood import services
    from livelihood.models import Ballot, Participation

    staff, poll, floor_poll, tokens, candidate_ids = _setup()
    rng = random.Random(2024)
    ballots = {t: rng.sample(candidate_ids, rng.randint(1, PLACES)) for t in tokens}
    server = Server()
    try:
        load = Load(server.port)

        # The floor: one bare insert per request, through the same server and middleware.
        def floor(_i):
            load.request("floor", "POST", f"/livelihood/bench-floor/{floor_poll.pk}/", {})

        floor_s = load.run(range(DEPUTIES), floor)

        # The hall: each deputy opens the ballot, submits, then submits again.
        def deputy(token):
            path = f"/livelihood/b/{token}/"
            load.request("open", "GET", path)
            marks = {"candidate": ballots[token], "confirm": "1"}
            load.request("submit", "POST", path, marks)
            load.request("again", "POST", path, marks)

        hall_s = load.run(tokens, deputy)
    finally:
        server.stop()

    stored = Ballot.objects.filter(poll=poll).count()
    voted = Participation.objects.filter(poll=poll).count()
    closed = services.poll_close(poll=poll, by=staff)
    accepted = load.status.get("submit", {}).get(200, 0)
    refused = load.status.get("again", {}).get(409, 0)
    errors = load.errors()
    ok = stored == DEPUTIES == voted == closed.ballots_cast and errors == 0

    table.add(
        "hall: ballots stored (1,000 deputies × 2 submissions)",
        stored,
        unit="",
        target="= 1,000",
        ok=stored == DEPUTIES and closed.ballots_cast == voted == DEPUTIES,
        note=f"accepted {accepted}, second refused {refused}, count on close {closed.ballots_cast}",
    )
    table.add(
        "hall: server errors (5xx or no answer)", errors, unit="", target="= 0", ok=errors == 0
    )
    table.add(
        "hall: 1,000 deputies open, vote and resubmit",
        hall_s,
        target="≤ 60 s",
        ok=hall_s <= 60,
        note=f"{CLIENTS} phones at once, gunicorn 4×4 gthread",
    )
    for q in (50, 95, 99):
        table.ratio(
            f"hall: ballot submit p{q} (vs bare insert)",
            load.pct("submit", q),
            load.pct("floor", q),
            within=10,
        )
    table.ratio(
        "hall: ballot page open p95 (vs bare insert)",
        load.pct("open", 95),
        load.pct("floor", 95),
        within=10,
    )
    submit_rate = accepted / sum(load.latency.get("submit", [1])) * CLIENTS if accepted else 0
    floor_rate = DEPUTIES / floor_s
    ballots_per_s = DEPUTIES / hall_s
    table.add(
        "hall: ballots per second (whole journey)",
        ballots_per_s,
        floor_rate,
        unit="/s",
        target="≥ 17/s",
        ok=ballots_per_s >= DEPUTIES / 60,
        note="baseline: bare inserts per second",
    )
    table.add("hall: submits per second (submit alone, est.)", submit_rate, floor_rate, unit="/s")
    if not ok:
        print(f"  ! hall check failed: stored={stored} voted={voted} errors={errors}", flush=True)
    _ = statistics  # medians are read from the sorted latencies above
