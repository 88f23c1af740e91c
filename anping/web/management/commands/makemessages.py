"""`makemessages` with one catalog per app.

Django already writes the strings under `<app dir>/` to `<app dir>/locale/` when that folder exists;
this also sends `templates/<label>/` to the catalog of the app with that label, so each app's whole
text lives in its own catalog and nobody edits a shared file. What belongs to no app with a
catalog (the shell: `templates/*.html`, `anping/web`, `accounts`, `regions`, `orgs`) goes to the
project's `locale/`. `--app LABEL` (or `--app project`) refreshes one catalog only. Virtual
environments, tests and collected static files are never scanned.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.commands import makemessages


def app_catalogs() -> dict[str, Path]:
    """label → locale dir, for every installed app of this project that has its own catalog."""
    base = Path(settings.BASE_DIR).resolve()
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        installed = "site-packages" in path.parts  # a virtualenv inside the checkout
        if path.is_relative_to(base) and not installed and (path / "locale").is_dir():
            found[config.label] = path / "locale"
    return found


class Command(makemessages.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--app", default="", help="refresh only this app's catalog ('project' for locale/)"
        )

    def handle(self, *args, **options):
        self.only_app = options.pop("app", "")
        options["ignore_patterns"] = list(options.get("ignore_patterns") or []) + [
            ".venv/*",
            "venv/*",
            "staticfiles/*",
            "node_modules/*",
            "var/*",
            "tests/*",
            "docs/*",
        ]
        options["no_obsolete"] = True
        options["add_location"] = "file"
        return super().handle(*args, **options)

    def find_files(self, root):
        files = super().find_files(root)
        base = Path(settings.BASE_DIR).resolve()
        catalogs = app_catalogs()
        for f in files:
            try:
                parts = Path(f.dirpath).resolve().relative_to(base).parts
            except ValueError:
                continue
            if len(parts) >= 2 and parts[0] == "templates" and parts[1] in catalogs:
                f.locale_dir = str(catalogs[parts[1]])
        if self.only_app:
            target = base / "locale" if self.only_app == "project" else catalogs.get(self.only_app)
            if target is None:
                raise SystemExit(
                    f"no catalog for app {self.only_app!r}: create its locale/ folder first"
                )
            files = [f for f in files if Path(f.locale_dir).resolve() == target.resolve()]
        return files
