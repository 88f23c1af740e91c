"""No input gives a server error: every livelihood page and admin page, as each role, with
parameters that are not what the page expects (words for ids, NUL bytes, huge numbers)."""

import pytest
from django.test import Client
from django.urls import reverse

from livelihood import services

JUNK = ["abc", "\x00", "-1", "9" * 30, "1.5", ""]


@pytest.fixture
def pages(open_poll, city_staff, deputy_user):
    [(_p, token)] = services.passes_issue(
        poll=open_poll, by=city_staff, persons=[deputy_user.deputy]
    )
    pk = open_poll.pk
    return [
        reverse("livelihood:index"),
        reverse("livelihood:ballot", args=[pk]),
        reverse("livelihood:pass_ballot", args=[token]),
        reverse("livelihood:pass_ballot", args=["\x00" * 3]),
        reverse("livelihood:result", args=[pk]),
        reverse("livelihood:receipt_check"),
        reverse("livelihood:projects"),
        reverse("livelihood:project", args=[10**9]),
        reverse("livelihood:report", args=[10**9]),
        reverse("livelihood:photo", args=[10**9]),
        reverse("livelihood:milestone_done", args=[10**9]),
        reverse("livelihood:unit_projects"),
        reverse("livelihood:suggest", args=[open_poll.round_id]),
        *(
            reverse(f"admin:livelihood_poll_{name}", args=[pk])
            for name in ("turnout", "paper", "passes", "result", "change")
        ),
        reverse("admin:livelihood_poll_step", args=[pk, "close"]),
        *(
            reverse(f"admin:livelihood_{model}_changelist")
            for model in (
                "round",
                "suggestion",
                "candidate",
                "poll",
                "polltransition",
                "participation",
                "project",
                "progressreport",
                "suggestiontransition",
                "projectchange",
            )
        ),
    ]


@pytest.mark.parametrize("who", [None, "deputy_user", "unit_staff", "city_staff", "county_staff"])
def test_no_page_answers_junk_with_a_server_error(request, pages, who):
    client = Client(raise_request_exception=False)
    if who:
        client.force_login(request.getfixturevalue(who))
    for value in JUNK:
        params = {
            "poll": value,
            "person": value,
            "q": value,
            "code": value,
            "candidate": value,
            f"grade-{value}": value,
            "invalid": value,
            "year": value,
            "behind": value,
            "round__year": value,
            "status": value,
            "p": value,
        }
        for path in pages:
            assert client.get(path, params).status_code < 500, (who, path, value)
            posted = client.post(path, params)
            assert posted.status_code < 500, (who, path, value)
