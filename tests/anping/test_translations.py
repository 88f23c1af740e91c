"""The UI is Chinese: every source string has a translation, and the catalogs are current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

BASE = Path(__file__).resolve().parents[2]
SKIP = {
    ".venv",
    "var",
    "staticfiles",
    ".git",
    "node_modules",
    ".pytest_cache",
    ".ruff_cache",
    "media",
}


def catalogs(root: Path) -> dict[str, Path]:
    found = {}
    for po in root.rglob("locale/zh_Hans/LC_MESSAGES/*.po"):
        rel = po.relative_to(root)
        if rel.parts[0] not in SKIP:
            found[str(rel)] = po
    return found


def test_there_are_catalogs_for_the_project_and_each_app():
    names = set(catalogs(BASE))
    assert "locale/zh_Hans/LC_MESSAGES/django.po" in names
    assert "deputies/locale/zh_Hans/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("rel", sorted(catalogs(BASE)))
def test_every_string_is_translated_and_compiled(rel):
    po = polib.pofile(str(BASE / rel))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == [], f"{rel}: strings without a translation"
    mo_path = BASE / rel.replace(".po", ".mo")
    assert mo_path.exists(), f"{rel} is not compiled: run `make messages`"
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(mo_path))
    }
    po_entries = {
        (e.msgctxt, e.msgid): (e.msgstr, {k: v for k, v in e.msgstr_plural.items()})
        for e in po
        if e.translated() and not e.obsolete
    }
    stale = sorted(k[1] for k in po_entries if k not in mo or mo[k][0] != po_entries[k][0])
    assert stale == [], f"{rel.replace('.po', '.mo')} is out of date: run `make messages`"


def test_catalogs_hold_every_source_string(tmp_path):
    """Extract the strings afresh from a copy of the source: none may be missing a catalog entry."""
    copy = tmp_path / "src"
    shutil.copytree(BASE, copy, ignore=lambda d, names: [n for n in names if n in SKIP])
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "anping.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    missing = {}
    for rel, fresh in catalogs(copy).items():
        original = BASE / rel
        known = {e.msgid for e in polib.pofile(str(original))} if original.exists() else set()
        new = [e.msgid for e in polib.pofile(str(fresh)) if e.msgid not in known]
        if new:
            missing[rel] = new
    assert missing == {}, "source strings not in the catalogs: run `make messages` and translate"
