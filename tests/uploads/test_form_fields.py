"""The content check in forms (ContentTypeFileField) and on model fields (UploadValidator)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db.migrations.writer import MigrationWriter
from django.utils.datastructures import MultiValueDict

from anping.uploads import ContentTypeFileField, MultipleContentTypeFileField, UploadValidator

from . import samples
from .samples import upload


class ReplyForm(forms.Form):
    letter = ContentTypeFileField(allowed={"pdf", "doc", "docx"}, label="答复函")
    photo = ContentTypeFileField(allowed={"jpeg", "png"}, required=False, max_bytes=1024)


class SuggestionForm(forms.Form):
    attachments = MultipleContentTypeFileField(required=False, max_files=3)


def test_a_good_file_is_clean_and_carries_its_kind():
    form = ReplyForm(data={}, files={"letter": upload("答复函.docx", samples.DOCX)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["letter"].upload_kind == "docx"
    assert form.cleaned_data["photo"] is None


def test_the_form_shows_the_chinese_message_on_the_field():
    form = ReplyForm(
        data={},
        files={
            "letter": upload("答复函.pdf", samples.EXE),
            "photo": upload("照片.jpg", samples.JPEG + b"\x00" * 2000),
        },
    )
    assert not form.is_valid()
    assert form.errors["letter"] == [
        "不支持的文件类型：Windows 可执行程序（.exe）（仅限 PDF、Word）"
    ]
    assert form.errors["photo"] == ["文件过大：最大 1 KB"]


def test_the_picker_offers_only_the_accepted_kinds():
    html = str(ReplyForm()["photo"])
    assert 'accept=".jpg,.png,.jpeg,image/jpeg,image/png"' in html
    assert 'accept=".doc,.docx,.pdf,application/msword,application/pdf,' in str(
        ReplyForm()["letter"]
    )


def test_several_files_are_each_checked_and_named_in_the_message():
    files = MultiValueDict(
        {
            "attachments": [
                upload("照片.jpg", samples.JPEG),
                upload("病毒.pdf", samples.EXE),
                upload("方案.docx", samples.DOCX),
            ]
        }
    )
    form = SuggestionForm(data={}, files=files)
    assert not form.is_valid()
    assert form.errors["attachments"] == [
        "病毒.pdf：不支持的文件类型：Windows 可执行程序（.exe）（仅限 PDF、图片、Word、Excel、纯文本）"
    ]
    good = MultiValueDict(
        {"attachments": [upload("照片.jpg", samples.JPEG), upload("方案.docx", samples.DOCX)]}
    )
    form = SuggestionForm(data={}, files=good)
    assert form.is_valid(), form.errors
    assert [f.upload_kind for f in form.cleaned_data["attachments"]] == ["jpeg", "docx"]
    assert "multiple" in str(SuggestionForm()["attachments"])


def test_too_many_files_are_refused():
    files = MultiValueDict({"attachments": [upload(f"{i}.pdf", samples.PDF) for i in range(4)]})
    form = SuggestionForm(data={}, files=files)
    assert not form.is_valid()
    assert form.errors["attachments"] == ["最多 3 个文件。"]


def test_no_files_is_an_empty_list_unless_required():
    form = SuggestionForm(data={}, files=MultiValueDict())
    assert form.is_valid()
    assert form.cleaned_data["attachments"] == []


def test_the_model_field_validator_checks_new_uploads():
    validator = UploadValidator(allowed={"pdf"})
    validator(upload("a.pdf", samples.PDF))
    with pytest.raises(ValidationError, match="不支持的文件类型：PNG 图片（仅限 PDF）"):
        validator(upload("a.pdf", samples.PNG))


def test_the_validator_can_be_written_into_a_migration():
    validator = UploadValidator(allowed={"png", "jpeg"}, max_bytes=2048)
    text, imports = MigrationWriter.serialize(validator)
    assert text == (
        "anping.uploads.validators.UploadValidator(allowed=['jpeg', 'png'], max_bytes=2048)"
    )
    assert validator == UploadValidator(allowed=["jpeg", "png"], max_bytes=2048)
    assert validator != UploadValidator(allowed=["jpeg"], max_bytes=2048)
