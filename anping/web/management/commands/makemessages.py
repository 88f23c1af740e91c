"""`makemessages` with one catalog per app.

Django already writes the strings of `<app>/` to `<app>/locale/`; this also sends
`templates/<app>/` there, so each app's whole text lives in its own catalog and teams never edit
one shared file. Everything else (the shared apps under `anping/`, `templates/*.html`) goes to
the project's `locale/`. Virtual environments and collected static files are never scanned.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

APPS_WITH_CATALOGS = ("deputies", "stations", "proposals", "livelihood")


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = list(options.get("ignore_patterns") or []) + [
            ".venv/*",
            "venv/*",
            "staticfiles/*",
            "node_modules/*",
            "var/*",
            "tests/*",
            "docs/*",
        ]
        options.setdefault("no_obsolete", True)
        options["no_obsolete"] = True
        options["add_location"] = "file"
        return super().handle(*args, **options)

    def find_files(self, root):
        files = super().find_files(root)
        base = Path(settings.BASE_DIR).resolve()
        for f in files:
            try:
                parts = Path(f.dirpath).resolve().relative_to(base).parts
            except ValueError:
                continue
            if len(parts) >= 2 and parts[0] == "templates" and parts[1] in APPS_WITH_CATALOGS:
                f.locale_dir = str(base / parts[1] / "locale")
        return files
