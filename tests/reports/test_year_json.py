"""The year page's figures as data: /reports/year/<year>.json, scoped like the page."""

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from anping.reports import yearbook

pytestmark = pytest.mark.django_db

DENIED = ["deputy_user", "unit_staff", "evaluator", "outsider"]
README = Path(__file__).resolve().parents[2] / "README.md"


def page_figures(body: str) -> dict:
    """Every figure the page shows, by the key its cell names: "1,234" → 1234, "75.0%" → 75.0,
    "—" (a rate of nothing) → 0.0."""
    found = {}
    for keys, text in re.findall(r'data-figures="([^"]*)">([^<]*)</td>', body):
        keys, parts = keys.split(), html.unescape(text).split(" / ")
        assert len(keys) == len(parts), (keys, parts)
        for key, part in zip(keys, parts, strict=True):
            if part.endswith("%"):
                found[key] = float(part[:-1])
            elif part == "—":
                found[key] = 0.0
            else:
                found[key] = int(part.replace(",", ""))
    return found


def test_the_json_holds_every_figure_of_the_page_with_the_same_numbers(
    client, full_world, city_staff
):
    client.force_login(city_staff)
    page = page_figures(client.get("/reports/year/2026/").content.decode())
    response = client.get("/reports/year/2026.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["year"] == 2026 and data["scope"] == "410500"
    assert data["figures"] == page
    assert list(data["figures"]) == yearbook.all_keys()
    assert all(type(v) in (int, float) for v in data["figures"].values())
    figs = data["figures"]
    # Counted by hand from the world: 甲 乙 丙 丁 in office at the year's end, 甲 twice.
    assert (figs["deputies_persons"], figs["deputies_mandates"]) == (4, 5)
    assert (figs["deputies_persons_city"], figs["deputies_mandates_county"]) == (2, 1)
    # Five activities in 2026, an inspection in 文峰区 and one in 林州市 (April), one survey.
    assert figs["activities_total"] == 5 and figs["inspections_and_surveys"] == 3
    assert figs["budget_reviews"] == 1 and figs["budget_review_deputies"] == 2
    assert figs["budget_opinions_adoption_rate"] == 50.0
    assert figs["opinions_collected"] == 5 and figs["problems_solved"] == 2
    assert figs["suggestions_filed"] == 5  # all five were submitted in 2026
    # Feedback of 2026: satisfied, not satisfied, basic → 2 of 3 satisfied or basically.
    assert figs["satisfaction_rate"] == 66.7
    # No year-end rating yet: a rate of nothing is 0 here, "—" on the page.
    assert figs["livelihood_rating_rate"] == 0.0
    assert figs["livelihood_projects"] == 2


def test_county_staff_get_their_county(client, full_world, county_staff):
    client.force_login(county_staff)
    data = client.get("/reports/year/2026.json").json()
    assert data["scope"] == "410581"
    # 乙 (a city deputy from 林州市) and 丙 (township); 戊 resigned in February.
    assert data["figures"]["deputies_persons"] == 2
    assert data["figures"]["activities_total"] == 3
    assert data["figures"] == page_figures(client.get("/reports/year/2026/").content.decode())
    assert client.get("/reports/year/2026.json?region=410500").status_code == 404
    assert client.get("/reports/year/2026.json?region=410502").status_code == 404


def test_city_staff_may_ask_for_a_county(client, full_world, city_staff):
    client.force_login(city_staff)
    data = client.get("/reports/year/2026.json?region=410502").json()
    assert data["scope"] == "410502"
    assert data["figures"]["deputies_persons"] == 2  # 甲 and 丁


@pytest.mark.parametrize("who", DENIED)
def test_anyone_but_committee_staff_gets_404(client, request, full_world, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/reports/year/2026.json").status_code == 404


def test_anonymous_is_sent_to_login_as_for_the_page(client, full_world):
    for url in ("/reports/year/2026.json", "/reports/year/2026/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    "url",
    [
        "/reports/year/abc.json",
        "/reports/year/9999.json",
        "/reports/year/1999.json",
        "/reports/year/0.json",
        "/reports/year/9999/",
        "/reports/year/abc/",
        "/reports/year/2026.json?region=%00",
        "/reports/year/2026.json?region=abc",
    ],
)
def test_a_year_or_region_not_there_is_404_never_500(client, city_staff, url):
    client.force_login(city_staff)
    # A NUL never reaches the view: anping.web.middleware answers a Chinese 400 page first.
    assert client.get(url).status_code == (400 if "%00" in url else 404)


def test_a_year_with_no_records_is_all_zeros(client, city_staff):
    client.force_login(city_staff)
    data = client.get("/reports/year/2030.json").json()
    assert set(data["figures"]) == set(yearbook.all_keys())
    assert set(data["figures"].values()) == {0}


def test_every_key_is_snake_case_and_names_one_figure():
    keys = yearbook.all_keys()
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", k) for k in keys)


def test_a_section_registered_with_a_key_already_taken_is_refused():
    section = yearbook.SectionSpec(
        "extra",
        "x",
        lambda ctx: {},
        (yearbook.LineSpec("x", (yearbook.Fig("deputies_persons", "n"),)),),
    )
    with pytest.raises(ValueError, match="deputies_persons"):
        yearbook.register(section)
    assert "extra" not in [s.key for s in yearbook.SECTIONS]


def test_a_registered_section_reaches_the_page_and_the_json(client, world, city_staff):
    section = yearbook.SectionSpec(
        "extra",
        "附加",
        lambda ctx: {"n": 7},
        (yearbook.LineSpec("附加数字", (yearbook.Fig("extra_figure", "n"),)),),
    )
    yearbook.register(section, after="deputies")
    try:
        assert [s.key for s in yearbook.SECTIONS][:2] == ["deputies", "extra"]
        client.force_login(city_staff)
        assert client.get("/reports/year/2026.json").json()["figures"]["extra_figure"] == 7
        assert (
            'data-figures="extra_figure">7<' in client.get("/reports/year/2026/").content.decode()
        )
    finally:
        yearbook.SECTIONS.remove(section)


def test_the_readme_lists_every_key_once():
    text = README.read_text(encoding="utf-8").split("## The year in figures as data")[1]
    text = text.split("\n## ")[0]
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.M)
    assert sorted(listed) == sorted(yearbook.all_keys())


def test_the_json_costs_the_same_queries_whatever_the_data(client, full_world, city_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.models import Activity, Participation

    client.force_login(city_staff)
    client.get("/reports/year/2026.json")  # the session and the user, cached from here on
    with CaptureQueriesContext(connection) as before:
        client.get("/reports/year/2026.json")
    people = list(full_world.people.values())
    for i in range(20):
        act = Activity.objects.create(
            kind="publicity",
            title=f"宣讲{i}",
            date=dt.date(2026, 5, 1 + i),
            region=full_world.linzhou,
            committee=full_world.committee,
        )
        Participation.objects.bulk_create(
            [Participation(activity=act, person=p, date=act.date) for p in people[:3]]
        )
    # Session, user, the scopes (regions), the monthly figures' grouped aggregates (by area),
    # then each section's own aggregates: a fixed list, whatever the year holds.
    with CaptureQueriesContext(connection) as after:
        data = client.get("/reports/year/2026.json").json()
    assert len(after.captured_queries) == len(before.captured_queries)
    assert data["figures"]["publicity_sessions"] == 21


def test_every_link_of_the_year_page_opens_its_records(client, full_world, city_staff):
    client.force_login(city_staff)
    body = client.get("/reports/year/2026/").content.decode()
    links = sorted(set(html.unescape(u) for u in re.findall(r'<a href="(/admin/[^"]+)"', body)))
    assert len(links) > 10
    broken = [u for u in links if client.get(u).status_code != 200]
    assert broken == []
