"""The journey in a real browser: a deputy on a phone reads the draft and comments on article
12, quoting its words; staff answer it in the admin, upload the next version as a Word file and
link the comment to the article it changed; the deputy sees the answer and the change."""

import datetime as dt

import pytest
from django.utils import timezone

from legislation import services
from legislation.models import Comment, Project, Round
from tests.conftest import browser_login

from .drafts import docx_bytes, plain_draft, upload

pytestmark = pytest.mark.browser

TITLE = "安阳市小型生产经营场所消防安全管理条例"
NEW_12 = "第12条规定的事项，由市人民政府有关部门和乡镇人民政府依照职责负责实施。"


def test_comment_answer_and_link(
    transactional_db, live_server, phone_page, page, deputy_user, city_staff, anyang
):
    from anping.orgs.models import Organisation

    committee = Organisation.objects.create(
        name="法制委员会", kind=Organisation.Kind.SPECIAL_COMMITTEE, region=anyang
    )
    project = services.project_save(
        project=Project(title=TITLE, region=anyang, committee=committee, year=2024), by=city_staff
    )
    version = services.version_upload(
        project=project, kind="consultation", file=upload(plain_draft(32)), by=city_staff
    )
    round = services.round_save(
        round=Round(
            version=version, title="征求代表意见", deadline=timezone.now() + dt.timedelta(days=7)
        ),
        by=city_staff,
    )
    services.round_invite(round=round, persons=[deputy_user.deputy], by=city_staff)
    url = live_server.url

    # The deputy, on a phone, from the portal's start page to article 12.
    browser_login(phone_page, live_server, "deputy")
    phone_page.goto(f"{url}/portal/")
    phone_page.click(f"text={TITLE}")
    phone_page.click("#a12 >> text=对第十二条提出意见")
    phone_page.fill("#id_quote", "有关部门")
    phone_page.fill("#id_text", "建议明确“有关部门”包括乡镇人民政府。")
    phone_page.click("text=提交意见")
    phone_page.locator("text=您的意见已提交。").wait_for()
    comment = Comment.objects.get()
    assert comment.article.number == 12 and comment.quote == "有关部门"

    # Staff answer it in the admin.
    browser_login(page, live_server, "city")
    page.goto(f"{url}/admin/legislation/comment/?round__id__exact={round.pk}")
    page.click("text=第十二条")
    page.select_option("#id_outcome", "adopted")
    page.fill("#id_reason", "已在一审稿中明确。")
    page.click("input[name=_continue]")
    page.locator("text=已在一审稿中明确。").first.wait_for()
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.ADOPTED

    # The next version, uploaded as a Word file.
    page.goto(f"{url}/admin/legislation/project/{project.pk}/upload/")
    page.select_option("#id_kind", "first")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "一审稿.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "buffer": docx_bytes(plain_draft(32, changed={12: NEW_12})),
            }
        ],
    )
    page.click("input[type=submit]")
    page.locator("text=文本已上传：共 32 条。").wait_for()

    # Link the comment to the changed article 12 of the new version.
    page.goto(f"{url}/admin/legislation/comment/{comment.pk}/change/")
    page.select_option("#id_linked_article", label="一审稿 · 第十二条")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for()
    comment.refresh_from_db()
    assert comment.linked_article.version.number == 2 and comment.linked_article.number == 12

    # The deputy sees the answer and the change.
    phone_page.goto(f"{url}/legislation/")
    phone_page.click(f"text={TITLE}")
    phone_page.locator("#mine >> text=采纳").first.wait_for()
    assert phone_page.locator("#mine >> text=已促成一审稿第十二条的修改").is_visible()
