"""A handling unit's inbox of residents' opinions at 100,000 cases, against a hand-written SQL
query of the same page in the same run (target: within 1.5×).

The data is made in the database (INSERT … SELECT generate_series): 100,000 opinions in Anyang's
townships, each with its case, spread over 40 units (half of all cases waiting for an answer,
half answered); the measured unit has 2,500 cases, all of them waiting. The inbox is what `/opinions/?show=with_unit` runs: the page's
COUNT and its first 30 rows (soonest due first) with the opinion, its region and county, the
deputy and the unit joined.

Then 200 residents submit at once through gunicorn on loopback (bounded: a pool of CLIENTS
client threads, each resident with its own connection and cookies): each opens the deputy's
card page, posts an opinion, reads the SMS code and types it. The code is read from the SMS
backend the server runs with (`FileBackend`, a file this process reads as a resident reads
their phone; no test-only path). All residents come from 127.0.0.1, so the per-address limit
is raised for the server (the per-number limit is kept: each resident has their own number).
The baseline is a bare page of the same server (`tests/bench/urls.py`, no database).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.anyang import load_anyang
from anping.regions.models import Region
from deputies.models import Person
from opinions.models import Case

from .run import count_queries, once

CASES = 100_000
UNITS = 40


def _build() -> User:
    city = load_anyang()
    units = Organisation.objects.bulk_create(
        [
            Organisation(name=f"单位{i}", kind=Organisation.Kind.HANDLING_UNIT, region=city)
            for i in range(UNITS)
        ]
    )
    person = Person.objects.create(name="代表", gender="M", birth_date=dt.date(1970, 1, 1))
    townships = list(Region.objects.filter(kind=Region.Kind.TOWNSHIP).values_list("pk", flat=True))
    first_unit = units[0].pk
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO stations_opinion (channel, topic, summary, details, constituent,
                region_id, taken_by_id, received_on, status, forwarded_to_id, outcome_note,
                created_at)
            SELECT 'online', 'urban', '意见' || g, '', '',
                (%(townships)s::int[])[1 + g %% %(nt)s], %(person)s,
                date '2024-01-01' + (g %% 600), 'forwarded', %(unit0)s + g %% %(units)s, '',
                now()
            FROM generate_series(1, %(n)s) g
            """,
            {
                "townships": townships,
                "nt": len(townships),
                "person": person.pk,
                "unit0": first_unit,
                "units": UNITS,
                "n": CASES,
            },
        )
        cur.execute(
            """
            INSERT INTO opinions_case (opinion_id, code, phone, status, unit_id, dispatched_at,
                due, due_explained, answer, outcome, reopened, satisfaction, by_call, created_at)
            SELECT o.id, 'B' || lpad(o.id::text, 9, '0'), '',
                CASE WHEN o.id %% 2 = 0 THEN 'dispatched' ELSE 'answered' END,
                o.forwarded_to_id, now(), o.received_on + 21, '', '', '', false, '', false, now()
            FROM stations_opinion o
            """,
            {},
        )
        cur.execute("ANALYZE stations_opinion; ANALYZE opinions_case")
    return User.objects.create(
        username="bench-unit", role=User.Role.UNIT_STAFF, organisation_id=first_unit
    )


def _inbox(user):
    qs = (
        Case.objects.visible_to(user)
        .filter(status=Case.Status.DISPATCHED)
        .with_lists()
        .order_by("due", "pk")
    )
    return qs.count(), list(qs[:30])


INBOX_SQL = [
    "SELECT count(*) FROM opinions_case WHERE unit_id = %(unit)s AND status = 'dispatched'",
    """
    SELECT c.*, o.*, r.*, p.*, rp.*, u.*
    FROM opinions_case c
    JOIN stations_opinion o ON o.id = c.opinion_id
    JOIN regions_region r ON r.id = o.region_id
    LEFT JOIN regions_region rp ON rp.id = r.parent_id
    JOIN deputies_person p ON p.id = o.taken_by_id
    LEFT JOIN orgs_organisation u ON u.id = c.unit_id
    WHERE c.unit_id = %(unit)s AND c.status = 'dispatched'
    ORDER BY c.due, c.id
    LIMIT 30
    """,
]


def _sql(unit: int):
    out = []
    with connection.cursor() as cur:
        for sql in INBOX_SQL:
            cur.execute(sql, {"unit": unit})
            out.append(cur.fetchall())
    return out


def run(table) -> None:
    print(f"  building {CASES:,} opinions with their cases over {UNITS} units ...")
    user = _build()
    count, rows = _inbox(user)
    hand = _sql(user.organisation_id)
    assert count == hand[0][0][0] and len(rows) == len(hand[1]) == 30
    print(f"  the unit's inbox: {count:,} waiting")
    for _ in range(5):
        _inbox(user)
        _sql(user.organisation_id)
    a, b = [], []
    for _ in range(9):
        a.append(once(lambda: _inbox(user)))
        b.append(once(lambda: _sql(user.organisation_id)))
    table.ratio(
        f"unit inbox at {CASES:,} opinions (ORM vs hand SQL)",
        statistics.median(a),
        statistics.median(b),
        within=1.5,
        note=f"{count_queries(lambda: _inbox(user))} queries",
    )
    _residents(table)


# --- 200 residents submitting at once ---------------------------------------------------------

