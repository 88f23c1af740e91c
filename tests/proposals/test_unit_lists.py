"""The unit's lists are paged, searchable and filtered by deadline and days overdue, and show as
cards on a phone; a co-unit with no account is named at assignment and to the lead unit; the
smaller defects of the forms."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from proposals import services, views
from proposals.models import Commitment, Reply, Suggestion

from . import factories as f

pytestmark = pytest.mark.django_db


def test_inbox_pages_searches_and_filters(client, monkeypatch, deputy_user, city_staff, unit_staff):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    past = dt.date.today() - dt.timedelta(days=250)
    with time_machine.travel(dt.datetime(past.year, past.month, past.day, 9, 0), tick=False):
        f.assigned(deputy_user, city_staff, unit_staff.organisation, title="关于修缮旧城墙的建议")
    for title in ("关于增设公交站的建议", "关于整治噪声扰民的建议"):
        f.assigned(deputy_user, city_staff, unit_staff.organisation, title=title)
    client.force_login(unit_staff)
    url = reverse("proposals:unit_inbox")
    page = client.get(url).content.decode()
    assert "共 3 件" in page and "第 1 页，共 2 页" in page
    assert sum(t in page for t in ("旧城墙", "公交站", "噪声")) == 2 and "page=2" in page
    second = client.get(url, {"page": 2}).content.decode()
    assert sum(t in second for t in ("旧城墙", "公交站", "噪声")) == 1
    assert "共 3" in client.get(url, {"page": "abc"}).content.decode()
    page = client.get(url, {"q": "公交"}).content.decode()
    assert "公交站" in page and "旧城墙" not in page and "噪声" not in page
    # The old one is overdue (due about three months after `past`) by at least 30 days.
    page = client.get(url, {"overdue_days": 30}).content.decode()
    assert "旧城墙" in page and "公交站" not in page
    today = dt.date.today()
    page = client.get(url, {"due_from": today.isoformat()}).content.decode()
    assert "旧城墙" not in page and "公交站" in page
    until = (past + dt.timedelta(days=150)).isoformat()
    page = client.get(url, {"due_to": until, "show": "all"}).content.decode()
    assert "旧城墙" in page and "公交站" not in page
    # Malformed filters are not applied, and said so.
    page = client.get(url, {"due_from": "2026-13-45"}).content.decode()
    assert "旧城墙" in page and "公交站" in page
    # A phone sees cards: the table carries the card class and each cell its label.
    assert 'class="data cards"' in page and 'data-label="' in page
    assert "proposals/lists.css" in page


def test_commitments_page_and_filter(client, monkeypatch, deputy_user, city_staff, unit_staff):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    today = dt.date.today()
    past = today - dt.timedelta(days=100)
    with time_machine.travel(dt.datetime(past.year, past.month, past.day, 9, 0), tick=False):
        f.answered(
            deputy_user,
            city_staff,
            unit_staff,
            grade="B",
            commitments=[("三月底前完成管网排查", past + dt.timedelta(days=10))],
        )
    f.answered(
        deputy_user,
        city_staff,
        unit_staff,
        grade="B",
        title="关于学校周边交通的建议",
        commitments=[
            ("年底前增设信号灯", today + dt.timedelta(days=20)),
            ("明年开学前施划斑马线", today + dt.timedelta(days=200)),
        ],
    )
    client.force_login(unit_staff)
    url = reverse("proposals:unit_commitments")
    page = client.get(url).content.decode()
    assert "page=2" in page
    page = client.get(url, {"show": "overdue"}).content.decode()
    assert "管网排查" in page and "信号灯" not in page and "逾期" in page
    page = client.get(url, {"q": "斑马线"}).content.decode()
    assert "斑马线" in page and "信号灯" not in page
    page = client.get(url, {"overdue_days": 10}).content.decode()
    assert "管网排查" in page and "斑马线" not in page


def test_co_unit_without_accounts_is_named_at_assignment_and_to_the_lead_unit(
    client, deputy_user, city_staff, unit_staff, unit3
):
    s = f.registered(deputy_user, city_staff)
    client.force_login(city_staff)
    response = client.post(
        reverse("admin:proposals_suggestion_assign") + f"?ids={s.pk}",
        {"mode": "lead", "lead": unit_staff.organisation_id, "co_units": [unit3.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "安阳市财政局" in page and "没有账号" in page
    page = client.get(reverse("admin:proposals_suggestion_change", args=[s.pk])).content.decode()
    assert "没有账号" in page
    lead = s.assignments.get(role="lead")
    services.contact_record(
        assignment=lead, by=unit_staff, contacted_on=dt.date.today(), method="phone", notes="沟通"
    )
    client.force_login(unit_staff)
    page = client.get(reverse("proposals:unit_assignment", args=[lead.pk])).content.decode()
    assert "安阳市财政局" in page and "没有账号" in page
    assert 'value="reply"' not in page
    assert not services.may_reply(lead, unit_staff)


def test_the_assign_and_contact_forms_label_how_each_their_way(
    client, deputy_user, city_staff, unit_staff
):
    s = f.registered(deputy_user, city_staff)
    client.force_login(city_staff)
    page = client.get(reverse("admin:proposals_suggestion_assign") + f"?ids={s.pk}")
    assert "交办方式" in page.content.decode() and "联系方式" not in page.content.decode()
    services.suggestion_assign(suggestion=s, by=city_staff, lead=unit_staff.organisation)
    client.force_login(unit_staff)
    a = s.assignments.get()
    page = client.get(reverse("proposals:unit_assignment", args=[a.pk])).content.decode()
    assert "联系方式" in page


def test_an_eleventh_commitment_is_refused(client, deputy_user, city_staff, unit_staff):
    s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    a = s.assignments.get()
    services.contact_record(
        assignment=a, by=unit_staff, contacted_on=dt.date.today(), method="phone", notes="沟通"
    )
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    data = {
        "action": "reply",
        "grade": "B",
        "text": "正在推进",
        "c-TOTAL_FORMS": "11",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "10",
    }
    for i in range(11):
        data[f"c-{i}-text"] = f"第{i + 1}项承诺"
        data[f"c-{i}-due_date"] = due
    client.force_login(unit_staff)
    page = client.post(reverse("proposals:unit_assignment", args=[a.pk]), data).content.decode()
    assert "最多" in page
    assert not Reply.objects.exists() and not Commitment.objects.exists()
    assert Suggestion.objects.get(pk=s.pk).status == Suggestion.Status.ASSIGNED
    with pytest.raises(services.DomainError, match="最多"):
        services.reply_give(
            assignment=a,
            by=unit_staff,
            text="正在推进",
            grade="B",
            commitments=[(f"第{i}项", dt.date.today() + dt.timedelta(days=9)) for i in range(11)],
        )
