import datetime as dt

import pytest

from anping.workdays import calendar


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test starts with no calendar cached in the process (the rows of the test before
    were rolled back)."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def package_until_2026(monkeypatch):
    """The package as it stands: it covers the years up to 2026, so 2027 is for staff to enter
    (pinned here so that a newer package with 2027 does not change what the tests mean)."""
    days = {d: v for d, v in calendar.package_days().items() if d.year <= 2026}
    monkeypatch.setattr(calendar, "package_days", lambda: days)
    calendar.clear_cache()
    return days


@pytest.fixture
def spring_festival_2027(city_staff, package_until_2026):
    """A city staff user enters 2027's 春节 from the State Council's notice: the weekdays 8-12
    February off, Saturday 20 February a make-up working day."""
    from anping.workdays import services

    for day in range(8, 13):
        services.calendar_day_set(
            day=dt.date(2027, 2, day),
            kind="holiday",
            name="春节",
            by=city_staff,
            reason="国办发明电〔2026〕X号",
        )
    services.calendar_day_set(day=dt.date(2027, 2, 20), kind="workday", name="春节", by=city_staff)
