"""The legislation figures: counted from the records, by year and region, in a fixed number of
queries; on the year page too."""

from django.urls import reverse
from django.utils import timezone

from anping.reports import figures
from anping.reports.periods import Period
from legislation import services


def test_the_years_legislation_figures(
    round,
    invited,
    deputy_user,
    city_staff,
    law_deputies,
    anyang,
    linzhou,
    django_assert_max_num_queries,
):
    services.round_invite(round=round, persons=law_deputies, by=city_staff)
    article = round.version.articles.get(number=12)
    a = services.comment_submit(round=round, article=article, text="一", by=deputy_user)
    services.comment_submit(round=round, article=article, text="二", by=deputy_user)
    services.comment_answer(comment=a, outcome="adopted", reason="", by=city_staff)
    year = timezone.localdate(round.deadline).year
    scopes = figures.Scopes.load()
    # Four areas' worth of grouped queries for the legislation area: 4 × 2.
    with django_assert_max_num_queries(8):
        fig = figures.Figures()
        figures.legislation(Period.year(year), scopes, fig)
    city = anyang.path
    got = {code: fig.get(city, "legislation", code) for code in figures.legislation_figures.LABELS}
    assert got == {
        "drafts": 1,
        "rounds": 1,
        "deputies_invited": 4,
        "deputies_commented": 1,
        "comments": 2,
        "comments_adopted": 1,
    }
    # A city round counts for the city, not for a county.
    assert fig.get(linzhou.path, "legislation", "rounds") == 0
    # Another year has none.
    other = figures.Figures()
    figures.legislation(Period.year(year + 1), scopes, other)
    assert other.get(city, "legislation", "comments") == 0


def test_the_year_page_shows_them(client, round, invited, deputy_user, city_staff):
    services.comment_submit(
        round=round, article=round.version.articles.get(number=1), text="一", by=deputy_user
    )
    client.force_login(city_staff)
    year = timezone.localdate(round.deadline).year
    page = client.get(reverse("reports:year", args=[year])).content.decode()
    assert "1 / 1 / 1 / 1 / 0" in page
