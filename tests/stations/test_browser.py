"""Journeys in a real browser: a deputy reads their duty record on a phone; staff record an
activity and add the deputies found by expertise."""

import datetime as dt

import pytest

from stations.models import Activity, Membership, Opinion
from tests.conftest import browser_login
from tests.factories import make_deputy

from .factories import committee_of, make_activity, make_group, make_opinion

pytestmark = pytest.mark.browser


def test_a_deputy_reads_their_record_on_a_phone(
    transactional_db, live_server, phone_page, deputy_user, wenfeng
):
    from deputies.models import Person

    me = Person.objects.get(user=deputy_user)
    make_activity(region=wenfeng, date=dt.date(2024, 3, 12), persons=[me], title="视察洹河生态治理")
    make_activity(
        region=wenfeng,
        date=dt.date(2024, 7, 10),
        persons=[me],
        kind=Activity.Kind.RECEPTION,
        title="联络站接待选民日",
    )
    make_opinion(
        taken_by=me, region=wenfeng, summary="小区周边停车难", status=Opinion.Status.SOLVED
    )
    group = make_group(region=wenfeng.parent, name="航空产业专业小组", field="航空产业", leader=me)
    Membership.objects.create(group=group, person=me)

    browser_login(phone_page, live_server, "deputy")
    phone_page.click("text=我的履职档案")
    phone_page.wait_for_url("**/stations/record/")
    assert phone_page.locator("h1").inner_text() == "张华 2024年度履职档案"
    activities = phone_page.locator("#activities")
    assert "视察洹河生态治理" in activities.inner_text()
    assert "接待选民 1" in activities.inner_text()
    assert "问题已解决 1" in phone_page.locator("#opinions").inner_text()
    assert "航空产业专业小组" in phone_page.locator("#groups").inner_text()
    # Comfortable on a 375 px screen: nothing wider than the viewport.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_staff_record_an_activity_with_deputies_found_by_expertise(
    transactional_db, live_server, page, city_staff, anyang, wenfeng, linzhou
):
    committee_of(anyang)
    make_deputy(region=wenfeng, name="律师代表", expertise=("法律",))
    make_deputy(region=linzhou, name="消防代表", expertise=("消防",))
    make_deputy(region=linzhou, name="农业代表", expertise=("农业",))

    browser_login(page, live_server, "city")
    page.goto(f"{live_server.url}/admin/stations/activity/add/")
    page.select_option("#id_kind", Activity.Kind.LEGISLATION.value)
    page.fill("#id_title", "《安阳市小型生产经营场所消防安全管理条例》立法征询")
    page.fill("#id_date", "2024-04-17")
    page.click(".field-region .select2-selection")
    page.fill(".select2-search__field", "安阳市")
    page.click(".select2-results__option:has-text('安阳市')")
    page.select_option("#id_committee", label="安阳市人大常委会")
    page.click("input[name=_continue]")
    page.click("text=查找代表")
    page.check("label:has-text('法律') input")
    page.check("label:has-text('消防') input")
    page.click("input[value=查找]")
    results = page.locator("#result_list")
    assert "律师代表" in results.inner_text() and "农业代表" not in results.inner_text()
    page.click("input[value=添加选中的代表]")
    assert "已添加 2 名代表" in page.locator(".messagelist").inner_text()
    activity = Activity.objects.get()
    assert set(activity.participations.values_list("person__name", flat=True)) == {
        "律师代表",
        "消防代表",
    }
