"""The monthly rollup: each figure against a count made by hand from what the test built."""

import datetime as dt

import pytest
import time_machine

from anping.reports import services, tasks
from anping.reports.models import Figure, MonthlyReport
from anping.reports.periods import Period

from .conftest import SH

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def figures_of(region, month=MARCH):
    report = MonthlyReport.objects.get(region=region, month=month)
    return {
        (f.area, f.metric, f.level, f.dimension): (f.value, f.base) for f in report.figures.all()
    }


def test_deputies_persons_mandates_and_coverage_by_level(full_world):
    services.rollup_month(month=MARCH)
    city = figures_of(full_world.city)
    # In office on 31 March: 甲 (city + county seats), 乙, 丙 (township), 丁 (provincial);
    # 戊 resigned in February. Took part in March: 甲, 乙, 丁 (丙 only in February and April).
    assert city[("deputies", "persons", "", "")] == (4, None)
    assert city[("deputies", "mandates", "", "")] == (5, None)
    assert city[("deputies", "active", "", "")] == (3, None)
    assert city[("deputies", "coverage", "", "")] == (3, 4)
    assert city[("deputies", "persons", "city", "")] == (2, None)
    assert city[("deputies", "coverage", "city", "")] == (2, 2)
    assert city[("deputies", "coverage", "county", "")] == (1, 1)
    assert city[("deputies", "coverage", "township", "")] == (0, 1)
    assert city[("deputies", "coverage", "provincial", "")] == (1, 1)
    assert city[("deputies", "persons", "national", "")] == (0, None)
    wenfeng = figures_of(full_world.wenfeng)
    assert wenfeng[("deputies", "persons", "", "")] == (2, None)
    assert wenfeng[("deputies", "mandates", "", "")] == (3, None)
    assert wenfeng[("deputies", "coverage", "", "")] == (2, 2)
    linzhou = figures_of(full_world.linzhou)
    assert linzhou[("deputies", "coverage", "", "")] == (1, 2)


def test_activities_by_type_and_attendance(full_world):
    services.rollup_month(month=MARCH)
    city, wenfeng, linzhou = (
        figures_of(r) for r in (full_world.city, full_world.wenfeng, full_world.linzhou)
    )
    # March: an inspection in 文峰区, a survey on the 31st in 林州市, a budget review held by
    # the city itself (counted for the city only). April's and February's are not March's.
    assert city[("activities", "count", "", "")][0] == 3
    assert city[("activities", "count", "", "inspection")][0] == 1
    assert city[("activities", "count", "", "budget_review")][0] == 1
    assert city[("activities", "count", "", "publicity")][0] == 0
    assert wenfeng[("activities", "count", "", "")][0] == 1
    assert linzhou[("activities", "count", "", "survey")][0] == 1
    assert city[("activities", "participations", "", "")][0] == 5
    assert city[("activities", "participants", "", "")][0] == 3
    assert wenfeng[("activities", "participants", "", "")][0] == 2


def test_opinions_collected_solved_and_adopted(full_world):
    services.rollup_month(month=MARCH)
    city, linzhou = figures_of(full_world.city), figures_of(full_world.linzhou)
    assert city[("opinions", "collected", "", "")][0] == 4
    assert city[("opinions", "collected", "", "online")][0] == 2
    assert city[("opinions", "collected", "", "wechat")][0] == 1
    # Solved in March: one received in March, one received in February.
    assert city[("opinions", "solved", "", "")][0] == 2
    assert linzhou[("opinions", "solved", "", "")][0] == 1
    assert linzhou[("opinions", "collected", "", "")][0] == 1
    assert city[("opinions", "adoption", "", "")] == (1, 2)


