"""Stored names are random; the name the user gave is kept apart, cleaned."""

import datetime as dt
import re
import zoneinfo

import time_machine
from django.db.migrations.writer import MigrationWriter

from anping.uploads import UploadTo, original_filename


@time_machine.travel(dt.datetime(2026, 11, 28, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC")))
def test_the_stored_name_is_a_uuid_under_the_prefix_and_the_local_month():
    path = UploadTo("proposals/attachments/")(None, "../../关于加装电梯的建议.PDF")
    # 23:30 UTC on 28 November is already 29 November in Anyang: still November.
    assert re.fullmatch(r"proposals/attachments/2026/11/[0-9a-f]{32}\.pdf", path)
    with time_machine.travel(dt.datetime(2026, 11, 30, 16, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))):
        assert UploadTo("p")(None, "a.pdf").startswith("p/2026/12/")  # 1 December local


def test_stored_names_never_repeat_and_keep_only_known_extensions():
    to = UploadTo("p")
    names = {to(None, "同名.docx") for _ in range(100)}
    assert len(names) == 100
    assert to(None, "evil.php").rsplit("/", 1)[1].isalnum()
    assert to(None, "no-extension").rsplit("/", 1)[1].isalnum()
    assert to(None, "图.JPEG").endswith(".jpeg")


def test_upload_to_can_be_written_into_a_migration():
    text, _imports = MigrationWriter.serialize(UploadTo("livelihood/photos"))
    assert text == "anping.uploads.storage.UploadTo('livelihood/photos')"
    assert UploadTo("a") == UploadTo("a/") and UploadTo("a") != UploadTo("b")


def test_the_original_name_is_kept_without_folders_or_control_characters():
    assert original_filename("C:\\Users\\张华\\桌面\\建议.docx") == "建议.docx"
    assert original_filename("../../etc/passwd") == "passwd"
    assert original_filename("答复\r\n函\x00.pdf") == "答复函.pdf"
    assert original_filename("   ") == "attachment"
    assert original_filename("", default="附件.pdf") == "附件.pdf"
    long = original_filename("很" * 300 + ".xlsx")
    assert len(long) == 200 and long.endswith(".xlsx")


def test_the_original_name_of_an_upload_object():
    from .samples import upload

    assert original_filename(upload("现场照片.jpg", b"x")) == "现场照片.jpg"


def test_bidirectional_controls_never_reach_a_stored_or_served_name():
    # "答复\u202efdp.exe" displays as "答复exe.pdf" in a browser's download bar.
    assert original_filename("答复\u202efdp.exe") == "答复fdp.exe"
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        assert original_filename(f"答{control}复.pdf") == "答复.pdf", hex(ord(control))
    assert original_filename("a\u200bb\ufeff.pdf") == "ab.pdf"  # zero-width characters
