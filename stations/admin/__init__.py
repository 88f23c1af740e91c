"""Staff work on groups, stations, activities, opinions and campaigns in the admin. Writes that
are workflow steps (participants, members, stationing, outcomes, measure status) go through the
services, from inlines, actions and the custom views alike; every other write names its service
through `ScopedAdmin`'s hooks. One module per section; importing them registers the pages."""

from . import activities, campaigns, groups, opinions, stations  # noqa: F401
