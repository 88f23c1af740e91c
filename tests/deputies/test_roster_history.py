"""The record of roster imports: who imported which file (name, size, SHA-256), when, what it
did; refused previews kept too; the preview warns when the same file was already imported."""

import datetime as dt
import hashlib
import zoneinfo

import pytest
import time_machine

from anping.accounts.models import User
from deputies.models import Person, RosterImport
from tests.conftest import make_user
from tests.deputies.test_roster_import import confirm, import_through_admin, upload
from tests.deputies.workbooks import good_rows, row, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roster_reference")]

HISTORY_URL = "/admin/deputies/rosterimport/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_a_confirmed_import_records_who_which_file_and_what_it_did(client, city_staff):
    client.force_login(city_staff)
    content = workbook(good_rows())
    preview = upload(client, content, name="林州市代表名册2024.xlsx")
    assert not RosterImport.objects.exists()  # a good preview records nothing yet
    confirm(client, preview)

    record = RosterImport.objects.get()
    assert record.by == city_staff
    assert record.region == city_staff.region
    assert record.file_name == "林州市代表名册2024.xlsx"
    assert record.file_size == len(content)
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert record.outcome == RosterImport.Outcome.IMPORTED
    assert (record.rows, record.error_rows) == (5, 0)
    assert (record.persons_created, record.persons_updated, record.mandates_created) == (4, 0, 5)


def test_a_refused_preview_is_recorded_and_imports_nothing(client, county_staff):
    client.force_login(county_staff)
    content = workbook([row(), row("李四", mobile="12"), row("", birth="1970-01-01")])
    upload(client, content, name="错误名册.xlsx")

    record = RosterImport.objects.get()
    assert record.outcome == RosterImport.Outcome.REFUSED
    assert (record.rows, record.error_rows) == (3, 2)
    assert record.by == county_staff and record.region == county_staff.region
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert (record.persons_created, record.mandates_created) == (0, 0)
    assert not Person.objects.exists()


def test_the_preview_says_when_and_by_whom_the_same_file_was_imported(client, city_staff):
    content = workbook(good_rows())
    client.force_login(city_staff)
    with time_machine.travel(dt.datetime(2024, 3, 5, 10, 30, tzinfo=SHANGHAI), tick=False):
        import_through_admin(client, content)
    client.force_login(make_user("city2", User.Role.CITY_STAFF, region=city_staff.region))
    with time_machine.travel(dt.datetime(2024, 4, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        preview = upload(client, content)
        body = preview.content.decode()
        assert "此文件已于 2024-03-05 10:30 由 王静 导入过" in body
        assert preview.context.get("confirm_form") is not None  # still allowed
        confirm(client, preview)
    assert list(RosterImport.objects.values_list("by__username", "mandates_created")) == [
        ("city2", 0),  # newest first; the second import created nothing
        ("city", 5),
    ]


def test_the_already_imported_note_names_only_imports_the_user_sees(
    client, city_staff, county_staff
):
    content = workbook([row(region="林州市黄华镇")])
    client.force_login(city_staff)
    import_through_admin(client, content)
    client.force_login(county_staff)  # 林州市's staff: the city's import is not theirs to know of
    body = upload(client, content).content.decode()
    assert "此文件已于" not in body and "王静" not in body
    import_through_admin(client, content)
    client.force_login(city_staff)  # the city sees 林州市's import
    assert "由 李敏 导入过" in upload(client, content).content.decode()


def test_another_file_gets_no_already_imported_note(client, city_staff):
    client.force_login(city_staff)
    import_through_admin(client, workbook(good_rows()))
    preview = upload(client, workbook(good_rows()[:2]))
    assert "此文件已于" not in preview.content.decode()
    # A refused attempt of the same bytes does not count as imported either.
    broken = workbook([row(mobile="12")])
    upload(client, broken)
    assert "此文件已于" not in upload(client, broken).content.decode()


def test_the_import_page_links_to_the_history(client, city_staff):
    client.force_login(city_staff)
    body = client.get("/admin/deputies/person/import/").content.decode()
    assert f'href="{HISTORY_URL}"' in body and "导入记录" in body


def _record(user, name, at, **fields):
    with time_machine.travel(at, tick=False):
        return RosterImport.objects.create(
            by=user,
            region=user.region,
            file_name=name,
            outcome=fields.pop("outcome", RosterImport.Outcome.IMPORTED),
            **fields,
        )


def test_staff_see_the_history_newest_first_county_staff_only_their_region(
    client, city_staff, county_staff, wenfeng
):
    wenfeng_staff = make_user("wenfeng", User.Role.COUNTY_STAFF, region=wenfeng)
    _record(city_staff, "市本级.xlsx", dt.datetime(2024, 1, 1, tzinfo=SHANGHAI))
    _record(county_staff, "林州旧.xlsx", dt.datetime(2024, 2, 1, tzinfo=SHANGHAI))
    _record(
        county_staff,
        "林州错.xlsx",
        dt.datetime(2024, 3, 1, tzinfo=SHANGHAI),
        outcome=RosterImport.Outcome.REFUSED,
        error_rows=4,
    )
    _record(wenfeng_staff, "文峰.xlsx", dt.datetime(2024, 4, 1, tzinfo=SHANGHAI))

    client.force_login(city_staff)
    body = client.get(HISTORY_URL).content.decode()
    order = [body.index(n) for n in ("文峰.xlsx", "林州错.xlsx", "林州旧.xlsx", "市本级.xlsx")]
    assert order == sorted(order)
    assert "导入时有错误" in body

    client.force_login(county_staff)
    body = client.get(HISTORY_URL).content.decode()
    assert "林州错.xlsx" in body and "林州旧.xlsx" in body
    assert "文峰.xlsx" not in body and "市本级.xlsx" not in body
    other = RosterImport.objects.get(file_name="文峰.xlsx")
    assert client.get(f"{HISTORY_URL}{other.pk}/change/").status_code == 302  # not found → list


def test_the_history_is_read_only(client, city_staff):
    record = _record(city_staff, "名册.xlsx", dt.datetime(2024, 1, 1, tzinfo=SHANGHAI))
    client.force_login(city_staff)
    assert client.get(f"{HISTORY_URL}{record.pk}/change/").status_code == 200
    assert client.get(f"{HISTORY_URL}add/").status_code == 403
    assert client.post(f"{HISTORY_URL}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RosterImport.objects.filter(pk=record.pk).exists()


def test_only_committee_staff_reach_the_history(
    client, city_staff, deputy_user, unit_staff, evaluator, outsider
):
    _record(city_staff, "名册.xlsx", dt.datetime(2024, 1, 1, tzinfo=SHANGHAI))
    for user in (deputy_user, unit_staff, evaluator, outsider):
        client.force_login(user)
        response = client.get(HISTORY_URL)
        assert response.status_code == 302 and "/admin/login/" in response.url
        assert RosterImport.objects.visible_to(user).count() == 0


def test_the_history_list_queries_do_not_grow_with_rows(
    client, city_staff, county_staff, django_assert_num_queries
):
    at = dt.datetime(2024, 1, 1, tzinfo=SHANGHAI)
    _record(city_staff, "a.xlsx", at)
    client.force_login(city_staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(HISTORY_URL).status_code == 200
    for i in range(20):
        _record(county_staff if i % 2 else city_staff, f"f{i}.xlsx", at + dt.timedelta(days=i))
    # session, user, the date hierarchy's years, the page's COUNT, the page joined with its user
    # and region, the county filter's choices.
    with django_assert_num_queries(len(one)):
        assert "f19.xlsx" in client.get(HISTORY_URL).content.decode()
