"""The pages: the public card, code and tracking pages (no account), the portal's case page and
its steps through HTTP for each role, and the lists' query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from opinions import services
from opinions.models import Case, Submission
from stations.models import Opinion

from .conftest import RESIDENT_PHONE, Queries, last_code

S = Case.Status
pytestmark = pytest.mark.django_db


def _form(township, me, **extra):
    return {
        "deputy": me.pk,
        "topic": "urban",
        "text": "<script>alert(1)</script>路灯不亮",
        "region": township.pk,
        "name": "李女士",
        "phone": RESIDENT_PHONE,
        "website": "",
        **extra,
    }


def test_a_resident_writes_verifies_and_follows_it(
    client, card, me, township, sms_file, django_capture_on_commit_callbacks
):
    url = reverse("opinions:write", args=[card.token])
    page = client.get(url)
    assert page.status_code == 200 and me.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(township, me))
    assert response.status_code == 302 and response["Location"] == reverse("opinions:verify")
    assert Submission.objects.count() == 1 and not Case.objects.exists()
    verify = client.get(reverse("opinions:verify")).content.decode()
    assert "139****5678" in verify and RESIDENT_PHONE not in verify
    wrong = client.post(reverse("opinions:verify"), {"code": "000000"}, follow=True)
    assert "验证码不正确" in wrong.content.decode()
    response = client.post(reverse("opinions:verify"), {"code": last_code(sms_file)})
    case = Case.objects.get()
    assert response["Location"] == reverse("opinions:track", args=[case.code])
    track = client.get(response["Location"]).content.decode()
    # Markup is shown as text; the phone never.
    assert "&lt;script&gt;" in track and "<script>alert" not in track
    assert RESIDENT_PHONE not in track and "5678" not in track


def test_the_honeypot_stores_nothing(client, card, me, township):
    url = reverse("opinions:write", args=[card.token])
    response = client.post(url, _form(township, me, website="http://spam.example"))
    assert response.status_code == 302
    assert not Submission.objects.exists()


def test_a_flood_gets_a_chinese_message_and_no_rows(client, card, me, township, settings):
    url = reverse("opinions:write", args=[card.token])
    limit = settings.OPINIONS["PER_PHONE_PER_HOUR"]
    for _n in range(limit):
        client.post(url, _form(township, me))
    response = client.post(url, _form(township, me), follow=True)
    assert "次数过多" in response.content.decode()
    assert Submission.objects.count() == limit


def test_unknown_cards_and_codes_are_404(client, case):
    assert client.get("/o/NOSUCHCARD/").status_code == 404
    assert client.get("/t/NOSUCHCODE/").status_code == 404
    assert client.get("/opinions/abc/").status_code == 404


def test_the_tracking_page_confirms(client, case, deputy_user, wenfeng_staff, wenfeng_unit):
    services.case_dispatch(case=case, by=wenfeng_staff, unit=wenfeng_unit)
    from tests.conftest import make_user

    unit_user = make_user("u2", "unit_staff", organisation=wenfeng_unit)
    services.case_reply(case=case, by=unit_user, text="已修复路灯", outcome="solved")
    url = reverse("opinions:track", args=[case.code])
    page = client.get(url).content.decode()
    assert "已修复路灯" in page and 'name="solved"' in page
    client.post(url, {"solved": "1", "satisfaction": "satisfied"})
    case.refresh_from_db()
    assert (case.status, case.satisfaction, case.by_call) == (S.SOLVED, "satisfied", False)
    assert 'name="solved"' not in client.get(url).content.decode()


def test_the_phone_is_shown_to_the_deputy_and_regions_staff_masked_to_the_unit(
    client, case, deputy_user, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff, county_staff
):
    services.case_dispatch(case=case, by=wenfeng_staff, unit=wenfeng_unit)
    url = reverse("opinions:case", args=[case.pk])
    for user in (deputy_user, wenfeng_staff):
        client.force_login(user)
        assert RESIDENT_PHONE in client.get(url).content.decode()
    client.force_login(wenfeng_unit_staff)
    page = client.get(url).content.decode()
    assert RESIDENT_PHONE not in page and "139****5678" in page
    client.force_login(county_staff)
    assert client.get(url).status_code == 404


def test_the_loop_through_http_by_each_role(
    client, case, deputy_user, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff, county_staff
):
    step = lambda action: reverse("opinions:step", args=[case.pk, action])  # noqa: E731
    # An empty answer changes nothing and says why.
    client.force_login(deputy_user)
    response = client.post(step("propose"), {"text": ""}, follow=True)
    assert "请填写" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == S.NEW
    client.post(step("propose"), {"text": "请转住建部门"})
    assert Case.objects.get(pk=case.pk).status == S.PROPOSED
    # The deputy cannot dispatch; staff outside the region do not see it.
    client.post(step("dispatch"), {"unit": wenfeng_unit.pk})
    assert Case.objects.get(pk=case.pk).status == S.PROPOSED
    client.force_login(county_staff)
    assert client.post(step("dispatch"), {"unit": wenfeng_unit.pk}).status_code == 404
    client.force_login(wenfeng_staff)
    client.post(step("dispatch"), {"unit": wenfeng_unit.pk, "reason": "请办理"})
    assert Case.objects.get(pk=case.pk).status == S.DISPATCHED
    client.force_login(wenfeng_unit_staff)
    client.post(step("reply"), {"outcome": "solved", "text": "已修复"})
    case.refresh_from_db()
    assert (case.status, case.answer) == (S.ANSWERED, "已修复")
    client.force_login(wenfeng_staff)
    client.post(step("call"), {"solved": "1", "satisfaction": "basic", "note": "回访满意"})
    case.refresh_from_db()
    assert (case.status, case.by_call) == (S.SOLVED, True)
    assert client.post(step("nonsense")).status_code == 404


def test_taking_it_up_opens_the_draft_suggestion(client, case, deputy_user):
    client.force_login(deputy_user)
    response = client.post(reverse("opinions:step", args=[case.pk, "take_up"]))
    case.refresh_from_db()
    assert case.status == S.SUGGESTION
    assert response["Location"] == reverse("proposals:edit", args=[case.suggestion_id])


def test_cards_print_for_the_deputy_and_a_stations_staff(
    client, deputy_user, card, township, city_staff
):
    from stations.models import Stationing
    from tests.stations.factories import make_station

    client.force_login(deputy_user)
    page = client.get(reverse("opinions:my_card")).content.decode()
    assert "<svg" in page and card.token in page
    station = make_station(region=township)
    Stationing.objects.create(station=station, person=card.person, start_date=dt.date(2024, 1, 1))
    client.force_login(city_staff)
    page = client.get(reverse("opinions:station_cards", args=[station.pk])).content.decode()
    assert page.count("<svg") == 2 and station.name in page and card.token in page
    client.force_login(deputy_user)
    assert client.get(reverse("opinions:station_cards", args=[station.pk])).status_code == 404


def test_wechat_groups_and_the_staff_count(
    client, deputy_user, township, wenfeng_staff, county_staff
):
    client.force_login(deputy_user)
    data = {
        "name": "文峰区某社区居民群",
        "region": township.pk,
        "joined_on": "2024-03-01",
        "size": 300,
    }
    client.post(reverse("opinions:groups"), data)
    client.post(reverse("opinions:groups"), data)  # the same group twice: refused
    from opinions.models import WeChatGroup

    assert WeChatGroup.objects.count() == 1
    client.force_login(wenfeng_staff)
    page = client.get(reverse("opinions:groups_by_region")).content.decode()
    assert "1 位代表" in page or ">1<" in page
    client.force_login(county_staff)
    page = client.get(reverse("opinions:groups_by_region")).content.decode()
    assert "文峰区" not in page


# --- query counts ------------------------------------------------------------------------------


def _many(n, *, me, township, unit=None):
    opinions = Opinion.objects.bulk_create(
        [
            Opinion(
                channel="online",
                topic="urban",
                summary=f"意见{i}",
                region=township,
                taken_by=me,
                received_on=dt.date(2024, 5, 1),
                status="forwarded" if unit else "recorded",
                forwarded_to=unit,
            )
            for i in range(n)
        ]
    )
    Case.objects.bulk_create(
        [
            Case(
                opinion=o,
                code=f"Q{o.pk:09d}",
                status=S.DISPATCHED if unit else S.NEW,
                unit=unit,
                due=dt.date(2024, 6, 1) if unit else None,
            )
            for o in opinions
        ]
    )


@pytest.mark.parametrize("who", ["deputy_user", "wenfeng_staff", "wenfeng_unit_staff"])
def test_the_lists_cost_the_same_at_few_and_many(client, request, who, me, township, wenfeng_unit):
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse("opinions:cases")
    counts = []
    for n in (3, 60):
        _many(n, me=me, township=township, unit=wenfeng_unit)
        with Queries() as q:
            page = client.get(url)
        assert page.status_code == 200 and "意见" in page.content.decode()
        counts.append(len(q))
    # 1 session, 2 user, (staff only: 3 the staff's region, for the scope's path prefix), the
    # page's COUNT, the shell's unread-notifications count, the page's rows (cases with their
    # opinion, its region and county, the deputy and the unit joined).
    expected = 6 if who == "wenfeng_staff" else 5
    assert counts == [expected, expected], counts


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_photos_are_checked_and_served_only_within_the_scope(
    client,
    card,
    me,
    township,
    deputy_user,
    county_staff,
    sms_file,
    django_capture_on_commit_callbacks,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opinions.models import Photo

    url = reverse("opinions:write", args=[card.token])
    fake = SimpleUploadedFile("路灯.jpg", b"MZ\x90\x00 a program", content_type="image/jpeg")
    client.post(url, {**_form(township, me), "photos": [fake]})
    assert not Submission.objects.exists()
    photo = SimpleUploadedFile("路灯.png", _png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_form(township, me), "photos": [photo]})
    client.post(reverse("opinions:verify"), {"code": last_code(sms_file)})
    stored = Photo.objects.get()
    assert stored.name == "路灯.png" and stored.submission.case.opinion.taken_by == me
    client.force_login(deputy_user)
    response = client.get(reverse("opinions:photo", args=[stored.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(county_staff)
    assert client.get(reverse("opinions:photo", args=[stored.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("opinions:photo", args=[stored.pk])).status_code == 302


def test_staff_see_each_units_record_in_their_region_in_one_query(
    client, case, wenfeng_staff, county_staff, wenfeng_unit, wenfeng_unit_staff, me, township
):
    services.case_dispatch(case=case, by=wenfeng_staff, unit=wenfeng_unit)
    services.case_reply(case=case, by=wenfeng_unit_staff, text="已修复", outcome="solved")
    services.case_confirm(case=case, solved=True, satisfaction="basic")
    url = reverse("opinions:by_unit")
    client.force_login(wenfeng_staff)
    page = client.get(url).content.decode()
    assert (
        "<td>文峰区住房和城乡建设局</td><td>1</td><td>1</td><td>0</td><td>0</td><td>1</td><td>1</td>"
        in page
    )
    _many(40, me=me, township=township, unit=wenfeng_unit)
    with Queries() as q:
        client.get(url)
    # session, user, the staff's region, the grouped rows, the shell's notifications count.
    assert len(q) == 5
    client.force_login(county_staff)
    assert "文峰区住房和城乡建设局" not in client.get(url).content.decode()
    client.force_login(wenfeng_unit_staff)
    assert client.get(url).status_code == 404
