"""Factories for the shared models and the roster; each app's tests add their own beside it."""

import datetime as dt

import factory

from anping.regions.models import Region
from deputies import services as deputy_services
from deputies.idnumbers import make_id_number
from deputies.models import Level, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"代表{n:04d}")
    gender = Person.Gender.MALE
    birth_date = dt.date(1975, 5, 20)
    party = "中共党员"
    employer_post = "安阳市某单位"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(
            "410502", o.birth_date, n * 2 + 1, o.gender == Person.Gender.MALE
        )
    )


def make_deputy(
    *,
    region: Region,
    level: str = Level.CITY,
    term_number: int = 15,
    user=None,
    expertise: tuple[str, ...] = (),
    **person_fields,
) -> Person:
    """A person with one serving mandate at `level` (in the congress above `region`)."""
    from deputies.models import Expertise

    person = PersonFactory(user=user, **person_fields)
    for name in expertise:
        person.expertise.add(Expertise.objects.get_or_create(name=name)[0])
    term = deputy_services.term_get_or_create(level=level, region=region, number=term_number)
    if term.start_date is None:
        term.start_date = dt.date(2022, 1, 8)
        term.save(update_fields=["start_date"])
    deputy_services.mandate_create(person=person, term=term, region=region)
    return person
