"""The clock and the upload check: what a page of deadlines costs, and what a 10 MB upload costs.

Baselines, measured in the same run: counting working days by the weekend rule alone (what the
clock would cost without the holiday calendar), and reading and hashing the upload once (what
storing it costs anyway).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import TemporaryUploadedFile

from anping.uploads import validate_upload
from anping.workdays import calendar, services
from tests.bench.run import count_queries, median_time

DEADLINES = 10_000


def _weekend_only(start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _starts() -> list[dt.date]:
    first = dt.date(2024, 1, 1)
    return [first + dt.timedelta(days=i % 1000) for i in range(DEADLINES)]


def run(table) -> None:
    services.calendar_sync_from_package()
    calendar.clear_cache()
    starts = _starts()

    cold = count_queries(lambda: calendar.is_working_day(dt.date(2024, 10, 1)))
    warm = count_queries(
        lambda: [calendar.deadline_after_working_days(s, 10) for s in starts[:1000]]
    )
    table.add(
        "calendar: queries for 1,000 deadlines (after the first load)",
        warm,
        cold,
        unit="queries",
        target="0",
        ok=warm == 0,
        note="baseline: the first call in a process",
    )

    baseline = median_time(lambda: [_weekend_only(s, 10) for s in starts], repeat=3)
    value = median_time(lambda: [calendar.add_working_days(s, 10) for s in starts], repeat=3)
    table.ratio(
        f"calendar: add_working_days ×{DEADLINES:,} (10 days)",
        value,
        baseline,
        within=3,
        note="baseline: weekends only, no calendar",
    )
    explained = median_time(
        lambda: [calendar.deadline_after_working_days(s, 10) for s in starts], repeat=3
    )
    table.ratio(
        f"calendar: deadline with explanation ×{DEADLINES:,}",
        explained,
        baseline,
        within=15,
        note="the Chinese sentence included",
    )

    def reload():
        calendar.clear_cache()
        calendar.is_working_day(dt.date(2024, 10, 1))

    table.add(
        "calendar: reload after a change (≈770 days, one query)",
        median_time(reload, repeat=5),
        unit="s",
    )

    from tests.uploads.samples import DOC_FAR

    # The directory is found from the header and followed through the allocation table: a few
    # sectors are read whatever the size (the file is not scanned).
    for label, content in (
        ("PDF", b"%PDF-1.7\n" + b"\x00" * (10 * 1024 * 1024 - 9)),
        ("old Word .doc", DOC_FAR + b"\x00" * (10 * 1024 * 1024 - len(DOC_FAR))),
    ):
        # As Django hands over a large upload: a temporary file on disk.
        upload = TemporaryUploadedFile("a", "application/octet-stream", len(content), None)
        upload.write(content)
        upload.seek(0)
        read = median_time(
            lambda upload=upload: (upload.seek(0), hashlib.sha256(upload.read())), repeat=5
        )
        checked = median_time(
            lambda upload=upload: validate_upload(upload, max_bytes=11 * 1024 * 1024), repeat=5
        )
        upload.close()
        table.ratio(
            f"uploads: validate a 10 MB {label}",
            checked,
            read,
            within=1,
            note="baseline: reading and hashing it once",
        )
