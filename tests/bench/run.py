"""`make bench`: one table of named figures, each measured against a baseline in the same run.

Each `tests/bench/bench_*.py` has `run(table)`; it builds the data it needs in the benchmark
database (created afresh here before each module), measures, and adds rows. `--only WORD` runs the modules whose
name contains WORD. Benchmarks never gate CI; tests assert behaviour, this prints figures.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    name: str
    value: float
    baseline: float | None
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def add(self, name, value, baseline=None, unit="s", target="", ok=None, note=""):
        row = Row(name, value, baseline, unit, target, ok, note)
        self.rows.append(row)
        print(f"  · {self._line(row)}", flush=True)
        return row

    def ratio(self, name, value, baseline, unit="s", within: float | None = None, note=""):
        """A figure against its baseline, with a target ratio (value ≤ within × baseline)."""
        ok = None if within is None or not baseline else value <= within * baseline
        target = f"≤ {within:g}×" if within else ""
        return self.add(name, value, baseline, unit, target, ok, note)

    @staticmethod
    def _fmt(v, unit):
        if v is None:
            return "—"
        if unit == "s":
            return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"
        if unit == "MB":
            return f"{v:.1f} MB"
        return f"{v:,.0f} {unit}".strip() if float(v).is_integer() else f"{v:,.2f} {unit}".strip()

    def _line(self, r: Row) -> str:
        ratio = f"{r.value / r.baseline:.2f}×" if r.baseline else ""
        verdict = {True: "ok", False: "MISSED", None: ""}[r.ok]
        return " | ".join(
            [
                r.name,
                self._fmt(r.value, r.unit),
                self._fmt(r.baseline, r.unit),
                ratio,
                r.target,
                verdict,
                r.note,
            ]
        )

    def print(self) -> None:
        header = ["figure", "measured", "baseline", "ratio", "target", "", "note"]
        lines = [header] + [self._line(r).split(" | ") for r in self.rows]
        widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
        print()
        for i, line in enumerate(lines):
            print("  ".join(_pad(c, w) for c, w in zip(line, widths, strict=True)).rstrip())
            if i == 0:
                print("  ".join("-" * w for w in widths))


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


def median_time(
    fn: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peak_memory_mb(fn: Callable[[], object]) -> tuple[float, float]:
    """(seconds, peak MB of Python allocations) of one call."""
    tracemalloc.start()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1e6


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def fresh_database() -> None:
    """Drop and create the benchmark database named by DATABASE_URL, then migrate it."""
    import psycopg
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        connections.close_all()
        params = dict(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"] or "postgres",
            dbname="postgres",
        )
        if db.get("PASSWORD"):
            params["password"] = db["PASSWORD"]
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    call_command("migrate", verbosity=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="run only modules whose name contains this")
    parser.add_argument("--keep", action="store_true", help="reuse the benchmark database as it is")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    table = Table()
    here = Path(__file__).parent
    for path in sorted(here.glob("bench_*.py")):
        if args.only and args.only not in path.stem:
            continue
        print(f"\n{path.stem}", flush=True)
        # Each module builds its own data at its own scale: give it an empty database, so that
        # what one module left behind never skews (or collides with) the next.
        if not args.keep:
            fresh_database()
        importlib.import_module(f"tests.bench.{path.stem}").run(table)
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
