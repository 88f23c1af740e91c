"""The whole loop in a real browser, the resident on a phone: scan (open the card's URL), write,
type the SMS code, the deputy proposes, staff dispatch, the unit replies, the resident confirms;
the database checked after each step."""

import pytest

from opinions import services
from opinions.models import Case, Submission
from stations.models import Opinion
from tests.conftest import browser_login

from .conftest import RESIDENT_PHONE, last_code

pytestmark = pytest.mark.browser
S = Case.Status


def test_a_residents_opinion_goes_round_the_loop(
    transactional_db,
    live_server,
    phone_page,
    signed_in,
    me,
    deputy_user,
    township,
    wenfeng_staff,
    wenfeng_unit,
    wenfeng_unit_staff,
    sms_file,
):
    card = services.card_for(by=deputy_user, person=me)

    # The resident scans the card and writes.
    phone_page.goto(f"{live_server.url}/o/{card.token}/")
    assert "给代表留言" in phone_page.locator("h1").inner_text()
    phone_page.select_option("#id_topic", "urban")
    phone_page.fill("#id_text", "小区东门路灯坏了三个月，晚上看不见路")
    phone_page.select_option("#id_region", str(township.pk))
    phone_page.fill("#id_name", "李女士")
    phone_page.fill("#id_phone", RESIDENT_PHONE)
    phone_page.click("text=获取验证码")
    phone_page.wait_for_url("**/o-verify/")
    assert Submission.objects.get().status == Submission.Status.PENDING
    assert not Case.objects.exists()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    # The code from the SMS.
    phone_page.fill("#id_code", last_code(sms_file))
    phone_page.click("text=验证并提交意见")
    phone_page.wait_for_url("**/t/*/")
    case = Case.objects.get()
    assert case.status == S.NEW and case.phone == RESIDENT_PHONE
    assert case.code in phone_page.locator("h1").inner_text()
    assert RESIDENT_PHONE not in phone_page.content()
    track_url = phone_page.url

    # The deputy proposes that it go to a unit.
    page = signed_in("deputy")
    page.goto(f"{live_server.url}/opinions/{case.pk}/")
    assert RESIDENT_PHONE in page.content()
    page.fill("#id_text", "涉及小区照明设施，建议转住建部门")
    page.click("text=建议转承办单位")
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.status == S.PROPOSED

    # Staff of 文峰区 dispatch it.
    page = signed_in("wenfeng")
    page.goto(f"{live_server.url}/opinions/{case.pk}/")
    page.select_option("#id_unit", str(wenfeng_unit.pk))
    page.click("button:has-text('转办')")
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert (case.status, case.unit) == (S.DISPATCHED, wenfeng_unit)
    assert case.opinion.status == Opinion.Status.FORWARDED

    # The unit finds it in its inbox and replies.
    page = signed_in("wfunit")
    page.goto(f"{live_server.url}/opinions/?show=with_unit")
    page.click("text=小区东门路灯坏了三个月")
    assert RESIDENT_PHONE not in page.content()
    page.check("input[name=outcome][value=solved]")
    page.fill("#id_text", "已更换路灯三盏，恢复照明。")
    page.click("text=提交答复")
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert (case.status, case.outcome) == (S.ANSWERED, Case.Outcome.SOLVED)
    assert any(case.code in text for text in _sms(sms_file))

    # The resident reads the answer on the phone and confirms.
    phone_page.goto(track_url)
    assert "已更换路灯三盏" in phone_page.content()
    phone_page.check("input[name=solved][value='1']")
    phone_page.check("input[name=satisfaction][value=satisfied]")
    phone_page.click("text=提交反馈")
    phone_page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert (case.status, case.satisfaction, case.by_call) == (S.SOLVED, "satisfied", False)
    assert case.opinion.status == Opinion.Status.SOLVED
    assert "谢谢" in phone_page.content()


@pytest.fixture
def signed_in(browser, live_server):
    """Each person on their own browser (a fresh context: no one else's session)."""
    from tests.conftest import _context

    contexts = []

    def open_as(username):
        context = _context(browser, live_server, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        browser_login(page, live_server, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _sms(path):
    from .conftest import sms_to

    return sms_to(path, RESIDENT_PHONE)
