"""Suggestions brought to a state through the services themselves, as people would."""

from __future__ import annotations

import datetime as dt

from proposals import services
from proposals.models import Assignment, Suggestion

TITLE = "关于加快老旧小区加装电梯的建议"
BODY = "我市老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼困难。建议简化加装电梯审批流程，加大财政补贴力度。"


def draft(
    deputy_user, *, title: str = TITLE, body: str = BODY, category: str = "urban"
) -> Suggestion:
    return services.suggestion_create(by=deputy_user, title=title, body=body, category=category)


def submitted(deputy_user, **kwargs) -> Suggestion:
    s = draft(deputy_user, **kwargs)
    return services.suggestion_submit(suggestion=s, by=deputy_user)


def registered(deputy_user, staff, **kwargs) -> Suggestion:
    s = submitted(deputy_user, **kwargs)
    return services.suggestion_register(suggestion=s, by=staff)


def assigned(deputy_user, staff, lead, co_units=(), **kwargs) -> Suggestion:
    s = registered(deputy_user, staff, **kwargs)
    services.suggestion_assign(suggestion=s, by=staff, lead=lead, co_units=co_units)
    return Suggestion.objects.get(pk=s.pk)


def lead_assignment(s: Suggestion) -> Assignment:
    return s.assignments.get(role=Assignment.Role.LEAD, round=s.round, status__in=["open", "done"])


def answered(
    deputy_user, staff, unit_staff, *, grade: str = "A", commitments=(), **kwargs
) -> Suggestion:
    s = assigned(deputy_user, staff, unit_staff.organisation, **kwargs)
    reply(s, unit_staff, grade=grade, commitments=commitments)
    return Suggestion.objects.get(pk=s.pk)


def reply(s: Suggestion, unit_staff, *, grade: str = "A", commitments=()):
    a = s.assignments.get(unit=unit_staff.organisation, round=s.round, status="open")
    services.contact_record(
        assignment=a,
        by=unit_staff,
        contacted_on=dt.date.today(),
        method="phone",
        notes="电话沟通办理思路",
    )
    if grade == "B" and not commitments:
        commitments = [("年底前完成审批流程简化", dt.date.today() + dt.timedelta(days=60))]
    return services.reply_give(
        assignment=a, by=unit_staff, text="经研究，答复如下……", grade=grade, commitments=commitments
    )
