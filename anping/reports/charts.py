"""Small charts drawn on the server as inline SVG: the portal loads no chart library and no
asset from outside (it runs on closed government networks)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#b3261e", "#1d5fa8", "#1c7c3c", "#8a5a00", "#6b3fa0", "#00717a"]


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def hbar(
    items: list[tuple[str, float, str]], *, percent: bool = False, title: str = ""
) -> SafeString:
    """Horizontal bars: (label, value, link or "") each; values ≥ 0."""
    row_h, label_w, bar_w, pad = 24, 104, 200, 56
    height = max(1, len(items)) * row_h + 8
    top = max((v for _l, v, _u in items), default=0) or 1
    if percent:
        top = max(top, 1.0)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 '
        f'{label_w + bar_w + pad} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for i, (label, value, url) in enumerate(items):
        y = 4 + i * row_h
        w = 0 if not value else max(2, round(bar_w * value / top))
        bar = (
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 10}" '
            f'fill="{PALETTE[0]}" rx="2"></rect>'
        )
        text = (
            f'<text x="{label_w - 6}" y="{y + row_h / 2 + 4}" text-anchor="end" '
            f'fill="#1f2328">{escape(label)}</text>'
            f'<text x="{label_w + w + 6}" y="{y + row_h / 2 + 4}" fill="#5b6470">'
            f"{escape(_fmt(value, percent))}</text>"
        )
        if url:
            parts.append(f'<a href="{escape(url)}">{bar}{text}</a>')
        else:
            parts.append(bar + text)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(
    labels: list[str], series: list[tuple[str, list[float]]], *, title: str = ""
) -> SafeString:
    """Grouped vertical columns: one group per label (e.g. months), one column per series."""
    width, height, left, bottom, top_pad = 900, 240, 48, 28, 26
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    top = max((v for _n, vs in series for v in vs), default=0) or 1
    n = max(1, len(labels))
    group_w = plot_w / n
    col_w = max(2, (group_w - 6) / max(1, len(series)))
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" xmlns="http://www.w3.org/2000/svg" font-size="12">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for frac in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dde1e6"></line>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#5b6470">'
            f"{escape(_fmt(top * frac, False))}</text>"
        )
    for i, label in enumerate(labels):
        x0 = left + i * group_w + 3
        for j, (_name, values) in enumerate(series):
            v = values[i] if i < len(values) else 0
            h = plot_h * v / top
            parts.append(
                f'<rect x="{x0 + j * col_w:.1f}" y="{top_pad + plot_h - h:.1f}" '
                f'width="{col_w - 1:.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(label)} {escape(_name)}: {escape(_fmt(v, False))}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group_w / 2 - 3:.1f}" y="{height - 8}" text-anchor="middle" '
            f'fill="#5b6470">{escape(label)}</text>'
        )
    for j, (name, _values) in enumerate(series):
        parts.append(
            f'<rect x="{left + j * 120}" y="4" width="10" height="10" '
            f'fill="{PALETTE[j % len(PALETTE)]}"></rect>'
            f'<text x="{left + j * 120 + 14}" y="13" fill="#1f2328">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
