"""A small, fully known world for the statistics: who holds which seat, what happened when.

Every expected figure in the tests is counted by hand from the lists below (in Python, from
what the test built), never by the queries under test.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from anping.orgs.models import Organisation
from anping.regions.models import Region
from deputies import services as deputy_services
from deputies.models import Level, Mandate, Person
from tests.factories import make_deputy

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=12, mm=0):
    """An aware datetime, Beijing time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


@dataclass
class World:
    city: Region
    wenfeng: Region
    linzhou: Region
    people: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    suggestions: dict = field(default_factory=dict)
    committee: Organisation | None = None
    unit: Organisation | None = None
    city_term: object = None


def _township(county: Region) -> Region:
    return Region.objects.filter(parent=county, kind=Region.Kind.TOWNSHIP).order_by("code").first()


@pytest.fixture
def world(anyang, wenfeng, linzhou) -> World:
    w = World(city=anyang, wenfeng=wenfeng, linzhou=linzhou)
    wf_town, lz_town = _township(wenfeng), _township(linzhou)
    # A: city deputy from 文峰区, also a county deputy there (one person, two mandates).
    a = make_deputy(region=wenfeng, name="甲")
    county_term = deputy_services.term_get_or_create(level=Level.COUNTY, region=wf_town, number=17)
    deputy_services.mandate_create(person=a, term=county_term, region=wf_town)
    b = make_deputy(region=linzhou, name="乙")  # city deputy from 林州市
    c = make_deputy(region=lz_town, level=Level.TOWNSHIP, term_number=18, name="丙")
    d = make_deputy(region=wenfeng, level=Level.PROVINCIAL, term_number=14, name="丁")
    e = make_deputy(region=linzhou, name="戊")  # resigned in February: not in office in March
    Mandate.objects.filter(person=e).update(
        status=Mandate.Status.RESIGNED, end_date=dt.date(2026, 2, 10)
    )
    w.people = {"a": a, "b": b, "c": c, "d": d, "e": e}
    w.city_term = Mandate.objects.get(person=b).term
    w.committee = Organisation.objects.create(
        name="安阳市人大常委会", kind=Organisation.Kind.COMMITTEE, region=anyang
    )
    w.unit = Organisation.objects.create(
        name="安阳市交通运输局", kind=Organisation.Kind.HANDLING_UNIT, region=anyang
    )
    return w


@pytest.fixture
def activities(world):
    """Activities and who took part (March 2026 unless said)."""
    from stations.models import Activity, Participation

    p = world.people
    specs = [
        # key, kind, region, date, participants
        ("insp_wf", "inspection", world.wenfeng, dt.date(2026, 3, 5), ["a", "d"]),
        ("survey_lz", "survey", world.linzhou, dt.date(2026, 3, 31), ["b"]),
        ("insp_lz_april", "inspection", world.linzhou, dt.date(2026, 4, 1), ["c"]),
        ("budget_city", "budget_review", world.city, dt.date(2026, 3, 15), ["a", "b"]),
        ("feb_lz", "publicity", world.linzhou, dt.date(2026, 2, 28), ["e", "c"]),
    ]
    for key, kind, region, date, who in specs:
        act = Activity.objects.create(
            kind=kind, title=f"活动{key}", date=date, region=region, committee=world.committee
        )
        Participation.objects.bulk_create(
            [Participation(activity=act, person=p[x], date=date) for x in who]
        )
        world.activities[key] = act
    return specs


@pytest.fixture
def opinions(world, activities):
    from stations.models import Opinion

    p = world.people
    specs = [
        # channel, region, received, status, closed, taker
        ("wechat", world.wenfeng, dt.date(2026, 3, 2), "solved", dt.date(2026, 3, 20), "a"),
        ("station", world.linzhou, dt.date(2026, 3, 10), "recorded", None, "b"),
        ("hotline", world.linzhou, dt.date(2026, 2, 25), "solved", dt.date(2026, 3, 3), "b"),
        ("online", world.city, dt.date(2026, 3, 31), "adopted", dt.date(2026, 3, 31), "a"),
        ("online", world.city, dt.date(2026, 3, 16), "not_adopted", dt.date(2026, 3, 30), "b"),
    ]
    for i, (channel, region, received, status, closed, taker) in enumerate(specs):
        Opinion.objects.create(
            channel=channel,
            topic="business",
            summary=f"意见{i}",
            region=region,
            taken_by=p[taker],
            received_on=received,
            status=status,
            closed_on=closed,
            activity=world.activities["budget_city"] if region == world.city else None,
        )
    return specs


