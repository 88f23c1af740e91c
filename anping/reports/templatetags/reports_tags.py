from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """A ratio as a percent with one decimal ("—" when there is no base)."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"
