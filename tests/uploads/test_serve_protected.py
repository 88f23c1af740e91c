"""A stored file is streamed as a download, with headers that keep browsers from running it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory

from anping.uploads import UploadTo, serve_protected

from . import samples


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    field = models.FileField(storage=storage, upload_to=UploadTo("test"))

    def store(content: bytes, name: str = "x.pdf") -> FieldFile:
        saved = storage.save(UploadTo("test")(None, name), ContentFile(content))
        return FieldFile(None, field, saved)

    return store


@pytest.fixture
def request_():
    return RequestFactory().get("/proposals/1/attachments/1/")


def body(response) -> bytes:
    data = b"".join(response.streaming_content)
    response.file_to_stream.close()  # (response.close() would also signal the request's end)
    return data


def test_a_chinese_name_is_offered_in_utf8_with_an_ascii_fallback(stored, request_):
    response = serve_protected(request_, stored(samples.PDF), filename="安阳市住建局答复函.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="attachment.pdf"; '
        "filename*=utf-8''%E5%AE%89%E9%98%B3%E5%B8%82%E4%BD%8F%E5%BB%BA%E5%B1%80"
        "%E7%AD%94%E5%A4%8D%E5%87%BD.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(samples.PDF))
    assert body(response) == samples.PDF


def test_an_ascii_name_is_kept_in_both_forms(stored, request_):
    response = serve_protected(request_, stored(samples.XLSX), filename="report 2024.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"report 2024.xlsx\"; filename*=utf-8''report%202024.xlsx"
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    body(response)


def test_the_type_comes_from_the_content_not_the_name(stored, request_):
    response = serve_protected(request_, stored(samples.PNG, "a.docx"), filename="现场.docx")
    assert response["Content-Type"] == "image/png"
    body(response)
    odd = serve_protected(request_, stored(samples.EXE, "a.pdf"), filename="a.pdf")
    assert odd["Content-Type"] == "application/octet-stream"
    assert odd["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in odd["Content-Security-Policy"]
    body(odd)


def test_inline_only_for_pdf_and_images(stored, request_):
    photo = serve_protected(request_, stored(samples.JPEG), filename="照片.jpg", inline=True)
    assert photo["Content-Disposition"].startswith("inline;")
    body(photo)
    word = serve_protected(request_, stored(samples.DOCX), filename="方案.docx", inline=True)
    assert word["Content-Disposition"].startswith("attachment;")
    body(word)
    text = serve_protected(request_, stored(samples.TEXT), filename="说明.txt", inline=True)
    assert text["Content-Disposition"].startswith("attachment;")
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    body(text)


def test_a_missing_or_empty_file_is_a_404(stored, request_, tmp_path):
    field_file = stored(samples.PDF)
    (tmp_path / field_file.name).unlink()
    with pytest.raises(Http404):
        serve_protected(request_, field_file, filename="a.pdf")
    with pytest.raises(Http404):
        serve_protected(request_, FieldFile(None, field_file.field, ""), filename="a.pdf")


def test_a_hostile_name_cannot_break_the_header(stored, request_):
    response = serve_protected(request_, stored(samples.PDF), filename='a"\r\nX-Evil: 1.pdf')
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="aX-Evil: 1.pdf"; filename*=')
    assert "X-Evil" not in response.headers
    body(response)
    folders = serve_protected(request_, stored(samples.PDF), filename="..\\..\\win.ini\\答复.pdf")
    assert "filename*=utf-8''%E7%AD%94%E5%A4%8D.pdf" in folders["Content-Disposition"]
    body(folders)


def test_a_right_to_left_override_in_a_stored_name_is_dropped_on_download(request_, stored):
    response = serve_protected(request_, stored(samples.PDF), filename="答复\u202efdp.exe")
    disposition = response["Content-Disposition"]
    assert "%E2%80%AE" not in disposition and "\u202e" not in disposition
    assert "filename*=utf-8''%E7%AD%94%E5%A4%8Dfdp.exe" in disposition