@pytest.fixture
def suggestions(world):
    """Suggestions around the month boundary (Beijing time)."""
    from proposals.models import Feedback, Suggestion

    p = world.people
    S = Suggestion.Status

    def make(key, lead, **fields):
        s = Suggestion.objects.create(
            lead=p[lead],
            term=world.city_term,
            region=Mandate.objects.get(person=p[lead], term=world.city_term).region,
            title=f"建议{key}",
            body="内容",
            **fields,
        )
        world.suggestions[key] = s
        return s

    # Submitted 23:30 on 31 March Beijing time (15:30 UTC): March. Registered 00:30 on 1 April
    # Beijing time (16:30 UTC on 31 March): April.
    make(
        "late_march",
        "a",
        status=S.REGISTERED,
        submitted_at=at(2026, 3, 31, 23, 30),
        registered_at=at(2026, 4, 1, 0, 30),
    )
    # Submitted 00:10 on 1 March Beijing time (still February in UTC): March.
    s2 = make(
        "on_time",
        "b",
        status=S.ANSWERED,
        submitted_at=at(2026, 3, 1, 0, 10),
        registered_at=at(2026, 3, 5),
        assigned_at=at(2026, 3, 6),
        answered_at=at(2026, 3, 20),
        due_date=dt.date(2026, 6, 6),
    )
    # Submitted 23:50 on 28 February Beijing time: February; open past its deadline.
    make(
        "overdue",
        "b",
        status=S.ASSIGNED,
        submitted_at=at(2026, 2, 28, 23, 50),
        registered_at=at(2026, 3, 2),
        assigned_at=at(2026, 3, 2),
        due_date=dt.date(2026, 3, 15),
    )
    # Answered the day after its deadline; chosen as a key suggestion in March.
    s4 = make(
        "late_answer",
        "a",
        status=S.ANSWERED,
        submitted_at=at(2026, 1, 20),
        registered_at=at(2026, 1, 25),
        answered_at=at(2026, 3, 10, 9),
        due_date=dt.date(2026, 3, 9),
        is_key=True,
        key_chosen_at=at(2026, 3, 2),
    )
    # Answered at 23:59 on its due day (Beijing time; 15:59 UTC): on time.
    make(
        "last_minute",
        "a",
        status=S.ANSWERED,
        submitted_at=at(2026, 1, 5),
        registered_at=at(2026, 1, 6),
        answered_at=at(2026, 3, 9, 23, 59),
        due_date=dt.date(2026, 3, 9),
    )
    Feedback.objects.create(
        suggestion=s2, deputy=p["b"], round=1, verdict="satisfied", given_at=at(2026, 3, 25)
    )
    Feedback.objects.create(
        suggestion=s4, deputy=p["a"], round=1, verdict="not_satisfied", given_at=at(2026, 3, 12)
    )
    Feedback.objects.create(
        suggestion=world.suggestions["last_minute"],
        deputy=p["a"],
        round=1,
        verdict="basic",
        given_at=at(2026, 4, 1, 0, 5),
    )
    return world.suggestions


@pytest.fixture
def projects(world):
    """Two city livelihood projects for 2026, one with progress reports."""
    from livelihood.models import Candidate, ProgressReport, Project, Round

    rnd = Round.objects.create(
        term=world.city_term,
        year=2026,
        title="2026年民生实事",
        collection_start=dt.date(2025, 10, 1),
        collection_end=dt.date(2025, 11, 30),
    )
    made = []
    for n in (1, 2):
        cand = Candidate.objects.create(
            round=rnd,
            number=n,
            title=f"项目{n}",
            description="说明",
            unit=world.unit,
            target="目标",
            funds=Decimal("100.00"),
            timeline="全年",
        )
        made.append(
            Project.objects.create(
                round=rnd,
                candidate=cand,
                title=f"项目{n}",
                unit=world.unit,
                target="目标",
                funds=Decimal("100.00"),
                start_date=dt.date(2026, 2, 1),
                end_date=dt.date(2026, 12, 31),
                completed_on=dt.date(2026, 3, 28) if n == 2 else None,
            )
        )
    ProgressReport.objects.create(
        project=made[0], percent=30, text="进展", reported_on=dt.date(2026, 2, 20)
    )
    ProgressReport.objects.create(
        project=made[0], percent=60, text="进展", reported_on=dt.date(2026, 3, 20)
    )
    ProgressReport.objects.create(
        project=made[0], percent=80, text="进展", reported_on=dt.date(2026, 4, 2)
    )
    ProgressReport.objects.create(
        project=made[1], percent=100, text="完工", reported_on=dt.date(2026, 3, 28)
    )
    return made


@pytest.fixture
def full_world(world, activities, opinions, suggestions, projects):
    return world


__all__ = ["Person"]
