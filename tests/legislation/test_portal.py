"""The deputy's pages (a phone, article by article) and the public page of a round."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from legislation import services
from legislation.models import Comment, Round


def test_an_invited_deputy_reads_the_draft_and_comments(client, deputy_user, round, invited):
    client.force_login(deputy_user)
    index = client.get(reverse("legislation:index")).content.decode()
    assert "安阳市小型生产经营场所消防安全管理条例" in index
    page = client.get(reverse("legislation:round", args=[round.pk])).content.decode()
    assert page.count('class="card art"') == 32
    url = reverse("legislation:article", args=[round.pk, 12])
    assert url in page
    response = client.post(url, {"text": "建议<b>细化</b>", "quote": "有关部门"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.article.number == 12 and comment.person == invited
    mine = client.get(reverse("legislation:round", args=[round.pk])).content.decode()
    assert "建议&lt;b&gt;细化&lt;/b&gt;" in mine and "<b>细化" not in mine


def test_the_round_page_in_fixed_queries(
    client, deputy_user, round, invited, django_assert_num_queries
):
    services.comment_submit(
        round=round, article=round.version.articles.get(number=1), text="一", by=deputy_user
    )
    client.force_login(deputy_user)
    # session, user, the round (visible_to), its articles, the deputy's comments, "may comment"
    # (the invitation), and the notifications shell (unread count).
    with django_assert_num_queries(7):
        client.get(reverse("legislation:round", args=[round.pk]))


def test_an_uninvited_deputy_and_outsiders_get_404(client, other_deputy_user, outsider, round):
    for user in (other_deputy_user, outsider):
        client.force_login(user)
        assert client.get(reverse("legislation:round", args=[round.pk])).status_code == 404
        response = client.post(
            reverse("legislation:article", args=[round.pk, 12]), {"text": "意见"}
        )
        assert response.status_code == 404
    assert not Comment.objects.exists()


def test_after_the_deadline_the_form_is_gone_and_a_post_is_refused(
    client, deputy_user, round, invited
):
    Round.objects.filter(pk=round.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(deputy_user)
    url = reverse("legislation:article", args=[round.pk, 12])
    assert 'name="text"' not in client.get(url).content.decode()
    response = client.post(url, {"text": "迟到的意见"}, follow=True)
    assert "截止" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.fixture
def sms(settings, tmp_path):
    settings.SMS_BACKEND = "anping.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


def test_the_public_page_takes_a_verified_comment_and_never_lists_them(client, round, sms):
    url = reverse("legislation:public", args=[round.pk])
    page = client.get(url).content.decode()
    assert page.count('class="card art"') == 32
    client.post(reverse("legislation:public_code", args=[round.pk]), {"phone": "13900000009"})
    text = json.loads(sms.read_text(encoding="utf-8").splitlines()[-1])["text"]
    code = "".join(ch for ch in text if ch.isdigit())[:6]
    article = round.version.articles.get(number=3)
    client.post(
        url,
        {"article": article.pk, "text": "公众意见甲", "phone": "13900000009", "code": code},
    )
    comment = Comment.objects.get()
    assert comment.channel == Comment.Channel.PUBLIC and comment.article == article
    assert "公众意见甲" not in client.get(url).content.decode()


def test_a_round_not_open_to_the_public_has_no_public_page(client, round):
    Round.objects.filter(pk=round.pk).update(is_public=False)
    assert client.get(reverse("legislation:public", args=[round.pk])).status_code == 404
    assert client.get("/legislation/p/abc/").status_code == 404


def test_the_deputys_list_in_fixed_queries(
    client, deputy_user, round, invited, django_assert_num_queries
):
    client.force_login(deputy_user)
    # session, user, the rounds with the deputy's comment counts, the notifications shell.
    with django_assert_num_queries(4):
        page = client.get(reverse("legislation:index")).content.decode()
    assert "征求意见稿" in page


def test_after_the_round_the_public_sees_how_comments_were_handled(client, round, city_staff):
    from legislation.models import ContactPoint

    point = ContactPoint.objects.create(name="联系点", region=round.version.project.region)
    for text in ("甲", "乙"):
        c = services.comment_enter(
            round=round, article=None, contact_point=point, text=text, by=city_staff
        )
    services.comment_answer(comment=c, outcome="adopted", reason="", by=city_staff)
    services.round_close(round=round, by=city_staff, now=round.deadline + dt.timedelta(hours=1))
    page = client.get(reverse("legislation:public", args=[round.pk])).content.decode()
    assert "共收到意见 2 条：采纳 1 条" in page
    assert 'name="code"' not in page  # no form once closed
    assert "甲" not in page
