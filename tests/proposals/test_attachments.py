"""Attachments: checked by content and size on upload, served only to who may see the suggestion."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anping.errors import DomainError
from proposals import services
from proposals.models import Attachment

from . import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_program_renamed_pdf_is_refused(deputy_user):
    s = f.draft(deputy_user)
    with pytest.raises(DomainError, match="不支持"):
        services.attachment_add(
            suggestion=s,
            by=deputy_user,
            file=SimpleUploadedFile("照片.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        )
    assert not Attachment.objects.exists()


def test_too_large_is_refused(deputy_user, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    s = f.draft(deputy_user)
    with pytest.raises(DomainError):
        services.attachment_add(
            suggestion=s, by=deputy_user, file=SimpleUploadedFile("a.pdf", PDF + b"0" * 200)
        )


def test_attachment_served_only_to_those_who_see_the_suggestion(
    client,
    deputy_user,
    other_deputy_user,
    city_staff,
    unit_staff,
    other_unit_staff,
    county_staff,
    outsider,
):
    s = f.draft(deputy_user)
    att = services.attachment_add(
        suggestion=s, by=deputy_user, file=SimpleUploadedFile("现场照片.pdf", PDF)
    )
    services.suggestion_submit(suggestion=s, by=deputy_user)
    services.suggestion_register(suggestion=s, by=city_staff)
    services.suggestion_assign(suggestion=s, by=city_staff, lead=unit_staff.organisation)
    url = reverse("proposals:attachment", args=[att.pk])
    for user in (deputy_user, city_staff, unit_staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for user in (other_deputy_user, other_unit_staff, county_staff, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