def test_suggestions_filed_answered_on_time_overdue_and_satisfaction(full_world):
    services.rollup_month(month=MARCH)
    city = figures_of(full_world.city)
    wenfeng, linzhou = figures_of(full_world.wenfeng), figures_of(full_world.linzhou)
    # Filed in March (Beijing time): 23:30 on the 31st and 00:10 on the 1st; not 23:50 on
    # 28 February.
    assert city[("suggestions", "filed", "", "")][0] == 2
    assert wenfeng[("suggestions", "filed", "", "")][0] == 1
    # Registered 00:30 on 1 April (Beijing) is April's, though still 31 March in UTC.
    assert city[("suggestions", "registered", "", "")][0] == 2
    assert linzhou[("suggestions", "registered", "", "")][0] == 2
    assert city[("suggestions", "answered", "", "")][0] == 3
    # On time: answered 23:59 on the due day counts; the day after does not.
    assert city[("suggestions", "on_time", "", "")][0] == 2
    assert city[("suggestions", "on_time_rate", "", "")] == (2, 3)
    assert city[("suggestions", "on_time_rate", "city", "")] == (2, 3)
    assert city[("suggestions", "overdue", "", "")][0] == 1
    assert linzhou[("suggestions", "overdue", "", "")][0] == 1
    assert city[("suggestions", "key", "", "")][0] == 1
    # Feedback given in March: satisfied and not satisfied; the basic one came at 00:05 on
    # 1 April (Beijing).
    assert city[("suggestions", "feedback", "", "")][0] == 2
    assert city[("suggestions", "satisfaction", "", "")] == (1, 2)
    assert city[("suggestions", "satisfaction", "city", "")] == (1, 2)


def test_livelihood_progress_and_completion(full_world):
    services.rollup_month(month=MARCH)
    city = figures_of(full_world.city)
    assert city[("livelihood", "projects", "", "")][0] == 2
    assert city[("livelihood", "completed", "", "")][0] == 1
    # Latest report up to 31 March: 60% and 100% → an average of 80%.
    assert city[("livelihood", "progress", "", "")] == (160, 2)
    assert city[("livelihood", "reports", "", "")][0] == 2
    assert figures_of(full_world.linzhou)[("livelihood", "projects", "", "")][0] == 0


def test_a_rollup_again_replaces_the_draft(full_world):
    services.rollup_month(month=MARCH)
    before = Figure.objects.count()
    services.rollup_month(month=MARCH)
    assert Figure.objects.count() == before
    assert MonthlyReport.objects.filter(month=MARCH).count() == 10  # the city and 9 counties


def test_query_count_does_not_grow_with_data(full_world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.models import Activity, Participation

    services.rollup_month(month=MARCH)  # creates the month's reports
    with CaptureQueriesContext(connection) as first:
        services.rollup_month(month=MARCH)
    people = list(full_world.people.values())
    for i in range(30):
        act = Activity.objects.create(
            kind="survey",
            title=f"加{i}",
            date=dt.date(2026, 3, 1 + i % 28),
            region=full_world.linzhou,
            committee=full_world.committee,
        )
        Participation.objects.bulk_create(
            [Participation(activity=act, person=p, date=act.date) for p in people[:3]]
        )
    # The same queries, whatever the data: regions, the aggregate queries of each area (twice:
    # by county and by city), the lock on the month's reports, the write of the figures.
    with django_assert_num_queries(len(first.captured_queries)):
        services.rollup_month(month=MARCH)
    assert figures_of(full_world.linzhou)[("activities", "count", "", "survey")][0] == 31


def test_month_boundaries_are_beijing_time():
    period = Period.month(dt.date(2026, 3, 17))
    assert period.first == dt.date(2026, 3, 1) and period.last == dt.date(2026, 3, 31)
    assert period.start == dt.datetime(2026, 3, 1, tzinfo=SH)
    assert period.stop == dt.datetime(2026, 4, 1, tzinfo=SH)
    assert Period.month(dt.date(2028, 2, 10)).last == dt.date(2028, 2, 29)


def test_first_of_month_task_rolls_up_the_month_just_ended(full_world):
    # 00:10 on 1 April in Beijing is still 31 March in UTC: the month just ended is March.
    with time_machine.travel(dt.datetime(2026, 4, 1, 0, 10, tzinfo=SH), tick=False):
        tasks.rollup_previous_month()
    assert list(MonthlyReport.objects.order_by().values_list("month", flat=True).distinct()) == [
        MARCH
    ]


def test_just_before_midnight_the_current_month_is_still_march(full_world):
    with time_machine.travel(dt.datetime(2026, 3, 31, 23, 50, tzinfo=SH), tick=False):
        tasks.rollup_current_month()
    assert list(MonthlyReport.objects.order_by().values_list("month", flat=True).distinct()) == [
        MARCH
    ]


def test_overdue_is_counted_as_of_today_while_the_month_runs(full_world):
    # On 10 March the open suggestion (due 15 March) is not overdue yet.
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=SH), tick=False):
        services.rollup_month(month=MARCH)
        assert figures_of(full_world.city)[("suggestions", "overdue", "", "")][0] == 0
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, tzinfo=SH), tick=False):
        services.rollup_month(month=MARCH)
        assert figures_of(full_world.city)[("suggestions", "overdue", "", "")][0] == 1


