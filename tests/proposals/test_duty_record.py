"""The deputy's duty record (履职档案) lists the suggestions led and co-signed, and the verdicts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import record, services

from . import factories as f

pytestmark = pytest.mark.django_db


def test_duty_record_counts_led_cosigned_and_verdicts(
    client, deputy_user, cosigner_user, city_staff, unit_staff, django_assert_num_queries
):
    s = f.draft(deputy_user)
    services.cosigner_invite(suggestion=s, person=cosigner_user.deputy, by=deputy_user)
    services.cosigner_respond(cosigner=s.cosigners.get(), by=cosigner_user, accept=True)
    services.suggestion_submit(suggestion=s, by=deputy_user)
    services.suggestion_register(suggestion=s, by=city_staff)
    services.suggestion_assign(suggestion=s, by=city_staff, lead=unit_staff.organisation)
    f.reply(s, unit_staff)
    services.feedback_give(suggestion=s, by=deputy_user, verdict="basic")
    f.draft(deputy_user, title="未提交的草稿不计入")
    year = timezone.localdate().year
    with django_assert_num_queries(3):
        data = record.provider(person=deputy_user.deputy, year=year)
        assert [x.title for x in data["items"]] == [f.TITLE]
    assert (data["led"], data["cosigned"], data["answered"], data["basic"]) == (1, 0, 1, 1)
    assert record.provider(person=cosigner_user.deputy, year=year)["cosigned"] == 1
    client.force_login(deputy_user)
    page = client.get(reverse("stations:my_record")).content.decode()
    assert "领衔1件" in page and f.TITLE in page