RESIDENTS = 200
CLIENTS = 32  # residents' phones talking to the server at the same moment (the bound)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _resident_card():
    """A serving deputy elected in 文峰区 with a card: residents choose one of its townships."""
    from deputies.models import Congress, Mandate, Term
    from opinions.models import Card

    city = load_anyang()
    county = Region.objects.get(code="410502")
    congress, _c = Congress.objects.get_or_create(level="city", region=city)
    term, _t = Term.objects.get_or_create(
        congress=congress, number=16, defaults={"start_date": dt.date(2022, 1, 8)}
    )
    person = Person.objects.create(name="扫码代表", gender="F", birth_date=dt.date(1975, 1, 1))
    Mandate.objects.create(person=person, term=term, level="city", region=county)
    card = Card.objects.create(person=person, token="BENCHCARD001")
    township = county.children.filter(kind=Region.Kind.TOWNSHIP).order_by("path").first()
    return card, person, township


class Phone:
    """One resident's browser: its own kept-alive connection and cookie jar."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def go(self, method: str, path: str, body: dict | None = None):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), text, elapsed


def _code_for(path: Path, phone: str, deadline: float) -> str | None:
    while time.time() < deadline:
        if path.exists():
            for line in reversed(path.read_text(encoding="utf-8").splitlines()):
                sms = json.loads(line)
                found = re.search(r"(\d{6})", sms["text"])
                if sms["to"] == phone and found:
                    return found.group(1)
        time.sleep(0.05)
    return None


def _residents(table) -> None:
    from opinions.models import Case as Cases
    from stations.models import Opinion

    from .bench_livelihood import DEADLINE_S, Server

    card, person, township = _resident_card()
    with tempfile.TemporaryDirectory() as tmp:
        sms_path = Path(tmp) / "sms.log"
        server_env = {
            "SMS_BACKEND": "anping.notifications.sms.FileBackend",
            "SMS_FILE_PATH": str(sms_path),
            # Every resident comes from 127.0.0.1: the generous per-address limit is lifted.
            "OPINION_PER_ADDRESS_PER_HOUR": str(RESIDENTS * 10),
        }
        saved = {k: os.environ.get(k) for k in server_env}
        os.environ.update(server_env)
        try:
            server = Server()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        lat: dict[str, list[float]] = {}
        status: dict[str, dict[int, int]] = {}
        lock = threading.Lock()
        deadline = time.time() + DEADLINE_S

        def record(name, code, elapsed):
            with lock:
                lat.setdefault(name, []).append(elapsed)
                bucket = status.setdefault(name, {})
                bucket[code] = bucket.get(code, 0) + 1

        def floor(_i):
            phone = Phone(server.port)
            code, _loc, _t, elapsed = phone.go("GET", "/opinions/bench-floor/")
            record("floor", code, elapsed)

        def resident(i):
            if time.time() > deadline:
                record("journey", -1, 0.0)
                return
            try:
                number = f"139{i:08d}"
                phone = Phone(server.port)
                start = time.perf_counter()
                path = f"/o/{card.token}/"
                code, _loc, page, elapsed = phone.go("GET", path)
                record("open", code, elapsed)
                token = CSRF_RE.search(page).group(1)
                form = {
                    "csrfmiddlewaretoken": token,
                    "deputy": person.pk,
                    "topic": "urban",
                    "text": f"第{i}号居民：小区路灯坏了，晚上看不清路。",
                    "region": township.pk,
                    "name": "",
                    "phone": number,
                    "website": "",
                }
                code, loc, _page, elapsed = phone.go("POST", path, form)
                record("submit", code, elapsed)
                sms = _code_for(sms_path, number, deadline)
                if code != 302 or sms is None:
                    record("journey", -1, 0.0)
                    return
                code, loc, _page, elapsed = phone.go(
                    "POST", "/o-verify/", {"csrfmiddlewaretoken": token, "code": sms}
                )
                record("verify", code, elapsed)
                ok = code == 302 and loc.startswith("/t/")
                record("journey", 200 if ok else -1, time.perf_counter() - start)
            except (OSError, http.client.HTTPException, AttributeError):
                record("journey", -1, 0.0)

        try:
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                list(pool.map(floor, range(RESIDENTS)))
            begin = time.perf_counter()
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                list(pool.map(resident, range(RESIDENTS)))
            whole = time.perf_counter() - begin
        finally:
            server.stop()

    def pct(name, q):
        values = sorted(lat.get(name, [0.0]))
        return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]

    stored = Cases.objects.filter(opinion__taken_by=person).count()
    opinions = Opinion.objects.filter(taken_by=person).count()
    done = status.get("journey", {}).get(200, 0)
    errors = sum(n for b in status.values() for c, n in b.items() if c >= 500 or c < 0)
    table.add(
        f"residents: opinions recorded ({RESIDENTS} at once, SMS code verified)",
        stored,
        unit="",
        target=f"= {RESIDENTS:,}",
        ok=stored == opinions == done == RESIDENTS,
        note=f"journeys completed {done}; submit {status.get('submit')}, "
        f"verify {status.get('verify')}",
    )
    table.add(
        "residents: server errors (5xx or no answer)", errors, unit="", target="= 0", ok=errors == 0
    )
    table.add(
        f"residents: {RESIDENTS} open, write and verify",
        whole,
        note=f"{CLIENTS} phones at once, gunicorn 4×4 gthread",
    )
    for step in ("submit", "verify", "open"):
        for q in (50, 95):
            table.ratio(
                f"residents: {step} p{q} (vs bare page)",
                pct(step, q),
                pct("floor", q),
                within=None,
            )
