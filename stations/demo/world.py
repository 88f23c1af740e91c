"""What every step of the stations demo reads: the region tree, the organisations and the
roster as this module needs it (who sits where, at which level, with which expertise)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from anping.accounts.models import User
from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies.models import Expertise, Level, Mandate, Person

from .data import SPECIAL


@dataclass
class World:
    rng: object
    city: Region
    staff: User | None
    regions: dict
    counties: list
    townships: dict  # county id → its townships
    county_of: dict  # county or township id → its county
    committee: Organisation  # the city's standing committee
    county_committee: dict  # region id → that county's committee
    special: dict  # short name → the city committee's working body
    units: list
    expertise: dict  # name → id
    skills: dict  # person id → expertise ids
    serving: list  # (person, level, region) of every serving mandate in the city
    high: list  # national, provincial and city deputies
    city_level: list
    by_county: dict  # county id → persons with a county or township seat there
    by_township: dict
    home: dict  # person → a region where they sit
    demo_person: Person

    def with_skill(self, pool, names):
        wanted = {self.expertise[n] for n in names if n in self.expertise}
        return [p for p in pool if self.skills[p] & wanted]

    def sample(self, pool, k):
        return self.rng.sample(pool, min(k, len(pool)))


def load(ctx) -> World:
    rng = ctx.rng
    city: Region = ctx.made["city"]
    staff = User.objects.filter(username="city").first()
    regions = {r.pk: r for r in Region.objects.all()}
    counties = sorted(
        (r for r in regions.values() if r.kind == Region.Kind.COUNTY and r.parent_id == city.pk),
        key=lambda r: r.code,
    )
    townships = defaultdict(list)
    for r in regions.values():
        if r.kind == Region.Kind.TOWNSHIP:
            townships[r.parent_id].append(r)
    county_of = {}
    for r in regions.values():
        if r.kind == Region.Kind.COUNTY:
            county_of[r.pk] = r
        elif r.kind == Region.Kind.TOWNSHIP:
            county_of[r.pk] = regions[r.parent_id]

    # --- organisations: the city committee's working bodies -------------------------------
    committee = Organisation.objects.get(name="安阳市人大常委会")
    county_committee = {
        o.region_id: o for o in Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE)
    }
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"安阳市人大常委会{n}" if n == "办公室" else f"安阳市人大{n}",
                short_name=n,
                kind=Organisation.Kind.SPECIAL_COMMITTEE,
                region=city,
            )
            for n in SPECIAL
        ],
        ignore_conflicts=True,
    )
    special = {
        o.short_name: o
        for o in Organisation.objects.filter(kind=Organisation.Kind.SPECIAL_COMMITTEE, region=city)
    }
    units = list(ctx.made["units"])

    # --- the roster, as this module needs it ----------------------------------------------
    expertise = {e.name: e.pk for e in Expertise.objects.all()}
    skills = defaultdict(set)
    for pid, eid in Person.expertise.through.objects.values_list("person_id", "expertise_id"):
        skills[pid].add(eid)
    serving = list(
        Mandate.objects.filter(status=Mandate.Status.SERVING, region__path__startswith=city.path)
        .values_list("person_id", "level", "region_id")
        .order_by("pk")
    )
    high = sorted(
        {p for p, lv, _r in serving if lv in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY)}
    )
    city_level = sorted({p for p, lv, _r in serving if lv == Level.CITY})
    by_county = defaultdict(set)  # county id → persons with a county or township seat there
    by_township = defaultdict(set)
    home = {}  # person → a region where they sit
    for p, lv, r in serving:
        home.setdefault(p, regions[r])
        if lv in (Level.COUNTY, Level.TOWNSHIP):
            by_county[county_of[r].pk].add(p)
            if regions[r].kind == Region.Kind.TOWNSHIP:
                by_township[r].add(p)
    by_county = {k: sorted(v) for k, v in by_county.items()}
    by_township = {k: sorted(v) for k, v in by_township.items()}
    demo_person = Person.objects.get(user=ctx.made["deputy_user"])
    return World(
        rng=rng,
        city=city,
        staff=staff,
        regions=regions,
        counties=counties,
        townships=townships,
        county_of=county_of,
        committee=committee,
        county_committee=county_committee,
        special=special,
        units=units,
        expertise=expertise,
        skills=skills,
        serving=serving,
        high=high,
        city_level=city_level,
        by_county=by_county,
        by_township=by_township,
        home=home,
        demo_person=demo_person,
    )
