"""No input gives a 500: every URL pattern of the project with bad path values, and every GET
parameter the views read with bad values, as each role (anonymous, city staff, county staff,
deputy, unit staff, evaluator). A 500 is a bug; a 400, 403, 404, a redirect or the page
with a message are all answers.

Each area is one test (the walk is long; its setup is shared). A 500 found in another
engineer's area is listed in KNOWN with the app named; those cases run again in
`test_a_known_500_is_fixed`, marked xfail(strict=False) until their app's fix lands, so the
lead removes a mark (and its KNOWN line) after merging."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from tests.factories import make_deputy
from tests.url_walk import PARAM_VALUES, routes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "city", "county", "deputy", "unit", "evaluator"]
# In the admin every signed-in role without staff rights gets the same login redirect before
# any parameter is read: one of them (the deputy) stands for the three.
ADMIN_ROLES = ["anonymous", "city", "county", "deputy"]
GROUPS = sorted({route.group for route in routes()})

# (path or path?query) → the app whose code answers 500, and why. Only other apps' cases:
# the shared layer's are fixed.
KNOWN: dict[str, str] = {
    # A key ending in "?": any query string on that page.
}


def known(url: str) -> bool:
    return url in KNOWN or url.split("?")[0] + "?" in KNOWN


@pytest.fixture
def clients(city_staff, county_staff, deputy_user, unit_staff, evaluator, linzhou, wenfeng):
    # A little of everything for the pages to show: deputies in two counties.
    make_deputy(region=linzhou, name="林州代表", mobile="13800001111")
    make_deputy(region=wenfeng, name="文峰代表", mobile="13800002222")
    users = {
        "city": city_staff,
        "county": county_staff,
        "deputy": deputy_user,
        "unit": unit_staff,
        "evaluator": evaluator,
    }
    made = {"anonymous": Client(raise_request_exception=False)}
    for role, user in users.items():
        made[role] = Client(raise_request_exception=False)
        made[role].force_login(user)
    return made


def status_of(client: Client, url: str) -> int:
    """The status the URL answers, each request in a savepoint: a view whose query fails
    must not leave the test's transaction aborted for the next one."""
    try:
        with transaction.atomic():
            return client.get(url).status_code
    except DatabaseError:
        return 500  # the view's failing query surfaced when the savepoint was released


def walk(clients, urls, roles=None) -> list[str]:
    failures = []
    for url in urls:
        for role in roles or (ADMIN_ROLES if url.startswith("/admin/") else ROLES):
            if status_of(clients[role], url) >= 500 and not known(url):
                failures.append(f"{role} GET {url}")
    return failures


@pytest.mark.parametrize("group", GROUPS)
def test_no_path_value_gives_a_500(clients, group):
    urls = [path for route in routes() if route.group == group for path in route.paths()]
    assert walk(clients, urls) == []


def combined_urls(route) -> list[str]:
    """The route's page with every parameter it may read set to the same bad value at once."""
    base, names = route.paths()[0], route.params()
    return [f"{base}?{urlencode(dict.fromkeys(names, value))}" for value in PARAM_VALUES]


def single_urls(route, values) -> list[str]:
    """Each parameter alone with each value: an early parameter's redirect or message must
    not hide a later one's failure."""
    base = route.paths()[0]
    return [f"{base}?{urlencode({name: value})}" for name in route.params() for value in values]


@pytest.mark.parametrize("group", GROUPS)
def test_no_get_parameter_gives_a_500(clients, group):
    pages = [r for r in routes() if r.group == group and not r.converters]
    failures = []
    for route in pages:
        failures += walk(clients, combined_urls(route))
        if route.group.startswith("admin"):
            # Only staff get past the admin's login redirect; county staff's scope is the
            # narrowest, so the one-by-one walk runs as them, with a word where a number
            # belongs (the combined walk has tried every value).
            failures += walk(clients, single_urls(route, PARAM_VALUES[:1]), roles=["county"])
        else:
            failures += walk(clients, single_urls(route, PARAM_VALUES[:4]))
    assert failures == []


# The 500s the walk found in the apps' own code when it was written, each fixed since: they stay
# here as their regression cases (KNOWN holds any new one until its fix lands).
ONCE_FAILING = [
    "/admin/proposals/suggestion/abc/change/",
    "/admin/proposals/suggestion/a/b/change/",
    "/admin/proposals/suggestion/代表/change/",
    "/admin/deputies/person/export/?kind=abc",
    "/admin/deputies/person/export/?page=abc",
]


@pytest.mark.parametrize(
    "case",
    [pytest.param(url) for url in ONCE_FAILING]
    + [
        pytest.param(
            url + "kind=abc" if url.endswith("?") else url,  # a page-wide case: one query
            marks=pytest.mark.xfail(strict=False, reason=why),
        )
        for url, why in KNOWN.items()
    ],
)
def test_a_known_500_is_fixed(clients, case):
    assert all(status_of(clients[role], case) < 500 for role in ROLES)


@pytest.mark.urls("tests.anping.failing_urls")
def test_the_walk_sees_a_500(clients):
    assert walk(clients, ["/fail/"], roles=["anonymous"]) == ["anonymous GET /fail/"]


def test_the_walk_covers_every_area_and_the_parameters_views_read():
    from tests.url_walk import module_params

    groups = set(GROUPS)
    assert {"admin/accounts", "admin/proposals", "suggestions", "livelihood", "reports"} <= groups
    assert {"poll", "person", "month"} <= set().union(
        *(module_params(r.view_module) for r in routes())
    )
