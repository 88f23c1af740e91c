"""Demo data for Anyang's 2024 "deputies in action" campaign (为人民履职、为中原添彩), shaped so
that the figures of the city's report of 23 September 2024 come out of the records: 300+
inspections and surveys, 2,000+ opinions of which 1,600+ solved, 5 professional stations
co-built by city and county with 4 provincial deputies from 鹤壁市 and 濮阳市 in one, 15 city
groups with 135 deputies, 89 county and township groups in 6 categories with 1,085 deputies,
65 law and fire-safety deputies in a legislation consultation with 54 suggestions, 107 deputies
in 9 budget reviews with 60+ opinions 85% adopted, 160+ publicity sessions with 265 ideas,
94 deputies in 11 stations hearing 12 department heads, and 12 measures all carried out.
Then the current year to date, month by month.

The steps, in the order they read the shared random source:
  world.load                  regions, organisations, the roster as this module needs it
  setup.seed_campaign         the campaign and its 12 measures
  setup.seed_groups           15 city groups, 89 county and township groups
  setup.seed_stations         professional, regional and demonstration-point stations
  activities.seed_2024        each kind of 2024 work, then participations and reports in bulk
  opinions.seed_opinions      2024's constituent opinions and their outcomes
  current.seed_current_year   this year's activities up to today (its own random source)
"""

from __future__ import annotations

from .activities import seed_2024
from .current import seed_current_year
from .opinions import seed_opinions
from .setup import seed_campaign, seed_groups, seed_stations
from .world import load


def seed(ctx) -> None:
    w = load(ctx)
    campaign, measure = seed_campaign(w)
    groups, plan = seed_groups(w)
    st = seed_stations(w)
    made = seed_2024(w, measure, groups, plan, st)
    opinions = seed_opinions(w, campaign, made)
    ctx.say(
        f"  {len(groups)} groups, {len(st.all)} stations, {len(made.activities)} activities, "
        f"{sum(len(a) for a in made.attendees)} participations, {opinions} opinions (2024)"
    )
    current = seed_current_year(w, groups, plan, st)
    if current:
        ctx.say(f"  {current} activities this year to date")
