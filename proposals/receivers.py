"""Reactions to the shared apps' signals."""

from django.db import transaction


def recompute_deadlines(sender, *, days=None, by=None, **kwargs) -> None:
    """The working-day calendar changed: recompute open deadlines, in a task after commit."""
    from . import tasks

    by_id = getattr(by, "pk", None)
    transaction.on_commit(lambda: tasks.recompute_deadlines.delay(by_id))
