"""A published month never changes: the service refuses, and so does the database."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from anping.errors import DomainError, NotAllowed
from anping.reports import services
from anping.reports.models import Figure, MonthlyReport, ReportTransition

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def march(world, activities):
    services.rollup_month(month=MARCH)
    return MonthlyReport.objects.get(month=MARCH, region=world.city)


def test_city_staff_publish_the_whole_month(march, city_staff):
    assert services.publish_month(month=MARCH, by=city_staff, reason="核对无误") == 10
    assert set(MonthlyReport.objects.filter(month=MARCH).values_list("status", flat=True)) == {
        "published"
    }
    step = ReportTransition.objects.filter(report=march, action="publish").get()
    assert (step.from_status, step.to_status, step.by, step.reason) == (
        "draft",
        "published",
        city_staff,
        "核对无误",
    )


@pytest.mark.parametrize("who", ["county_staff", "deputy_user", "unit_staff", "outsider"])
def test_only_city_staff_may_publish(march, request, who):
    with pytest.raises(NotAllowed):
        services.publish_month(month=MARCH, by=request.getfixturevalue(who))
    assert not MonthlyReport.objects.filter(status="published").exists()


def test_publishing_twice_is_refused(march, city_staff):
    services.publish_month(month=MARCH, by=city_staff)
    with pytest.raises(DomainError, match="已"):
        services.publish_month(month=MARCH, by=city_staff)


def test_a_running_month_cannot_be_published(world, city_staff):
    services.rollup_month(month=dt.date.today().replace(day=1))
    with pytest.raises(DomainError):
        services.publish_month(month=dt.date.today(), by=city_staff)


def test_recompute_of_a_published_month_is_refused_and_changes_nothing(march, city_staff, world):
    from stations.models import Activity

    services.publish_month(month=MARCH, by=city_staff)
    before = list(Figure.objects.filter(report=march).values_list("metric", "dimension", "value"))
    Activity.objects.create(
        kind="survey",
        title="迟到的记录",
        date=dt.date(2026, 3, 3),
        region=world.linzhou,
        committee=world.committee,
    )
    with pytest.raises(DomainError, match="发布"):
        services.rollup_month(month=MARCH, by=city_staff)
    after = list(Figure.objects.filter(report=march).values_list("metric", "dimension", "value"))
    assert after == before


def _refused(sql, params):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_changes_to_a_published_month(march, city_staff):
    services.publish_month(month=MARCH, by=city_staff)
    figure = Figure.objects.filter(report=march).first()
    _refused("UPDATE reports_figure SET value = value + 1 WHERE id = %s", [figure.pk])
    _refused("DELETE FROM reports_figure WHERE id = %s", [figure.pk])
    _refused(
        "INSERT INTO reports_figure (report_id, area, metric, level, dimension, value) "
        "VALUES (%s, 'x', 'y', '', '', 1)",
        [march.pk],
    )
    _refused("UPDATE reports_monthlyreport SET status = 'draft' WHERE id = %s", [march.pk])
    _refused("DELETE FROM reports_monthlyreport WHERE id = %s", [march.pk])
    assert Figure.objects.get(pk=figure.pk).value == figure.value


def test_a_draft_month_may_still_change_in_the_database(march):
    figure = Figure.objects.filter(report=march).first()
    Figure.objects.filter(pk=figure.pk).update(value=figure.value + 5)
    assert Figure.objects.get(pk=figure.pk).value == figure.value + 5
