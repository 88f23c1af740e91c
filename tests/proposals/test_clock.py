"""Deadlines follow the settings and the working-day calendar (Chinese holidays skipped, make-up
working days counted), show how they were computed, and move when the calendar changes."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from anping.workdays import services as workdays
from proposals import clock, services
from proposals.models import Assignment, Suggestion, Transition

from . import factories as f

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 9, 0, tzinfo=CST), tick=False)


def test_the_clock_settings_are_the_documented_ones():
    assert settings.ANPING_CLOCK == {
        "ANSWER_MONTHS": 3,
        "MAX_TOTAL_MONTHS": 6,
        "SEND_BACK_WORKING_DAYS": 10,
        "CO_UNIT_WORKING_DAYS": 22,
        "RECESS_ASSIGN_WORKING_DAYS": 5,
        "REHANDLE_MONTHS": 1,
        "REMIND_DAYS_BEFORE": [15, 7, 1],
    }


def test_send_back_window_skips_national_day_and_counts_make_up_days(
    deputy_user, city_staff, unit_staff, unit2
):
    with at(2024, 9, 27):  # a Friday, before the National Day week
        s = f.assigned(deputy_user, city_staff, unit_staff.organisation, co_units=[unit2])
    lead = s.assignments.get(role="lead")
    # 10 working days: 9/29 (Sunday, make-up) counted, 10/1-10/7 skipped, 10/12 (Saturday) counted.
    assert lead.send_back_until == dt.date(2024, 10, 16)
    assert "国庆节" in lead.send_back_basis
    assert lead.due_date == dt.date(2024, 12, 27)
    co = s.assignments.get(role="co")
    assert co.due_date == clock.co_unit_deadline(start=dt.date(2024, 9, 27)).date
    # 22 working days: the two make-up days counted, the holiday week skipped.
    assert co.due_date == dt.date(2024, 11, 1)


def test_answer_due_in_the_spring_festival_moves_to_the_next_working_day(
    deputy_user, city_staff, unit_staff
):
    with at(2024, 10, 31):
        s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    a = s.assignments.get()
    # 2025-01-31 falls in the Spring Festival holiday (1/28-2/4): due on 2/5.
    assert a.due_date == dt.date(2025, 2, 5)
    assert "春节" in a.due_basis and "2025-02-05" in a.due_basis
    assert Suggestion.objects.get(pk=s.pk).due_date == dt.date(2025, 2, 5)


def test_send_back_after_the_window_is_refused(deputy_user, city_staff, unit_staff):
    with at(2024, 9, 27):
        s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    a = s.assignments.get()
    with at(2024, 10, 17):
        with pytest.raises(services.DomainError, match="退回期限已于2024年10月16日届满"):
            services.assignment_send_back(assignment=a, by=unit_staff, reason="不属本单位职责")
    with at(2024, 10, 16):
        services.assignment_send_back(assignment=a, by=unit_staff, reason="不属本单位职责")
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.SENT_BACK


def test_extensions_move_the_deadline_up_to_six_months_in_all(deputy_user, city_staff, unit_staff):
    with at(2024, 3, 4):
        s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
        a = s.assignments.get()
        req = services.extension_request(
            assignment=a, by=unit_staff, months=2, reason="需纳入年度预算"
        )
        services.extension_decide(request=req, by=city_staff, approve=True)
        a.refresh_from_db()
        # 3 + 2 months: 2024-08-04 is a Sunday, so the next working day.
        assert a.due_date == dt.date(2024, 8, 5)
        assert "延期2个月" in a.due_basis
        with pytest.raises(services.DomainError, match="最长为6个月"):
            services.extension_request(assignment=a, by=unit_staff, months=2, reason="再延")
        req = services.extension_request(assignment=a, by=unit_staff, months=1, reason="再延一个月")
        services.extension_decide(request=req, by=city_staff, approve=False, note="不予延期")
        a.refresh_from_db()
        assert a.extension_months == 2


def test_rehandling_has_its_own_one_month_deadline(deputy_user, city_staff, unit_staff):
    with at(2024, 3, 4):
        s = f.answered(deputy_user, city_staff, unit_staff)
    with at(2024, 3, 11):
        services.feedback_give(
            suggestion=s, by=deputy_user, verdict="not_satisfied", comment="问题没有解决"
        )
    again = Assignment.objects.get(suggestion=s, round=2)
    assert again.due_date == dt.date(2024, 4, 11)
    assert again.send_back_until is None
    assert "重新办理" in again.due_basis


def test_recess_suggestion_is_to_be_assigned_within_five_working_days(deputy_user, city_staff):
    with at(2024, 4, 30):  # before the Labour Day holiday (5/1-5/5)
        s = f.registered(deputy_user, city_staff)
    assert s.period == Suggestion.Period.RECESS
    # 5/1-5/5 skipped: 5/6, 5/7, 5/8, 5/9, 5/10.
    assert s.assign_by == dt.date(2024, 5, 10)
    assert "劳动节" in s.assign_by_basis


def test_calendar_change_recomputes_open_deadlines(
    deputy_user, city_staff, unit_staff, django_capture_on_commit_callbacks
):
    with at(2030, 3, 4):  # a year the package does not know yet: weekends only
        s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
        a = s.assignments.get()
        assert a.due_date == dt.date(2030, 6, 4)
        with django_capture_on_commit_callbacks(execute=True):
            workdays.calendar_day_set(
                day=dt.date(2030, 6, 4), kind="holiday", name="端午节", by=city_staff
            )
    a.refresh_from_db()
    assert a.due_date == dt.date(2030, 6, 5)
    assert "端午节" in a.due_basis
    assert Suggestion.objects.get(pk=s.pk).due_date == dt.date(2030, 6, 5)
    assert Transition.objects.filter(suggestion=s, action=Transition.Action.DEADLINE).exists()
