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
