"""The portal pages each role uses: what they show, to whom, and in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Assignment, Suggestion

from . import factories as f

pytestmark = pytest.mark.django_db


def test_deputy_writes_a_draft_on_the_portal_and_submits_it(client, deputy_user):
    client.force_login(deputy_user)
    response = client.post(
        reverse("proposals:new"),
        {"title": f.TITLE, "body": f.BODY, "category": "urban"},
    )
    s = Suggestion.objects.get()
    assert response.url == reverse("proposals:detail", args=[s.pk])
    assert s.status == Suggestion.Status.DRAFT
    page = client.get(response.url).content.decode()
    assert f.TITLE in page and "提交" in page
    client.post(reverse("proposals:submit", args=[s.pk]))
    s.refresh_from_db()
    assert s.status == Suggestion.Status.SUBMITTED


def test_deputy_list_shows_own_and_cosigned_in_constant_queries(
    client, deputy_user, other_deputy_user, django_assert_num_queries
):
    for i in range(3):
        f.submitted(deputy_user, title=f"关于第{i}个问题的建议")
    client.force_login(deputy_user)
    # session, user, person, suggestions (with lead, region, session, term), invitations,
    # the shell's unread-notification count
    with django_assert_num_queries(6):
        response = client.get(reverse("proposals:index"))
    assert response.content.decode().count("关于第") == 3
    f.submitted(deputy_user, title="关于第9个问题的建议")
    with django_assert_num_queries(6):
        client.get(reverse("proposals:index"))


def test_unit_inbox_lists_only_its_unit_in_constant_queries(
    client, deputy_user, city_staff, unit_staff, other_unit_staff, django_assert_num_queries
):
    for i in range(3):
        f.assigned(deputy_user, city_staff, unit_staff.organisation, title=f"关于第{i}条道路的建议")
    f.assigned(deputy_user, city_staff, other_unit_staff.organisation, title="别的单位的建议")
    client.force_login(unit_staff)
    # session, user, the page's count, the page of assignments with suggestions, the two
    # counts, unread notifications
    with django_assert_num_queries(7):
        page = client.get(reverse("proposals:unit_inbox")).content.decode()
    assert page.count("条道路的建议") == 3
    assert "别的单位的建议" not in page


def test_detail_page_in_constant_queries(
    client, deputy_user, city_staff, unit_staff, django_assert_num_queries
):
    s = f.answered(deputy_user, city_staff, unit_staff, grade="B")
    client.force_login(deputy_user)
    url = reverse("proposals:detail", args=[s.pk])
    client.get(url)
    # session, user, suggestion (+lead, region, term, session, merged_into, supervisor), then one
    # prefetch each: co-signers, assignments, their contacts, their extension requests, replies,
    # commitments, commitment files, reply files, feedback, history, attachments, evaluations,
    # supervision events, merged suggestions; the person of the user; unread notifications
    with django_assert_num_queries(19):
        page = client.get(url).content.decode()
    assert "年底前完成审批流程简化" in page
    assert "满意" in page
    # More rows on the page (an evaluation request, a second feedback round) change nothing.
    services.feedback_give(suggestion=s, by=deputy_user, verdict="basic", ask_evaluation=True)
    with django_assert_num_queries(19):
        client.get(url)


def test_outsiders_get_404_on_every_suggestion_page(
    client, deputy_user, other_deputy_user, outsider, unit_staff, other_unit_staff, city_staff
):
    s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    a = s.assignments.get()
    for user in (other_deputy_user, outsider, other_unit_staff):
        client.force_login(user)
        assert client.get(reverse("proposals:detail", args=[s.pk])).status_code == 404
    client.force_login(other_unit_staff)
    assert client.get(reverse("proposals:unit_assignment", args=[a.pk])).status_code == 404
    client.force_login(unit_staff)
    assert client.get(reverse("proposals:unit_assignment", args=[a.pk])).status_code == 200


def test_unit_replies_through_its_workspace(client, deputy_user, city_staff, unit_staff):
    s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    a = s.assignments.get()
    client.force_login(unit_staff)
    url = reverse("proposals:unit_assignment", args=[a.pk])
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    reply = {
        "action": "reply",
        "grade": "B",
        "text": "正在推进",
        "signed_by": "",
        "c-TOTAL_FORMS": "3",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "10",
        "c-0-text": "六月底前完成改造",
        "c-0-due_date": due,
    }
    response = client.post(url, reply, follow=True)
    assert "请先联系代表并登记，再作答复" in response.content.decode()
    assert not s.replies.exists()
    client.post(
        url,
        {
            "action": "contact",
            "contacted_on": dt.date.today().isoformat(),
            "method": "phone",
            "notes": "电话沟通",
        },
    )
    client.post(url, reply)
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ANSWERED
    assert s.replies.get().commitments.get().text == "六月底前完成改造"
    assert Assignment.objects.get(pk=a.pk).status == Assignment.Status.DONE


def test_portal_home_panel_by_role(client, deputy_user, city_staff, unit_staff, pool):
    s = f.answered(deputy_user, city_staff, unit_staff)
    client.force_login(deputy_user)
    page = client.get(reverse("portal")).content.decode()
    assert "等待您反馈" in page or s.title in page
    client.force_login(unit_staff)
    page = client.get(reverse("portal")).content.decode()
    assert reverse("proposals:unit_inbox") in page
    services.feedback_give(suggestion=s, by=deputy_user, verdict="basic")
    services.evaluation_send(suggestion=s, by=city_staff, reason="basic", evaluator=pool)
    client.force_login(pool)
    page = client.get(reverse("portal")).content.decode()
    assert s.title in page


def test_evaluator_cases_and_unit_commitments_in_constant_queries(
    client, deputy_user, city_staff, unit_staff, pool, django_assert_num_queries
):
    def one_more(i):
        s = f.answered(
            deputy_user, city_staff, unit_staff, grade="B", title=f"关于第{i}个评估案例的建议"
        )
        services.feedback_give(suggestion=s, by=deputy_user, verdict="basic")
        services.evaluation_send(suggestion=s, by=city_staff, reason="basic", evaluator=pool)

    one_more(0)
    client.force_login(pool)
    # session, user, cases with their suggestions and leads, unread notifications
    with django_assert_num_queries(4):
        client.get(reverse("proposals:evaluations"))
    client.force_login(unit_staff)
    # session, user, the page's count, commitments with their suggestions, unread notifications
    with django_assert_num_queries(5):
        client.get(reverse("proposals:unit_commitments"))
    one_more(1)
    one_more(2)
    client.force_login(pool)
    with django_assert_num_queries(4):
        page = client.get(reverse("proposals:evaluations")).content.decode()
    assert page.count("个评估案例的建议") == 3
    client.force_login(unit_staff)
    with django_assert_num_queries(5):
        page = client.get(reverse("proposals:unit_commitments")).content.decode()
    assert page.count("年底前完成审批流程简化") == 3
