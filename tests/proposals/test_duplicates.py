"""The duplicate finder proposes earlier suggestions on the same problem, for staff to confirm."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from proposals import services, similar
from proposals.models import RepeatLink

from . import factories as f

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))

OTHER = [
    (
        "关于加强农村饮水安全保障的建议",
        "部分村庄自来水水压不足，水质不稳定，建议加大农村供水工程投入。",
    ),
    ("关于完善殷墟景区交通配套的建议", "游客高峰期停车难，公交线路少，建议增开旅游专线。"),
    ("关于支持低空经济产业发展的建议", "建议出台低空经济扶持政策，建设通用机场配套设施。"),
]


def test_the_same_problem_a_year_later_is_proposed_first(
    deputy_user, other_deputy_user, city_staff, client
):
    with time_machine.travel(dt.datetime(2023, 3, 1, tzinfo=CST), tick=False):
        earlier = f.registered(deputy_user, city_staff)
        for title, body in OTHER:
            f.submitted(deputy_user, title=title, body=body)
    with time_machine.travel(dt.datetime(2024, 3, 1, tzinfo=CST), tick=False):
        again = f.registered(
            other_deputy_user,
            city_staff,
            title="关于老旧小区加装电梯的建议",
            body="老旧小区加装电梯审批难、补贴少，老年居民上下楼困难，建议简化审批。",
        )
    found = similar.similar_to(again, earlier_years=True)
    assert found and found[0].suggestion == earlier
    assert all(m.suggestion != again for m in found)
    client.force_login(city_staff)
    page = client.get(
        reverse("admin:proposals_suggestion_similar", args=[again.pk])
    ).content.decode()
    assert earlier.title in page
    client.post(
        reverse("admin:proposals_suggestion_similar", args=[again.pk]),
        {"do": "repeat", "other": earlier.pk, "score": found[0].score},
    )
    assert RepeatLink.objects.get().earlier == earlier


def test_unrelated_suggestions_are_not_proposed(deputy_user):
    for title, body in OTHER:
        f.submitted(deputy_user, title=title, body=body)
    assert similar.find_similar(title=f.TITLE, body=f.BODY, years=[dt.date.today().year]) == []


def test_a_later_year_is_never_the_earlier_one(deputy_user, city_staff):
    s = f.registered(deputy_user, city_staff)
    other = f.registered(deputy_user, city_staff, title="关于老旧小区加装电梯的建议（二）")
    with pytest.raises(services.DomainError):
        services.repeat_confirm(suggestion=s, earlier=other, similarity=0.9, by=city_staff)
