import pytest

from deputies.models import Mandate, Person


@pytest.fixture
def roster_snapshot():
    """What the roster holds, comparable before and after an import."""

    def snapshot():
        persons = sorted(
            Person.objects.values_list(
                "name", "gender", "birth_date", "mobile", "id_number", "employer_post", "party"
            )
        )
        mandates = sorted(
            Mandate.objects.values_list(
                "person__name", "level", "term__number", "region__name", "electoral_unit"
            )
        )
        expertise = sorted(
            Person.expertise.through.objects.values_list("person__name", "expertise__name")
        )
        return persons, mandates, expertise

    return snapshot


REFERENCE_EXPERTISE = ("农业", "法律", "消防", "审计")


@pytest.fixture
def roster_reference(anyang):
    """What the test workbooks name and the import never makes (a typo must not become a
    term or a tag): the city congress's 15th term, every county's 17th, every township's 18th,
    and the expertise tags 农业、法律、消防、审计."""
    from anping.regions.models import Region
    from deputies.models import Congress, Expertise, Level, Term

    kinds = {
        Region.Kind.CITY: (Level.CITY, 15),
        Region.Kind.COUNTY: (Level.COUNTY, 17),
        Region.Kind.TOWNSHIP: (Level.TOWNSHIP, 18),
    }
    regions = list(Region.objects.within(anyang).filter(kind__in=list(kinds)))
    Congress.objects.bulk_create(
        [Congress(level=kinds[r.kind][0], region=r) for r in regions], ignore_conflicts=True
    )
    congresses = {c.region_id: c for c in Congress.objects.filter(region__in=regions)}
    Term.objects.bulk_create(
        [Term(congress=congresses[r.pk], number=kinds[r.kind][1]) for r in regions],
        ignore_conflicts=True,
    )
    Expertise.objects.bulk_create(
        [Expertise(name=n) for n in REFERENCE_EXPERTISE], ignore_conflicts=True
    )
