from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.8537 → "85.4%"; nothing to show → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def pair(by_level: dict, level: str) -> str:
    """ "active / total" of one level in a coverage row."""
    n, active = by_level.get(level, (0, 0))
    return f"{active} / {n}" if n else "—"
