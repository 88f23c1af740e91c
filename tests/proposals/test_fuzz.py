"""No input gives a 500 on the suggestions' pages: non-numeric ids give 404, NUL bytes and
malformed filters are refused or ignored, for every role that reaches the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from proposals import services

from . import factories as f

pytestmark = pytest.mark.django_db

MODELS = [
    "suggestion",
    "extensionrequest",
    "assignment",
    "commitment",
    "feedback",
    "evaluation",
    "evaluatorappointment",
    "supervisionevent",
    "transition",
]
BAD_IDS = ["abc", "1abc", "%00", "-1", "1.5", "99999999999999999999999", "١٢"]
BAD_VALUES = ["abc", "\x00", "%00", "-1", "9999-12-99", "' OR 1=1 --", "9" * 30, ""]


def _ok(response):
    assert response.status_code < 500, response


def test_admin_ids_and_parameters(client, city_staff, county_staff, deputy_user, unit_staff):
    s = f.assigned(deputy_user, city_staff, unit_staff.organisation)
    for user in (city_staff, county_staff):
        client.force_login(user)
        for model in MODELS:
            base = f"/admin/proposals/{model}/"
            for bad in BAD_IDS:
                for tail in ("change/", "history/", "delete/"):
                    _ok(client.get(f"{base}{bad}/{tail}"))
            if user is county_staff:
                for value in BAD_VALUES:
                    for param in ("q", "status", "year", "region", "p", "o", "due_date__gte"):
                        _ok(client.get(base, {param: value}))
        for bad in BAD_IDS:
            response = client.get(f"/admin/proposals/suggestion/{bad}/change/")
            assert response.status_code in (
                302,
                400,
                404,
            )  # 400: a NUL, refused by anping.web.middleware
        assert client.get("/admin/proposals/suggestion/abc/change/").status_code == 404
        for value in BAD_VALUES:
            _ok(client.get(reverse("admin:proposals_suggestion_assign"), {"ids": value}))
            for do in ("repeat", "merge_into", "merge_here", value):
                _ok(
                    client.post(
                        reverse("admin:proposals_suggestion_similar", args=[s.pk]),
                        {"do": do, "other": value, "score": value},
                    )
                )
            _ok(
                client.post(
                    reverse("admin:proposals_suggestion_review", args=[s.pk]), {"decision": value}
                )
            )
            _ok(
                client.post(
                    reverse("admin:proposals_suggestion_key", args=[s.pk]), {"supervisor": value}
                )
            )
        for action in ("register_selected", "merge_selected", "choose_key", "nonsense"):
            _ok(
                client.post(
                    reverse("admin:proposals_suggestion_changelist"),
                    {"action": action, "_selected_action": ["abc", "\x00"], "apply": "1"},
                )
            )


def test_portal_parameters(client, deputy_user, city_staff, unit_staff, evaluator):
    s = f.answered(deputy_user, city_staff, unit_staff, grade="B")
    a = s.assignments.get()
    client.force_login(unit_staff)
    for path in (reverse("proposals:unit_inbox"), reverse("proposals:unit_commitments")):
        for value in BAD_VALUES:
            for param in ("page", "q", "show", "due_from", "due_to", "overdue_days"):
                _ok(client.get(path, {param: value}))
    for value in BAD_VALUES:
        _ok(client.post(reverse("proposals:unit_assignment", args=[a.pk]), {"action": value}))
        _ok(
            client.post(
                reverse("proposals:unit_assignment", args=[a.pk]),
                {"action": "reply", "grade": value, "text": value, "c-TOTAL_FORMS": value},
            )
        )
        _ok(client.post(reverse("proposals:unit_fulfil", args=[1]), {"done_on": value}))
    client.force_login(deputy_user)
    d = f.draft(deputy_user, title="关于增设路灯的建议")
    for value in BAD_VALUES:
        _ok(client.get(reverse("proposals:invite", args=[d.pk]), {"q": value}))
        assert client.post(
            reverse("proposals:invite", args=[d.pk]), {"person": value}
        ).status_code in (302, 400, 404)  # 400: a NUL, refused by anping.web.middleware
        _ok(client.post(reverse("proposals:cosign", args=[d.pk]), {"accept": value}))
        _ok(
            client.post(
                reverse("proposals:feedback", args=[s.pk]), {"verdict": value, "comment": value}
            )
        )
        _ok(client.post(reverse("proposals:ask_evaluation", args=[s.pk]), {"note": value}))
    for bad in BAD_IDS:
        for prefix in ("/proposals/", "/proposals/unit/", "/proposals/evaluations/"):
            _ok(client.get(f"{prefix}{bad}/"))
    services.suggestion_submit(suggestion=d, by=deputy_user)
