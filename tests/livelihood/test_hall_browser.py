"""The hall, in a browser: staff open the vote in the admin, a deputy votes on a phone and
keeps the receipt, staff close and publish, and anyone reads the result."""

import re

import pytest

from livelihood import services
from livelihood.models import Ballot, Poll
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser]


def test_staff_open_a_deputy_votes_on_a_phone_staff_close_and_publish(
    transactional_db, live_server, page, phone_page, city_staff, deputy_user, poll
):
    # Staff open the vote from the poll's page in the admin.
    browser_login(page, live_server, "city")
    page.goto(f"{live_server.url}/admin/livelihood/poll/{poll.pk}/change/")
    page.click("#step-open-button")
    assert "不能再更改" in page.inner_text("#confirm-question")  # asked first
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.PREPARED
    page.click("#confirm-step")
    page.wait_for_selector(".messagelist")
    assert "投票已开始" in page.inner_text(".messagelist")
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN

    # The deputy opens the ballot from the portal on a phone.
    browser_login(phone_page, live_server, "deputy")
    phone_page.goto(f"{live_server.url}/portal/")
    phone_page.get_by_role("link", name="打开选票").click()
    phone_page.wait_for_selector("form.ballot")
    assert "应选 3 项" in phone_page.inner_text(".rule")
    boxes = phone_page.locator("input[name=candidate]")
    assert boxes.count() == 5
    for i in range(3):
        boxes.nth(i).check()
    assert phone_page.inner_text(".marked") == "3"
    assert boxes.nth(3).is_disabled()  # no fourth mark on a three-mark ballot
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.check("#confirm-ballot")
    phone_page.click("#cast")
    phone_page.wait_for_selector("#receipt-code")
    code = phone_page.inner_text("#receipt-code").strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert Ballot.objects.filter(poll=poll).count() == 1

    # Turnout shows one vote; staff close and publish.
    page.goto(f"{live_server.url}/admin/livelihood/poll/{poll.pk}/turnout/")
    assert page.inner_text("#online") == "1"
    page.goto(f"{live_server.url}/admin/livelihood/poll/{poll.pk}/change/")
    page.click("#step-close-button")
    page.click("#confirm-step")
    page.wait_for_selector("#step-publish-button")
    page.click("#step-publish-button")
    page.click("#confirm-step")
    page.wait_for_selector(".messagelist")
    assert "结果已公布" in page.inner_text(".messagelist")

    # The public result, and the receipt checks.
    phone_page.goto(f"{live_server.url}/livelihood/polls/{poll.pk}/result/")
    assert phone_page.inner_text("#cast") == "1"
    assert phone_page.locator("#result tbody tr").count() == 5
    phone_page.goto(f"{live_server.url}/livelihood/receipt/")
    phone_page.fill("#id_code", code)
    phone_page.click("#check")
    assert "已计入票数" in phone_page.inner_text(".msg")


def test_a_deputy_votes_through_the_slip_link_without_logging_in(
    transactional_db, live_server, phone_page, city_staff, deputy_user, open_poll
):
    [(_person, token)] = services.passes_issue(
        poll=open_poll, by=city_staff, persons=[deputy_user.deputy]
    )
    phone_page.goto(f"{live_server.url}/livelihood/b/{token}/")
    assert "代表：张华" in phone_page.content()
    phone_page.locator("input[name=candidate]").first.check()
    phone_page.click("#cast")  # not confirmed yet: the browser asks for the tick, nothing is sent
    assert not Ballot.objects.filter(poll=open_poll).exists()
    phone_page.check("#confirm-ballot")
    phone_page.click("#cast")
    phone_page.wait_for_selector("#receipt-code")
    phone_page.goto(f"{live_server.url}/livelihood/b/{token}/")
    assert "您已投票" in phone_page.content()
    assert Ballot.objects.filter(poll=open_poll).count() == 1