def test_a_quiet_county_gets_zeros_for_every_figure_and_dimension(full_world):
    from anping.regions.models import Region
    from anping.reports import figures

    services.rollup_month(month=MARCH)
    # 殷都区 has no deputies, activities, opinions or suggestions: every figure is stored as 0.
    quiet = figures_of(Region.objects.get(code="410505"))
    for metric in figures.METRICS:
        levels = ["", *figures.LEVELS] if metric.by_level else [""]
        dims = [""]
        if metric.dimension:
            dims += [v for v, _label in figures.dimension_choices(metric.dimension)]
        for level in levels:
            for dim in dims:
                value, base = quiet[(metric.area, metric.code, level, dim)]
                assert value == 0, (metric, level, dim)
                assert base == (None if metric.kind == "count" else 0), (metric, level, dim)
    assert quiet[("activities", "count", "", "")] == (0, None)
    assert quiet[("opinions", "collected", "", "")] == (0, None)
    assert quiet[("opinions", "collected", "", "wechat")] == (0, None)


def test_overdue_in_a_past_month_is_the_count_at_its_end(full_world):
    from proposals.models import Assignment, Suggestion

    s = full_world.suggestions["overdue"]  # assigned 2 March, due 15 March
    # Answered on 10 April: the answer clears the deadline, as the service does; the lead
    # unit's assignment keeps it.
    Assignment.objects.create(
        suggestion=s,
        unit=full_world.unit,
        role=Assignment.Role.LEAD,
        status=Assignment.Status.DONE,
        start_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 3, 15),
        due_basis="交办日起",
        done_at=dt.datetime(2026, 4, 10, 10, tzinfo=SH),
    )
    Suggestion.objects.filter(pk=s.pk).update(
        status=Suggestion.Status.ANSWERED,
        answered_at=dt.datetime(2026, 4, 10, 10, tzinfo=SH),
        due_date=None,
    )
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=SH), tick=False):
        services.rollup_month(month=MARCH)
        services.rollup_month(month=dt.date(2026, 4, 1))
        services.rollup_month(month=dt.date(2026, 2, 1))
    # At the end of March it was open and past its deadline; at the end of April answered; at
    # the end of February not due yet.
    assert figures_of(full_world.city)[("suggestions", "overdue", "", "")][0] == 1
    assert figures_of(full_world.linzhou)[("suggestions", "overdue", "", "")][0] == 1
    april = figures_of(full_world.city, dt.date(2026, 4, 1))
    assert april[("suggestions", "overdue", "", "")][0] == 0
    february = figures_of(full_world.city, dt.date(2026, 2, 1))
    assert february[("suggestions", "overdue", "", "")][0] == 0


def test_answered_late_but_within_the_month_is_not_overdue_at_its_end(full_world):
    # "late_answer" was due 9 March and answered on 10 March: late, but not open on 31 March.
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, tzinfo=SH), tick=False):
        services.rollup_month(month=MARCH)
    city = figures_of(full_world.city)
    assert city[("suggestions", "overdue", "", "")][0] == 1  # only "overdue", still open
    assert city[("suggestions", "on_time", "", "")][0] == 2


def test_a_failing_query_fails_the_month_and_stores_nothing(full_world, monkeypatch):
    from django.db import DatabaseError

    from anping.reports import figures

    def broken(period, scopes, out):
        raise DatabaseError("relation does not exist")

    monkeypatch.setitem(figures.AREA_FUNCTIONS, "opinions", broken)
    with pytest.raises(DatabaseError):
        services.rollup_month(month=MARCH)
    assert not MonthlyReport.objects.exists()
    assert not Figure.objects.exists()
