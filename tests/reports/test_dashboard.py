"""The dashboard (charts drawn by the portal itself) and the year page, from records."""

import datetime as dt
import re

import pytest

from anping.reports import services
from anping.reports.models import MonthlyReport

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def test_dashboard_shows_the_month_with_charts_and_counties(client, full_world, city_staff):
    services.rollup_month(month=MARCH)
    client.force_login(city_staff)
    body = client.get("/reports/?month=2026-03").content.decode()
    assert re.search(r'data-figure="persons">4<', body)
    assert re.search(r'data-figure="activities">3<', body)
    assert re.search(r'data-figure="coverage">75.0%<', body)
    assert body.count("<svg") == 3  # by type, by county, the year
    # No inline script and nothing from outside: only the portal's own static scripts.
    assert not re.search(r'<script(?![^>]*src="/static/)', body)
    assert "http://" not in body.replace("http://www.w3.org", "")
    # Drilling down: each county links to its own dashboard.
    assert 'href="?region=410581&month=2026-03"' in body


def test_drilling_down_to_a_county(client, full_world, city_staff):
    services.rollup_month(month=MARCH)
    client.force_login(city_staff)
    body = client.get("/reports/?month=2026-03&region=410581").content.decode()
    assert re.search(r'data-figure="persons">2<', body)
    assert re.search(r'data-figure="coverage">50.0%<', body)


def test_a_month_not_computed_offers_to_compute_it(client, world, city_staff):
    client.force_login(city_staff)
    body = client.get("/reports/?month=2026-03").content.decode()
    assert "立即统计" in body
    client.post("/reports/compute/", {"month": "2026-03", "region": "410500"})
    assert MonthlyReport.objects.filter(month=MARCH).count() == 10


def test_dashboard_query_count_does_not_grow_with_counties_figures(
    client, full_world, city_staff, django_assert_max_num_queries
):
    services.rollup_month(month=MARCH)
    client.force_login(city_staff)
    # session, user, regions (scopes), reports of the month, figures, year series, exports,
    # the shell's unread count: a fixed number whatever the data.
    with django_assert_max_num_queries(12):
        assert client.get("/reports/?month=2026-03").status_code == 200


def test_year_page_counts_from_records(client, full_world, city_staff):
    client.force_login(city_staff)
    body = client.get("/reports/year/2026/").content.decode()
    assert "9700多名五级人大代表" in body  # the quote beside the figure
    # Persons / mandates in office now: 甲 乙 丙 丁 (戊 resigned); 甲 holds two seats.
    assert "4 / 5" in body
    # Activities of 2026: five, of every kind; budget review: 1 review, 2 deputies, 2 opinions,
    # 50% adopted.
    assert "1 / 2 / 2 / 50.0%" in body
    # Links to the records behind the figures.
    assert "/admin/deputies/mandate/?status=serving" in body
