"""The duty record (履职档案): a deputy reads their own on the portal; staff read any deputy's
in their region; other apps add sections through the registry; the queries do not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations import record
from stations.models import Membership, Opinion, Stationing

from .factories import make_activity, make_group, make_opinion, make_station

pytestmark = pytest.mark.django_db
STATIONS_SECTIONS = {"activities", "opinions", "groups", "stations"}


def _year_of(me, region, n: int):
    """n activities, opinions, groups and stations in 2024 for `me` (and one in 2023)."""
    for i in range(n):
        make_activity(
            region=region, date=dt.date(2024, 3, 1 + i), persons=[me], title=f"视察第{i + 1}次"
        )
        make_opinion(
            taken_by=me, region=region, summary=f"意见{i + 1}", received_on=dt.date(2024, 4, 1 + i)
        )
        group = make_group(
            region=region.parent, name=f"专业小组{Membership.objects.count()}", field="航空"
        )
        Membership.objects.create(group=group, person=me)
        station = make_station(region=region)
        Stationing.objects.create(station=station, person=me, start_date=dt.date(2024, 1, 1))
    make_activity(region=region, date=dt.date(2023, 12, 30), persons=[me], title="去年的视察")


def test_a_deputy_reads_their_years_record(client, deputy_user, me, wenfeng):
    _year_of(me, wenfeng, 2)
    client.force_login(deputy_user)
    body = client.get("/stations/record/?year=2024").content.decode()
    assert "视察第1次" in body and "视察第2次" in body and "去年的视察" not in body
    assert "意见2" in body and "专业小组" in body and "代表联络站" in body
    assert "张华" in body


def test_the_record_opens_on_the_year_of_the_latest_activity(client, deputy_user, me, wenfeng):
    make_activity(region=wenfeng, date=dt.date(2024, 3, 1), persons=[me], title="视察第1次")
    client.force_login(deputy_user)
    assert client.get("/stations/record/").context["year"] == 2024


def test_the_records_queries_do_not_grow_with_what_the_deputy_did(
    client, deputy_user, me, wenfeng, monkeypatch, django_assert_num_queries
):
    client.force_login(deputy_user)
    _year_of(me, wenfeng, 1)
    ours = {k: v for k, v in record._SECTIONS.items() if k in STATIONS_SECTIONS}
    with monkeypatch.context() as only_ours:
        only_ours.setattr(record, "_SECTIONS", ours)
        # session, user, the deputy's Person, mandates; activities (rows with their counts by
        # type as a window); opinions (rows, by outcome, by channel); groups; stations; the
        # unread notifications badge (base template).
        with django_assert_num_queries(11):
            client.get("/stations/record/?year=2024")
    # With every app's sections (suggestions, livelihood ... registered from their side): as
    # many queries for a busy year as for a quiet one.
    with CaptureQueriesContext(connection) as quiet:
        client.get("/stations/record/?year=2024")
    _year_of(me, wenfeng, 6)
    with django_assert_num_queries(len(quiet.captured_queries)):
        client.get("/stations/record/?year=2024")


def test_staff_read_and_print_the_record_of_a_deputy_in_their_region(
    client, county_staff, linzhou_deputy, linzhou
):
    make_activity(
        region=linzhou, date=dt.date(2024, 5, 1), persons=[linzhou_deputy], title="林州视察"
    )
    client.force_login(county_staff)
    body = client.get(f"/stations/record/{linzhou_deputy.pk}/?year=2024").content.decode()
    assert "林州视察" in body and "郁林英" in body
    assert "stations/stations.css" in body and "data-print" in body


def test_the_record_is_404_outside_the_scope(
    client, county_staff, other_deputy_user, unit_staff, evaluator, outsider, me
):
    for user in (county_staff, other_deputy_user, unit_staff, evaluator, outsider):
        client.force_login(user)
        assert client.get(f"/stations/record/{me.pk}/").status_code == 404
    client.force_login(unit_staff)
    assert client.get("/stations/record/").status_code == 404


def test_other_apps_add_sections_without_stations_importing_them(
    client, deputy_user, me, settings, tmp_path
):
    template = tmp_path / "fake_section.html"
    template.write_text("<p>建议 {{ data.total }} 件</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    record.register_section(
        key="suggestions",
        title="代表建议",
        template="fake_section.html",
        provider=lambda *, person, year: {"total": 3 if person == me else 0},
        order=50,
    )
    try:
        client.force_login(deputy_user)
        body = client.get("/stations/record/?year=2024").content.decode()
    finally:
        record._SECTIONS.pop("suggestions")
    assert "代表建议" in body and "建议 3 件" in body


def test_the_portal_home_links_a_deputy_to_their_record(client, deputy_user, me):
    client.force_login(deputy_user)
    body = client.get("/portal/").content.decode()
    assert "/stations/record/" in body and "/stations/opinions/new/" in body


def test_outcomes_are_counted_in_the_record(client, deputy_user, me, wenfeng):
    make_opinion(taken_by=me, region=wenfeng, status=Opinion.Status.SOLVED, summary="已解决的意见")
    make_opinion(taken_by=me, region=wenfeng, summary="未办的意见")
    client.force_login(deputy_user)
    response = client.get("/stations/record/?year=2024")
    [opinions] = [s for s in response.context["sections"] if s.key == "opinions"]
    assert (opinions.data["total"], opinions.data["solved"]) == (2, 1)
