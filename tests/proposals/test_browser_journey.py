"""The whole journey in a real browser: the deputy submits on the portal, staff register and
assign in the admin, the unit replies B with a commitment, the deputy is not satisfied, the unit
handles it again, staff send it to evaluation, the evaluator gives a verdict. The portal side is
driven on a phone and on a desktop."""

import datetime as dt

import pytest

from proposals.models import Suggestion
from tests.conftest import browser_login

pytestmark = pytest.mark.browser

TITLE = "关于增设殷墟景区旅游公交专线的建议"


def _logout_login(page, live_server, username):
    page.context.clear_cookies()
    browser_login(page, live_server, username)


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_suggestion_journey(
    request, viewport, transactional_db, live_server, deputy_user, city_staff, unit_staff, pool
):
    portal = request.getfixturevalue(viewport)
    staff = request.getfixturevalue("page") if viewport == "phone_page" else portal
    url = live_server.url

    # The deputy writes and submits.
    _logout_login(portal, live_server, "deputy")
    portal.goto(f"{url}/suggestions/new/")
    portal.fill("#id_title", TITLE)
    portal.select_option("#id_category", "transport")
    portal.fill(
        "#id_body", "殷墟博物馆开馆后游客激增，公交线路少，建议增开火车站至殷墟的旅游专线。"
    )
    portal.click("text=保存草稿")
    portal.click("form[action$='/submit/'] button")
    portal.locator(".badge", has_text="已提交，待审查").wait_for()
    s = Suggestion.objects.get(title=TITLE)

    # Staff register and assign it.
    _logout_login(staff, live_server, "city")
    staff.goto(f"{url}/admin/proposals/suggestion/{s.pk}/review/")
    staff.check("input[name=decision][value=register]")
    staff.click("input[type=submit]")
    staff.wait_for_url(f"**/admin/proposals/suggestion/{s.pk}/change/")
    staff.goto(f"{url}/admin/proposals/suggestion/assign/?ids={s.pk}")
    staff.select_option("#id_lead", label="安阳市住房和城乡建设局")
    staff.click("input[type=submit]")
    staff.wait_for_url(f"**/admin/proposals/suggestion/{s.pk}/change/")
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ASSIGNED and s.number_label.endswith("第1号")
    staff.wait_for_url(f"**/admin/proposals/suggestion/{s.pk}/change/")
    handling = staff.locator("td", has_text="安阳市住房和城乡建设局").first
    handling.wait_for()
    assert handling.is_visible()

    # The unit contacts the deputy and replies B with a commitment.
    _logout_login(portal, live_server, "unit")
    portal.goto(f"{url}/suggestions/unit/")
    portal.click(f"text={TITLE}")
    portal.fill("form:has(input[value=contact]) textarea[name=notes]", "电话联系代表，沟通线路走向")
    portal.click("form:has(input[value=contact]) button")
    portal.locator("text=联系情况已登记。").wait_for()
    portal.check("form#reply input[name=grade][value=B]")
    portal.fill("form#reply textarea[name=text]", "已将旅游专线列入年度公交线网优化计划。")
    portal.fill("form#reply input[name=c-0-text]", "六月底前开通旅游专线")
    portal.fill(
        "form#reply input[name=c-0-due_date]", (dt.date.today() + dt.timedelta(days=90)).isoformat()
    )
    portal.click("form#reply button[type=submit]")
    portal.locator("text=答复已送达代表。").wait_for()

    # The deputy is not satisfied.
    _logout_login(portal, live_server, "deputy")
    portal.goto(f"{url}/suggestions/{s.pk}/")
    assert portal.locator("text=六月底前开通旅游专线").is_visible()
    portal.check("#feedback input[value=not_satisfied]")
    portal.fill("#feedback textarea[name=comment]", "开通时间太晚，希望暑期前开通")
    portal.click("#feedback button[type=submit]")
    portal.locator(".badge", has_text="重新办理中").wait_for()

    # The unit handles it again.
    _logout_login(portal, live_server, "unit")
    portal.goto(f"{url}/suggestions/unit/")
    portal.click(f"text={TITLE}")
    portal.fill("form:has(input[value=contact]) textarea[name=notes]", "再次沟通，提前开通")
    portal.click("form:has(input[value=contact]) button")
    portal.locator("text=联系情况已登记。").wait_for()
    portal.check("form#reply input[name=grade][value=A]")
    portal.fill("form#reply textarea[name=text]", "旅游专线已于暑期前开通。")
    portal.click("form#reply button[type=submit]")
    portal.locator("text=答复已送达代表。").wait_for()
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ANSWERED and s.round == 2

    # Staff send it to third-party evaluation.
    _logout_login(staff, live_server, "city")
    staff.goto(f"{url}/admin/proposals/suggestion/{s.pk}/evaluate/")
    staff.select_option("#id_reason", "not_satisfied")
    # Evaluators are listed by name and region, not by login name.
    staff.select_option("#id_evaluator", label=f"{pool.get_full_name()}（{pool.region.name}）")
    staff.click("input[type=submit]")
    staff.locator("text=已送第三方评估。").wait_for()

    # The evaluator gives the verdict.
    _logout_login(portal, live_server, "evaluator")
    portal.goto(f"{url}/suggestions/evaluations/")
    portal.click(f"text={TITLE}")
    portal.check("input[name=verdict][value=proper]")
    portal.fill("textarea[name=opinion]", "经回访，专线已开通运行，办理到位。")
    portal.click("text=提交评估结论")
    portal.locator("text=评估结论已记录。").wait_for()
    # The history shows every step, who and why.
    history = portal.locator(".timeline").inner_text()
    for step in (
        "提交",
        "立案",
        "交办",
        "联系代表",
        "承办单位答复",
        "代表反馈",
        "重新办理",
        "送第三方评估",
        "评估结论",
    ):
        assert step in history
    assert (
        portal.evaluate("document.documentElement.scrollWidth") <= portal.viewport_size["width"] + 1
    )
