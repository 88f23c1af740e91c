"""The clock reads the calendar once per process, reloads it when it changes, and tells the apps
with deadlines when it changed."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction

from anping.workdays import calendar, services
from anping.workdays.calendar import add_working_days, deadline_after_working_days, is_working_day
from anping.workdays.models import CalendarDay
from anping.workdays.signals import calendar_changed

D = dt.date


@pytest.fixture
def received():
    calls = []

    def receiver(sender, *, days, by, **kwargs):
        calls.append((sender, days, by))

    calendar_changed.connect(receiver)
    yield calls
    calendar_changed.disconnect(receiver)


def test_the_calendar_costs_one_query_then_none(db, django_assert_num_queries):
    with django_assert_num_queries(1):  # the CalendarDay rows, once
        assert not is_working_day(D(2024, 10, 1))
    with django_assert_num_queries(0):
        # 200 deadlines (a page of suggestions and more), no query at all
        for i in range(200):
            deadline_after_working_days(D(2024, 9, 1) + dt.timedelta(days=i), 10)
            add_working_days(D(2024, 9, 1) + dt.timedelta(days=i), 60)


def test_a_change_is_seen_at_once_by_the_process_that_made_it(
    city_staff, package_until_2026, django_assert_num_queries
):
    assert is_working_day(D(2027, 2, 8))
    services.calendar_day_set(day=D(2027, 2, 8), kind="holiday", name="春节", by=city_staff)
    assert not is_working_day(D(2027, 2, 8))


def test_a_change_rolled_back_leaves_no_trace_in_the_cache(
    city_staff, package_until_2026, received
):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.calendar_day_set(day=D(2027, 2, 8), kind="holiday", name="春节", by=city_staff)
        assert not is_working_day(D(2027, 2, 8))
        raise RuntimeError("the request failed after the change")
    assert is_working_day(D(2027, 2, 8))
    assert received == []


def test_a_change_by_another_process_is_seen_once_it_bumps_the_version(
    db, package_until_2026, django_assert_num_queries
):
    assert is_working_day(D(2027, 2, 8))
    # Another process commits a day (bulk_create: no model signal reaches this process) ...
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=D(2027, 2, 8), kind="holiday", name="春节", source="staff")]
    )
    with django_assert_num_queries(0):
        assert is_working_day(D(2027, 2, 8))  # not known here yet: the version is unchanged
    # ... and bumps the shared version when it commits.
    cache.set(calendar.VERSION_KEY, "changed elsewhere", timeout=None)
    calendar._State.checked_at = 0.0  # as if RECHECK_SECONDS had passed
    with django_assert_num_queries(1):
        assert not is_working_day(D(2027, 2, 8))


def test_the_signal_is_sent_after_commit_with_the_days_and_the_user(
    city_staff, package_until_2026, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_set(day=D(2027, 2, 8), kind="holiday", name="春节", by=city_staff)
        assert received == []  # not before the change is committed
    assert received == [(CalendarDay, [D(2027, 2, 8)], city_staff)]


def test_no_signal_when_nothing_changed_for_the_clock(
    city_staff, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        # Copying the package changes no computed date: the clock reads the package already.
        services.calendar_sync_from_package(years=[2024])
        services.calendar_day_set(day=D(2024, 10, 1), kind="holiday", name="国庆节", by=city_staff)
    assert received == []


def test_a_signal_receiver_computes_with_the_new_calendar(
    city_staff, package_until_2026, django_capture_on_commit_callbacks
):
    seen = []

    def recompute(sender, *, days, by, **kwargs):
        seen.append(add_working_days(D(2027, 2, 5), 1))

    calendar_changed.connect(recompute)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.calendar_day_set(day=D(2027, 2, 8), kind="holiday", name="春节", by=city_staff)
    finally:
        calendar_changed.disconnect(recompute)
    assert seen == [D(2027, 2, 9)]


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_bumps_the_shared_version_and_signals(received, city_staff):
    staff = city_staff
    before = cache.get(calendar.VERSION_KEY)
    services.calendar_day_set(day=D(2031, 2, 3), kind="holiday", name="春节", by=staff)
    assert cache.get(calendar.VERSION_KEY) != before
    assert received == [(CalendarDay, [D(2031, 2, 3)], staff)]
    assert not is_working_day(D(2031, 2, 3))


def test_rows_written_without_the_services_still_reach_the_clock(db, package_until_2026):
    assert is_working_day(D(2027, 2, 8))
    day = CalendarDay.objects.create(date=D(2027, 2, 8), kind="holiday", name="春节")
    assert not is_working_day(D(2027, 2, 8))
    day.delete()
    assert is_working_day(D(2027, 2, 8))


def test_what_a_rolled_back_transaction_wrote_is_forgotten_afterwards(db, package_until_2026):
    # As between two tests: the first writes a day and rolls back; the next must not see it.
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=D(2027, 2, 8), kind="holiday", name="春节")
        assert not is_working_day(D(2027, 2, 8))
        raise RuntimeError
    assert is_working_day(D(2027, 2, 8))


def test_inside_the_writing_transaction_deadlines_cost_one_query_per_change(
    city_staff, package_until_2026, django_assert_num_queries
):
    services.calendar_day_set(day=D(2027, 2, 8), kind="holiday", name="春节", by=city_staff)
    with django_assert_num_queries(1):  # this transaction's calendar, once
        for i in range(100):
            deadline_after_working_days(D(2027, 1, 1) + dt.timedelta(days=i), 10)
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 9)
    services.calendar_day_set(day=D(2027, 2, 9), kind="holiday", name="春节", by=city_staff)
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 10)


def test_a_savepoint_rolled_back_takes_its_calendar_change_with_it(city_staff, package_until_2026):
    services.calendar_day_set(day=D(2027, 2, 8), kind="holiday", name="春节", by=city_staff)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.calendar_day_set(day=D(2027, 2, 9), kind="holiday", name="春节", by=city_staff)
        assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 10)
        raise RuntimeError
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 9)  # 8 Feb still off, 9 Feb not
