"""Fixtures for the loop: a deputy with a card, the staff in and outside 文峰区, units, and the
SMS test backend (a file the tests read, as a resident reads their phone)."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anping.accounts.models import User
from anping.orgs.models import Organisation
from deputies.models import Person
from opinions import services
from opinions.models import Case
from tests.conftest import make_user

RESIDENT_PHONE = "13912345678"


@pytest.fixture(autouse=True)
def sms_file(settings, tmp_path):
    path = tmp_path / "sms.log"
    settings.SMS_BACKEND = "anping.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(path)
    return path


def sms_to(path, phone: str) -> list[str]:
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [m["text"] for m in lines if m["to"] == phone]


def last_code(path, phone: str = RESIDENT_PHONE) -> str:
    texts = [t for t in sms_to(path, phone) if re.search(r"\d{6}", t)]
    return re.search(r"(\d{6})", texts[-1]).group(1)


@pytest.fixture
def me(deputy_user) -> Person:
    return Person.objects.get(user=deputy_user)


@pytest.fixture
def township(wenfeng):
    return wenfeng.children.order_by("path").first()


@pytest.fixture
def wenfeng_staff(wenfeng) -> User:
    """County staff of 文峰区, where the deputy's opinions come from."""
    return make_user("wenfeng", User.Role.COUNTY_STAFF, region=wenfeng, first_name="周敏")


@pytest.fixture
def wenfeng_unit(wenfeng) -> Organisation:
    return Organisation.objects.create(
        name="文峰区住房和城乡建设局", kind=Organisation.Kind.HANDLING_UNIT, region=wenfeng
    )


@pytest.fixture
def wenfeng_unit_staff(wenfeng_unit) -> User:
    return make_user("wfunit", User.Role.UNIT_STAFF, organisation=wenfeng_unit, first_name="钱进")


@pytest.fixture
def linzhou_unit(linzhou) -> Organisation:
    return Organisation.objects.create(
        name="林州市住房和城乡建设局", kind=Organisation.Kind.HANDLING_UNIT, region=linzhou
    )


@pytest.fixture
def card(me, deputy_user):
    return services.card_for(by=deputy_user, person=me)


@pytest.fixture
def submit(card, me, township, django_capture_on_commit_callbacks, sms_file):
    """Write as a resident from the deputy's card and type the SMS code: a NEW case."""

    def run(text="小区路灯坏了三个月", phone=RESIDENT_PHONE, **kw) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            sub = services.submission_start(
                card=card,
                deputy=me,
                topic="urban",
                text=text,
                region=kw.pop("region", township),
                phone=phone,
                address=kw.pop("address", "10.0.0.1"),
                **kw,
            )
        with django_capture_on_commit_callbacks(execute=True):
            return services.submission_verify(submission=sub, code=last_code(sms_file, phone))

    return run


@pytest.fixture
def case(submit) -> Case:
    return submit()


def step(capture, fn, **kwargs):
    """Run a step and its on-commit work (the SMS), as a request would."""
    with capture(execute=True):
        return fn(**kwargs)


class Queries(CaptureQueriesContext):
    def __init__(self):
        super().__init__(connection)
