"""The legislative staff's admin, through its HTTP paths: projects and stages, uploading and
comparing versions, rounds (invite, contact-point comments, close, summary tables) and answers.
Each as city staff, and refused to county staff outside the region."""

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from legislation import services
from legislation.models import Comment, ContactPoint, Invitation, Project, Round, Version

from .drafts import plain_draft, upload


def test_staff_create_a_project_and_record_its_stages(client, city_staff, anyang, committee):
    client.force_login(city_staff)
    response = client.post(
        reverse("admin:legislation_project_add"),
        {"title": "安阳市某条例", "region": anyang.pk, "committee": committee.pk, "year": 2024},
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.transitions.get().to_status == Project.Stage.PLANNED
    page = client.get(reverse("admin:legislation_project_change", args=[project.pk])).content
    assert reverse("admin:legislation_project_step", args=[project.pk, "drafting"]) in page.decode()
    assert reverse("admin:legislation_project_step", args=[project.pk, "vote"]) not in page.decode()
    client.post(reverse("admin:legislation_project_step", args=[project.pk, "drafting"]), {})
    client.post(
        reverse("admin:legislation_project_step", args=[project.pk, "reading"]),
        {"meeting": "第十五次会议", "held_on": "2024-06-26", "reason": "组成人员意见"},
    )
    project.refresh_from_db()
    assert project.stage == Project.Stage.READING and project.readings == 1


def test_a_step_out_of_order_is_refused_with_a_message(client, city_staff, project):
    client.force_login(city_staff)
    response = client.post(
        reverse("admin:legislation_project_step", args=[project.pk, "vote"]),
        {"held_on": "2024-08-30"},
        follow=True,
    )
    assert "表决" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Project.Stage.PLANNED


def test_upload_and_compare_versions(client, city_staff, project, version):
    client.force_login(city_staff)
    url = reverse("admin:legislation_project_upload", args=[project.pk])
    changed = plain_draft(
        32, changed={12: "第12条规定的事项，由市人民政府有关部门和乡镇人民政府依照职责负责实施。"}
    )
    response = client.post(url, {"kind": "first", "file": upload(changed)})
    assert response.status_code == 302
    new = Version.objects.get(number=2)
    assert new.articles.count() == 32
    page = client.get(
        reverse("admin:legislation_project_compare", args=[project.pk]),
        {"a": version.pk, "b": new.pk},
    ).content.decode()
    assert "第十二条" in page and '<ins class="diff">' in page
    assert page.count("change-changed") == 1


def test_a_file_without_articles_is_refused_in_the_admin(client, city_staff, project):
    client.force_login(city_staff)
    response = client.post(
        reverse("admin:legislation_project_upload", args=[project.pk]),
        {"kind": "first", "file": upload(["某条例", "总则", "为了管理，制定本办法。"])},
        follow=True,
    )
    assert "第一条" in response.content.decode()
    assert not Version.objects.exists()


def test_non_numeric_ids_are_404(client, city_staff, project):
    client.force_login(city_staff)
    assert client.get("/admin/legislation/project/x/upload/").status_code == 404
    assert (
        client.get(
            reverse("admin:legislation_project_compare", args=[project.pk]), {"a": "x", "b": "1"}
        ).status_code
        == 404
    )
    assert client.get("/admin/legislation/round/abc/summary.xlsx").status_code == 404


def test_county_staff_outside_the_region_get_404(client, other_staff, project, round):
    client.force_login(other_staff)
    for url in [
        reverse("admin:legislation_project_upload", args=[project.pk]),
        reverse("admin:legislation_project_step", args=[project.pk, "drafting"]),
        reverse("admin:legislation_round_invite", args=[round.pk]),
        reverse("admin:legislation_round_export", args=[round.pk, "xlsx"]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("admin:legislation_project_step", args=[project.pk, "drafting"]))
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.stage == Project.Stage.PLANNED


def test_staff_open_a_round_and_invite_by_expertise(
    client, city_staff, version, law_deputies, deputy_user
):
    client.force_login(city_staff)
    deadline = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")
    response = client.post(
        reverse("admin:legislation_round_add"),
        {
            "version": version.pk,
            "title": "征求代表意见",
            "opens_on": timezone.localdate().isoformat(),
            "deadline_0": deadline[:10],
            "deadline_1": deadline[11:],
            "is_public": "on",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    round = Round.objects.get()
    expertise = law_deputies[0].expertise.get()
    url = reverse("admin:legislation_round_invite", args=[round.pk]) + f"?expertise={expertise.pk}"
    page = client.get(url).content.decode()
    assert "消防代表0" in page and "张华" not in page
    client.post(url, {"all": "1"})
    assert set(Invitation.objects.values_list("person_id", flat=True)) == {
        p.pk for p in law_deputies
    }


def test_county_staff_cannot_invite_into_a_city_round(client, other_staff, round, law_deputies):
    client.force_login(other_staff)
    url = reverse("admin:legislation_round_invite", args=[round.pk]) + "?name=消防"
    assert client.post(url, {"all": "1"}).status_code == 404
    assert not Invitation.objects.exists()


def test_staff_enter_a_contact_points_comment(client, city_staff, round, linzhou):
    point = ContactPoint.objects.create(name="林州市基层立法联系点", region=linzhou)
    article = round.version.articles.get(number=5)
    client.force_login(city_staff)
    client.post(
        reverse("admin:legislation_round_enter", args=[round.pk]),
        {"contact_point": point.pk, "article": article.pk, "text": "群众反映……"},
    )
    comment = Comment.objects.get()
    assert comment.contact_point == point and comment.article == article


@pytest.fixture
def comment(round, invited, deputy_user):
    return services.comment_submit(
        round=round,
        article=round.version.articles.get(number=12),
        text='=HYPERLINK("http://x") <script>alert(1)</script>',
        by=deputy_user,
    )


def test_staff_answer_a_comment_on_its_page_and_link_it(
    client, city_staff, comment, project, deputy_user
):
    client.force_login(city_staff)
    url = reverse("admin:legislation_comment_change", args=[comment.pk])
    page = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    # Not adopted without a reason: refused, nothing changes.
    client.post(url, {"outcome": "not_adopted", "reason": ""})
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.PENDING
    client.post(url, {"outcome": "adopted", "reason": "已在修改稿中体现"})
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.ADOPTED and comment.answered_by == city_staff
    new = services.version_upload(
        project=project, kind="first", file=upload(plain_draft(32)), by=city_staff
    )
    target = new.articles.get(number=12)
    client.post(
        url, {"outcome": "adopted", "reason": "已在修改稿中体现", "linked_article": target.pk}
    )
    comment.refresh_from_db()
    assert comment.linked_article == target
    assert deputy_user.notifications.filter(kind="legislation_comment_linked").exists()
    # A link stays: clearing it is refused beside the field.
    response = client.post(url, {"outcome": "adopted", "reason": "已在修改稿中体现"})
    assert "已关联的修改条文不能取消" in response.content.decode()
    comment.refresh_from_db()
    assert comment.linked_article == target


def test_the_adopted_action(client, city_staff, comment):
    client.force_login(city_staff)
    client.post(
        reverse("admin:legislation_comment_changelist"),
        {"action": "answer_adopted", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.ADOPTED


def test_county_staff_cannot_answer(client, other_staff, comment):
    client.force_login(other_staff)
    client.post(
        reverse("admin:legislation_comment_changelist"),
        {"action": "answer_adopted", "_selected_action": [comment.pk]},
    )
    url = reverse("admin:legislation_comment_change", args=[comment.pk])
    assert client.post(url, {"outcome": "adopted"}).status_code in (302, 404)
    comment.refresh_from_db()
    assert comment.outcome == Comment.Outcome.PENDING


def test_summary_tables_keep_markup_as_text(client, city_staff, comment, round):
    client.force_login(city_staff)
    services.comment_answer(
        comment=comment, outcome="not_adopted", reason="<i>理由</i>", by=city_staff
    )
    response = client.get(reverse("admin:legislation_round_export", args=[round.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in sheet[3]]
    assert row[1] == "第十二条" and row[3] == comment.text and row[4] == "张华"
    assert row[7] == "<i>理由</i>"
    assert sheet.cell(3, 4).data_type == "s"  # text, not a formula
    response = client.get(reverse("admin:legislation_round_export", args=[round.pk, "docx"]))
    table = docx.Document(io.BytesIO(response.content)).tables[0]
    assert table.rows[1].cells[3].text == comment.text


def test_close_button_and_action(client, city_staff, round, comment):
    client.force_login(city_staff)
    client.post(reverse("admin:legislation_round_close", args=[round.pk]))
    round.refresh_from_db()
    assert not round.is_closed  # before the deadline: refused
    Round.objects.filter(pk=round.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    client.post(
        reverse("admin:legislation_round_changelist"),
        {"action": "close_rounds", "_selected_action": [round.pk]},
    )
    round.refresh_from_db()
    assert round.is_closed and round.activity.participations.count() == 1


def test_county_staff_cannot_close_a_city_round(client, other_staff, round):
    Round.objects.filter(pk=round.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    client.force_login(other_staff)
    client.post(
        reverse("admin:legislation_round_changelist"),
        {"action": "close_rounds", "_selected_action": [round.pk]},
    )
    assert client.post(reverse("admin:legislation_round_close", args=[round.pk])).status_code == 404
    round.refresh_from_db()
    assert not round.is_closed


def test_the_round_list_counts_in_fixed_queries(
    client, city_staff, round, invited, comment, django_assert_max_num_queries
):
    client.force_login(city_staff)
    # session, user, count, the page of rounds (with version and project), the page's
    # invited/commented counts (one grouped query), and the admin's own (filters).
    with django_assert_max_num_queries(10):
        page = client.get(reverse("admin:legislation_round_changelist")).content.decode()
    assert "1 / 1" in page


def test_every_legislation_admin_writes_only_through_a_service(rf, city_staff):
    from django.contrib import admin as django_admin

    request = rf.get("/")
    request.user = city_staff
    for model, model_admin in django_admin.site._registry.items():
        if model._meta.app_label != "legislation":
            continue
        writes = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        assert not writes or model_admin.save_service is not None, model
        assert not model_admin.has_delete_permission(request), model


def test_staff_add_a_contact_point_in_their_region_only(client, other_staff, linzhou, anyang):
    client.force_login(other_staff)
    url = reverse("admin:legislation_contactpoint_add")
    client.post(url, {"name": "林州市联系点", "region": linzhou.pk})
    client.post(url, {"name": "市级联系点", "region": anyang.pk})
    assert list(ContactPoint.objects.values_list("name", flat=True)) == ["林州市联系点"]


def test_the_comment_list_in_fixed_queries(
    client, city_staff, round, invited, deputy_user, django_assert_max_num_queries
):
    for n in range(1, 6):
        services.comment_submit(
            round=round, article=round.version.articles.get(number=n), text="意见", by=deputy_user
        )
    client.force_login(city_staff)
    # session, user, count, the page of comments (with article, deputy, contact point and
    # linked article joined), the round filter's choices, and the admin's own.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("admin:legislation_comment_changelist")).content.decode()
    assert page.count("第一条") >= 1 and page.count("张华") == 5


def test_the_round_and_version_pages(client, city_staff, round, invited, comment, project):
    client.force_login(city_staff)
    page = client.get(reverse("admin:legislation_round_change", args=[round.pk])).content.decode()
    assert "张华" in page and reverse("admin:legislation_round_invite", args=[round.pk]) in page
    assert reverse("legislation:public", args=[round.pk]) in page
    assert "结束征询" not in page  # not before the deadline
    version = round.version
    url = reverse("admin:legislation_project_version", args=[project.pk, version.pk])
    assert client.get(url).content.decode().count('class="art"') == 32
    page = client.get(reverse("admin:legislation_project_change", args=[project.pk])).content
    assert f"?version={version.pk}" in page.decode()
