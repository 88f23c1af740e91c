"""The unit's answer with attachments: checked by content, served to the unit, the deputy and
the region's staff only; on the public tracking page only images the unit marked as showing no
personal data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anping.accounts.models import User
from anping.orgs.models import Organisation
from opinions import services
from opinions.models import Case, ReplyFile
from tests.conftest import make_user

from .conftest import RESIDENT_PHONE
from .test_pages import _png

S = Case.Status
pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _dispatched(case, wenfeng_staff, wenfeng_unit):
    services.case_dispatch(case=case, by=wenfeng_staff, unit=wenfeng_unit)
    return Case.objects.get(pk=case.pk)


def _reply(client, case, **extra):
    return client.post(
        reverse("opinions:step", args=[case.pk, "reply"]),
        {"outcome": "solved", "text": "已修复路灯", **extra},
        follow=True,
    )


def test_a_renamed_program_is_refused_in_chinese_and_nothing_is_stored(
    client, case, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff
):
    case = _dispatched(case, wenfeng_staff, wenfeng_unit)
    client.force_login(wenfeng_unit_staff)
    fake = SimpleUploadedFile(
        "答复.pdf", b"MZ\x90\x00\x03 a program", content_type="application/pdf"
    )
    response = _reply(client, case, files=[fake])
    assert "不支持的文件类型" in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.DISPATCHED and case.answer == ""
    assert not ReplyFile.objects.exists()


def test_the_service_refuses_a_bad_file_and_more_than_three(
    case, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff
):
    from anping.errors import DomainError

    case = _dispatched(case, wenfeng_staff, wenfeng_unit)
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 program")
    with pytest.raises(DomainError, match="不支持的文件类型"):
        services.case_reply(
            case=case, by=wenfeng_unit_staff, text="好", outcome="solved", files=[fake]
        )
    four = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(4)]
    with pytest.raises(DomainError):
        services.case_reply(
            case=case, by=wenfeng_unit_staff, text="好", outcome="solved", files=four
        )
    case.refresh_from_db()
    assert case.status == S.DISPATCHED and not ReplyFile.objects.exists()


def test_reply_files_are_served_to_the_unit_deputy_and_staff_only(
    client,
    case,
    deputy_user,
    wenfeng_staff,
    wenfeng_unit,
    wenfeng_unit_staff,
    county_staff,
    wenfeng,
):
    case = _dispatched(case, wenfeng_staff, wenfeng_unit)
    client.force_login(wenfeng_unit_staff)
    pdf = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    png = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    _reply(client, case, files=[pdf, png])
    case.refresh_from_db()
    assert case.status == S.ANSWERED
    files = {f.name: f for f in ReplyFile.objects.filter(case=case)}
    assert set(files) == {"答复函.pdf", "现场.png"}
    assert files["答复函.pdf"].kind == "pdf" and files["现场.png"].kind == "png"
    assert not any(f.shown_to_resident for f in files.values())
    url = reverse("opinions:reply_file", args=[files["答复函.pdf"].pk])
    for user in (wenfeng_unit_staff, deputy_user, wenfeng_staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        page = client.get(reverse("opinions:case", args=[case.pk])).content.decode()
        assert "答复函.pdf" in page
    other_unit = Organisation.objects.create(
        name="文峰区交通运输局", kind=Organisation.Kind.HANDLING_UNIT, region=wenfeng
    )
    other = make_user("otherunit", User.Role.UNIT_STAFF, organisation=other_unit)
    for outsider in (county_staff, other):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # Not shown to the resident unless the unit said so: the tracking page has no image.
    page = client.get(reverse("opinions:track", args=[case.code])).content.decode()
    assert "<img" not in page
    track_url = reverse("opinions:track_file", args=[case.code, files["现场.png"].pk])
    assert client.get(track_url).status_code == 404


def test_the_tracking_page_shows_only_marked_images_never_the_phone(
    client, case, submit, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff
):
    case = _dispatched(case, wenfeng_staff, wenfeng_unit)
    pdf = SimpleUploadedFile("答复函.pdf", PDF)
    png = SimpleUploadedFile("现场.png", _png())
    services.case_reply(
        case=case,
        by=wenfeng_unit_staff,
        text="已修复",
        outcome="solved",
        files=[pdf, png],
        files_shown_to_resident=True,
    )
    image = ReplyFile.objects.get(kind="png")
    document = ReplyFile.objects.get(kind="pdf")
    page = client.get(reverse("opinions:track", args=[case.code])).content.decode()
    assert reverse("opinions:track_file", args=[case.code, image.pk]) in page
    assert "答复函" not in page and RESIDENT_PHONE not in page
    response = client.get(reverse("opinions:track_file", args=[case.code, image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # A document is never public, even marked; another case's code does not open it.
    assert (
        client.get(reverse("opinions:track_file", args=[case.code, document.pk])).status_code == 404
    )
    other = submit(text="另一条意见", phone="13900000000")
    assert (
        client.get(reverse("opinions:track_file", args=[other.code, image.pk])).status_code == 404
    )


def test_a_new_answer_shows_only_its_own_files(
    client, case, deputy_user, wenfeng_staff, wenfeng_unit, wenfeng_unit_staff
):
    case = _dispatched(case, wenfeng_staff, wenfeng_unit)
    services.case_reply(
        case=case,
        by=wenfeng_unit_staff,
        text="已修复",
        outcome="solved",
        files=[SimpleUploadedFile("第一次.png", _png())],
        files_shown_to_resident=True,
    )
    services.case_confirm(case=case, solved=False, satisfaction="not_satisfied")
    case = _dispatched(Case.objects.get(pk=case.pk), wenfeng_staff, wenfeng_unit)
    services.case_reply(
        case=case,
        by=wenfeng_unit_staff,
        text="再次维修",
        outcome="solved",
        files=[SimpleUploadedFile("第二次.png", _png())],
        files_shown_to_resident=True,
    )
    first, second = ReplyFile.objects.order_by("pk")
    client.force_login(deputy_user)
    page = client.get(reverse("opinions:case", args=[case.pk])).content.decode()
    assert "第二次.png" in page and "第一次.png" not in page
    client.logout()
    page = client.get(reverse("opinions:track", args=[case.code])).content.decode()
    assert reverse("opinions:track_file", args=[case.code, second.pk]) in page
    assert reverse("opinions:track_file", args=[case.code, first.pk]) not in page
