"""On a phone: a deputy sees the unread badge, opens the inbox, follows a reminder, marks all read."""

import pytest

from anping.notifications.services import notify
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_deputy_reads_notifications_on_a_phone(
    transactional_db, live_server, phone_page, deputy_user
):
    notify(recipient=deputy_user, kind="test", title="请对建议答复提出反馈意见", url="/portal/")
    notify(recipient=deputy_user, kind="test", title="民生实事满意度测评已开始")
    page = phone_page
    browser_login(page, live_server, "deputy")
    page.goto(f"{live_server.url}/portal/")
    assert page.locator("[data-unread]").inner_text() == "2"
    assert "请对建议答复提出反馈意见" in page.locator("#notifications-panel").inner_text()
    page.click("#notifications-panel >> text=请对建议答复提出反馈意见")
    page.wait_for_url(f"{live_server.url}/portal/")
    assert page.locator("[data-unread]").inner_text() == "1"
    page.goto(f"{live_server.url}/notifications/")
    page.click("text=全部标为已读")
    assert page.locator("[data-unread]").count() == 0
    assert page.locator("#inbox li.read").count() == 2
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
