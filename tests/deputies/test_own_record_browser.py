"""A deputy opens their own record on a phone."""

import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser]


def test_a_deputy_reads_their_own_record_on_a_phone(
    transactional_db, live_server, phone_page, deputy_user, other_deputy_user
):
    browser_login(phone_page, live_server, "deputy")
    phone_page.goto(f"{live_server.url}/portal/")
    phone_page.get_by_role("link", name="查看我的信息").click()
    phone_page.wait_for_url("**/deputies/me/")
    person = deputy_user.deputy
    assert phone_page.locator("#my-mobile").inner_text() == person.mobile
    assert phone_page.locator("#my-id-number").inner_text() == person.id_number
    mandates = phone_page.locator("#my-mandates li.mandate")
    assert mandates.count() == 1
    assert "安阳市第十五届人民代表大会" in mandates.first.inner_text()
    assert "刘洋" not in phone_page.content()
    # Made for the phone: nothing wider than the screen.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
