"""Walking the project's URLconf: every pattern, concrete paths for it filled with bad values,
and the GET parameters the views behind it read. Importable helpers for tests/anping/test_no_500.py
(and anyone else's fuzzing)."""

from __future__ import annotations

import inspect
import re
import uuid
from dataclasses import dataclass, field
from functools import cache

from django.contrib.admin import site
from django.contrib.admin.filters import SimpleListFilter
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# Bad values for a path parameter, by converter. `abc` and `代表` in an int slot do not match the
# route at all (a 404 from the resolver), which is worth proving too.
PATH_VALUES = {
    "int": ["0", "1", "99999999999999999999", "abc"],
    "str": ["abc", "0", "99999999999999999999", "代表", "%E2%80%AE"],
    "path": ["abc", "0", "99999999999999999999", "代表", "a/b"],
    "slug": ["abc", "0", "99999999999999999999"],
    "uuid": [str(uuid.UUID(int=0)), str(uuid.uuid4())],
}
# Bad values for a GET parameter: words where numbers belong, numbers past every column's range,
# impossible months and dates, Chinese text, a negative page.
PARAM_VALUES = ["abc", "-1", "0", "99999999999999999999", "9999-12", "2024-13-45", "代表", "1e999"]
# What every list and admin page may read: search, paging, ordering, periods, the ids the
# portal's pages take, the admin's own.
COMMON_PARAMS = [
    "q",
    "page",
    "month",
    "year",
    "poll",
    "report",
    "person",
    "region",
    "unread",
    "kind",
    "o",
    "p",
    "e",
    "_changelist_filters",
    "_to_field",
    "next",
]
READ = re.compile(r"(?:GET|POST|query_params)(?:\.get(?:list)?\(|\[)\s*[\"']([\w-]+)[\"']")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Route:
    route: str  # "admin/proposals/suggestion/<path:object_id>/change/"
    name: str
    callback: object
    converters: list[tuple[str, str]] = field(default_factory=list)  # (converter, name)

    @property
    def group(self) -> str:
        """Which area the route belongs to: "admin/<app>" or the first path segment."""
        parts = self.route.split("/")
        if parts[0] == "admin":
            admin = self.model_admin
            if admin is not None:
                return f"admin/{admin.model._meta.app_label}"
            return "admin"
        return parts[0] or "home"

    @property
    def model_admin(self):
        return getattr(self.callback, "model_admin", None)

    @property
    def view_module(self) -> str:
        admin = self.model_admin
        if admin is not None:
            return type(admin).__module__
        view = getattr(self.callback, "view_class", self.callback)
        view = inspect.unwrap(view)
        return getattr(view, "__module__", "")

    def paths(self) -> list[str]:
        """The route with every parameter filled with each bad value of its converter in turn
        (all parameters of one path get the same turn)."""
        if not self.converters:
            return ["/" + self.route]
        rounds = max(len(PATH_VALUES.get(conv, PATH_VALUES["str"])) for conv, _ in self.converters)
        paths = []
        for turn in range(rounds):

            def fill(match, turn=turn):
                values = PATH_VALUES.get(match.group(1) or "str", PATH_VALUES["str"])
                return values[turn % len(values)]

            paths.append("/" + CONVERTER.sub(fill, self.route))
        return sorted(set(paths))

    def params(self) -> list[str]:
        """The GET parameters worth trying on this route: those its module reads, the common
        ones, and for an admin changelist its filters' and date hierarchy's parameters."""
        names = set(COMMON_PARAMS) | module_params(self.view_module)
        admin = self.model_admin
        if admin is not None and self.name.endswith("_changelist"):
            names |= admin_filter_params(admin)
        return sorted(names)


def _walk(resolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix, pattern


@cache
def routes() -> list[Route]:
    """Every route of the project's URLconf with plain `path()` syntax. The admin's two regex
    routes are replaced by their concrete forms (each app's index; the catch-all is any
    unknown address, tried by the routes' bad values)."""
    found = []
    for prefix, pattern in _walk(get_resolver()):
        text = prefix + str(pattern.pattern)
        if not isinstance(pattern.pattern, RoutePattern):
            if "app_label" in text:
                labels = {m._meta.app_label for m in site._registry}
                found += [
                    Route(f"admin/{label}/", f"app_list:{label}", pattern.callback)
                    for label in sorted(labels)
                ]
            continue
        found.append(
            Route(
                text,
                pattern.name or "",
                pattern.callback,
                [(conv or "str", name) for conv, name in CONVERTER.findall(text)],
            )
        )
    return found


@cache
def module_params(module: str) -> frozenset[str]:
    """The names a view module reads from request.GET / request.POST."""
    import importlib

    try:
        source = inspect.getsource(importlib.import_module(module))
    except (ImportError, OSError, TypeError):
        return frozenset()
    return frozenset(READ.findall(source))


def admin_filter_params(admin) -> set[str]:
    """The query parameters an admin changelist's filters and date hierarchy read."""
    names: set[str] = set()
    for entry in admin.list_filter:
        target = entry[0] if isinstance(entry, tuple | list) else entry
        if isinstance(target, type) and issubclass(target, SimpleListFilter):
            names.add(target.parameter_name)
            continue
        if isinstance(target, str):
            names |= {
                f"{target}__exact",
                f"{target}__id__exact",
                f"{target}__isnull",
            }
    if admin.date_hierarchy:
        names |= {f"{admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return names
