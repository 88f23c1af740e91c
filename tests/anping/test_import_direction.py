"""Imports flow one way (docs/architecture.md, "Layout and the direction of imports"): a lower
layer never imports a higher one. Read from the source with `ast`, so that a new upward import
fails here however deep in a function it hides."""

from __future__ import annotations

import ast
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]

# Lowest first. Apps in one layer may import each other only where a later layer says so:
# stations sits below proposals and livelihood (they use its services and register their
# sections of the duty record from ready(); stations imports neither).
LAYERS: list[set[str]] = [
    {
        "anping.regions",
        "anping.orgs",
        "anping.accounts",
        "anping.workdays",
        "anping.uploads",
        "anping.notifications",
        "anping.history",
        "anping.web",
        "anping.errors",
    },
    {"deputies"},
    {"stations"},
    {"proposals", "livelihood", "legislation"},
    {"opinions"},  # constituents' opinions, closed: above the three it turns opinions into
    {"anping.reports"},  # the one upward reach: the figures read every app
]
# The project's own modules sit above every app: the URLconf includes each app's URLs, the
# Celery app and the settings name them all.
PROJECT = {"anping.urls", "anping.settings", "anping.celery", "anping.wsgi", "anping"}
# Allowed exceptions, each with its reason.
ALLOWED = {
    # `manage.py seed_demo` runs every app's demo builder, lowest first, by module name
    # (importlib, not an import statement): the demo is the whole portal's.
    ("anping.web", "*"): "demo seeding calls every app's demo (anping/web/management)",
}
SKIP_DIRS = {"tests", "docs", "migrations", "locale", "templates", "static", ".venv", "venv"}


def layer_of(app: str) -> int:
    return next(i for i, apps in enumerate(LAYERS) if app in apps)


def app_of(module: str) -> str | None:
    known = sorted(set().union(*LAYERS) | PROJECT, key=len, reverse=True)
    for app in known:
        if module == app or module.startswith(app + "."):
            return app
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BASE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(module: str, is_package: bool, text: str) -> list[tuple[str, int]]:
    """(module, line) of every import in the source, relative imports resolved."""
    package = module.split(".")
    if not is_package:
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            # `from anping import reports` imports a sub-package by name.
            found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
    return found


def source_files():
    """(shown path, module, is a package, text) of every source file of the project."""
    for path in sorted(BASE.rglob("*.py")):
        rel = path.relative_to(BASE).parts
        if any(part in SKIP_DIRS for part in rel):
            continue
        yield (
            str(path.relative_to(BASE)),
            module_name(path),
            path.name == "__init__.py",
            (path.read_text()),
        )


def upward_imports(files=None) -> list[str]:
    problems = []
    for shown, module, is_package, text in files if files is not None else source_files():
        source = app_of(module)
        if source is None or source in PROJECT:
            continue
        for target_module, line in imported(module, is_package, text):
            target = app_of(target_module)
            if target is None or target == source or target in PROJECT and target == "anping":
                continue
            if (source, "*") in ALLOWED or (source, target) in ALLOWED:
                continue
            if target in PROJECT:
                problems.append(f"{shown}:{line} imports {target_module}")
                continue
            same_layer_below = layer_of(target) == layer_of(source) and layer_of(source) > 0
            if layer_of(target) > layer_of(source) or same_layer_below:
                problems.append(f"{shown}:{line} imports {target_module}")
    return problems


def test_no_lower_app_imports_a_higher_one():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import():
    # A shared app reaching up to the suggestions, even inside a function; stations reaching
    # across to livelihood; a relative import resolved; reports reaching down is fine.
    probe = [
        ("regions/probe.py", "anping.regions.probe", False, "def f():\n    import proposals\n"),
        ("stations/probe.py", "stations.probe", False, "from livelihood import models\n"),
        ("proposals/probe.py", "proposals.probe", False, "from . import models\n"),
        ("reports/probe.py", "anping.reports.probe", False, "from proposals import models\n"),
    ]
    assert upward_imports(probe) == [
        "regions/probe.py:2 imports proposals",
        "stations/probe.py:1 imports livelihood",
        "stations/probe.py:1 imports livelihood.models",
    ]


def test_installed_apps_are_listed_in_the_layers_order():
    """settings.INSTALLED_APPS names the project's apps lowest first (the shared apps, then
    deputies, ..., then reports), as the layers read; Django's and third-party apps follow."""
    from django.conf import settings

    ours = [app for app in settings.INSTALLED_APPS if app_of(app) not in (None, *PROJECT)]
    layers = [layer_of(app) for app in ours]
    assert layers == sorted(layers), ours


def test_every_app_of_the_project_has_a_layer():
    from django.apps import apps

    for config in apps.get_app_configs():
        if Path(config.path).resolve().is_relative_to(BASE) and "site-packages" not in config.path:
            assert app_of(config.name) is not None, f"{config.name} has no layer in this test"
