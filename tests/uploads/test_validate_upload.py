"""Uploads are checked by what they contain, not by what they are called."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from anping.uploads import DEFAULT_KINDS, detect_kind, validate_upload

from . import samples
from .samples import upload

ACCEPTED = [
    ("答复函.pdf", samples.PDF, "pdf", "application/pdf"),
    ("现场照片.png", samples.PNG, "png", "image/png"),
    ("现场照片.jpg", samples.JPEG, "jpeg", "image/jpeg"),
    ("手机照片.webp", samples.WEBP, "webp", "image/webp"),
    (
        "办理方案.docx",
        samples.DOCX,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "进度表.xlsx",
        samples.XLSX,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("旧版答复.doc", samples.DOC, "doc", "application/msword"),
    ("旧版统计.xls", samples.XLS, "xls", "application/vnd.ms-excel"),
    ("Excel 95.xls", samples.XLS_BIFF5, "xls", "application/vnd.ms-excel"),
    ("远处目录.doc", samples.DOC_FAR, "doc", "application/msword"),
    ("说明.txt", samples.TEXT, "txt", "text/plain; charset=utf-8"),
    ("活动记录.txt", samples.GBK_TEXT, "txt", "text/plain; charset=utf-8"),
    ("记事本.txt", samples.UTF16_TEXT, "txt", "text/plain; charset=utf-8"),
]


@pytest.mark.parametrize(("name", "content", "kind", "content_type"), ACCEPTED)
def test_each_accepted_kind_is_recognised_by_its_content(name, content, kind, content_type):
    file = upload(name, content)
    detected = validate_upload(file)
    assert detected == kind
    assert detected.content_type == content_type
    assert file.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(("name", "content", "kind", "content_type"), ACCEPTED)
def test_the_name_does_not_matter_only_the_content(name, content, kind, content_type):
    assert validate_upload(upload("无扩展名", content)) == kind
    assert detect_kind(io.BytesIO(content)) == kind


def test_a_program_renamed_pdf_is_rejected_with_a_clear_message():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("答复函.pdf", samples.EXE))
    assert caught.value.messages == [
        "不支持的文件类型：Windows 可执行程序（.exe）（仅限 PDF、图片、Word、Excel、纯文本）"
    ]
    assert caught.value.code == "file_type"


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("照片.jpg", samples.ELF, "可执行程序（ELF）"),
        ("方案.docx", samples.DOCM, "含宏的 Office 文件"),
        ("汇报.pptx", samples.PPTX, "其他 Office 文件"),
        ("资料.zip", samples.ZIP, "ZIP 压缩包"),
        ("安装.doc", samples.MSI, "其他 OLE 复合文件（例如安装程序）"),
        ("伪装.doc", samples.OLE_BROKEN, "已损坏的 OLE 复合文件"),
        ("页面.txt", samples.HTML, "HTML 文件"),
        ("动图.png", samples.GIF, "GIF 文件"),
        ("坏文件.docx", b"PK\x03\x04" + b"\x00" * 100, "已损坏的 ZIP 压缩包"),
        ("二进制.pdf", bytes(range(256)) * 4, "无法识别的内容"),
    ],
)
def test_other_contents_are_rejected_and_named(name, content, what):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    assert caught.value.messages == [
        f"不支持的文件类型：{what}（仅限 PDF、图片、Word、Excel、纯文本）"
    ]


def test_a_page_in_utf16_is_not_plain_text_either():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("页面.txt", "<html><script>x</script>".encode("utf-16")))
    assert caught.value.code == "file_type"


def test_a_field_accepting_fewer_kinds_says_which():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("答复函.pdf", samples.PDF), allowed={"jpeg", "png"})
    assert caught.value.messages == ["不支持的文件类型：PDF（仅限 图片）"]
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("说明.txt", samples.TEXT), allowed=DEFAULT_KINDS - {"txt"})
    assert caught.value.messages == ["不支持的文件类型：纯文本（仅限 PDF、图片、Word、Excel）"]


def test_a_file_over_the_setting_is_rejected_before_its_content_is_read(settings):
    assert settings.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    big = upload("扫描件.pdf", samples.PDF + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        validate_upload(big)
    assert caught.value.messages == ["文件过大：最大 10 MB"]
    assert caught.value.code == "file_too_large"
    exactly = upload("扫描件.pdf", samples.PDF + b"\x00" * (10 * 1024 * 1024 - len(samples.PDF)))
    assert validate_upload(exactly) == "pdf"


def test_the_limit_follows_the_setting_and_the_argument(settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024 + 512 * 1024
    with pytest.raises(ValidationError, match="文件过大：最大 2.5 MB"):
        validate_upload(upload("a.pdf", samples.PDF + b"\x00" * (3 * 1024 * 1024)))
    with pytest.raises(ValidationError, match="文件过大：最大 64 KB"):
        validate_upload(upload("a.pdf", samples.PDF + b"\x00" * 70_000), max_bytes=64 * 1024)


def test_an_empty_file_is_rejected():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("空.pdf", b""))
    assert caught.value.messages == ["文件为空。"]


def test_messages_follow_the_language():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload("a.pdf", samples.EXE))
    assert caught.value.messages == [
        "Unsupported file type: Windows program (.exe) (only PDF, images, Word, Excel, plain text)"
    ]


def test_a_plain_binary_file_object_works_too(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(samples.PDF)
    with path.open("rb") as handle:
        assert validate_upload(handle) == "pdf"


def test_a_real_excel_97_file_is_recognised_from_its_directory():
    # Written by xlwt (BIFF8 in an OLE compound file), as older office software saves .xls.
    from pathlib import Path

    content = (Path(__file__).parent / "files" / "xlwt-biff8.xls").read_bytes()
    detected = validate_upload(upload("统计表.xls", content))
    assert (detected, detected.content_type) == ("xls", "application/vnd.ms-excel")


def test_sizes_read_the_same_everywhere_with_no_stray_decimal():
    from anping.uploads import size_text

    assert size_text(10 * 1024 * 1024) == "10 MB"
    assert size_text(10 * 1024 * 1024 + 512 * 1024) == "10.5 MB"
    assert size_text(64 * 1024) == "64 KB"


def test_a_damaged_ole_directory_is_refused_whatever_its_names():
    from anping.uploads.validation import inspect

    damaged = "已损坏的 OLE 复合文件"
    # The directory said to start past the end of the file.
    far = bytearray(samples.DOC)
    far[48:52] = (999).to_bytes(4, "little")
    assert inspect(io.BytesIO(bytes(far))) == (None, damaged)
    # Cut short inside the directory.
    assert inspect(io.BytesIO(samples.DOC[:700])) == (None, damaged)
    assert inspect(io.BytesIO(samples.OLE_BROKEN)) == (None, damaged)
