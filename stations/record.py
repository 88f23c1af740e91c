"""The deputy's duty record (履职档案) is made of sections. Stations contributes its own
(activities, groups, stations, opinions); the suggestions and livelihood apps add theirs by
registering here from their AppConfig.ready(), so stations never imports them:

    from stations.record import register_section

    register_section(
        key="suggestions",
        title=_("Suggestions"),
        template="proposals/_record_section.html",
        provider=lambda *, person, year: {...},   # context for the template; counts in the DB
        order=50,
    )

A provider receives the Person and the year and returns a dict that its template reads as
`section.data`; it must run a fixed number of queries whatever the deputy did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    provider: Callable[..., dict]
    order: int = 100


@dataclass
class RenderedSection:
    key: str
    title: str
    template: str
    data: dict = field(default_factory=dict)


_SECTIONS: dict[str, Section] = {}


def register_section(
    *, key: str, title, template: str, provider: Callable[..., dict], order: int = 100
) -> None:
    """Add (or replace, by key) a section of the duty record."""
    _SECTIONS[key] = Section(key, title, template, provider, order)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def build(*, person, year: int) -> list[RenderedSection]:
    return [
        RenderedSection(s.key, str(s.title), s.template, s.provider(person=person, year=year))
        for s in sections()
    ]
