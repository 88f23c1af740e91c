import datetime as dt

import pytest
from django.utils import timezone

from anping.orgs.models import Organisation
from legislation import services
from legislation.models import Project, Round
from tests.conftest import make_user
from tests.factories import make_deputy

from .drafts import plain_draft, upload

TITLE = "安阳市小型生产经营场所消防安全管理条例"


@pytest.fixture
def committee(anyang):
    return Organisation.objects.create(
        name="安阳市人大常委会法制工作委员会",
        kind=Organisation.Kind.SPECIAL_COMMITTEE,
        region=anyang,
    )


@pytest.fixture
def project(anyang, committee, city_staff):
    return services.project_save(
        project=Project(title=TITLE, region=anyang, committee=committee, year=2024), by=city_staff
    )


@pytest.fixture
def version(project, city_staff):
    return services.version_upload(
        project=project, kind="consultation", file=upload(plain_draft(32)), by=city_staff
    )


@pytest.fixture
def round(version, city_staff):
    return services.round_save(
        round=Round(
            version=version,
            title="征求代表意见",
            deadline=timezone.now() + dt.timedelta(days=14),
            is_public=True,
        ),
        by=city_staff,
    )


@pytest.fixture
def invited(round, deputy_user, city_staff):
    """The deputy (张华, a law deputy) invited to the round."""
    person = deputy_user.deputy
    person.expertise.create(name="法律")
    services.round_invite(round=round, persons=[person], by=city_staff)
    return person


@pytest.fixture
def law_deputies(wenfeng):
    return [make_deputy(region=wenfeng, expertise=("消防",), name=f"消防代表{i}") for i in range(3)]


@pytest.fixture
def other_staff(linzhou):
    """County staff of 林州市: outside the city-level project's region."""
    return make_user("linzhou2", "county_staff", region=linzhou)
