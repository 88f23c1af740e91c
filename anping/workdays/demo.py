"""Demo data: the State Council's holiday schedule for the years the package covers."""

from . import services


def seed(ctx) -> None:
    result = services.calendar_sync_from_package()
    ctx.say(f"  working-day calendar: {result.created} holidays and make-up days")
