"""Charts drawn on the server as SVG (no script, no browser): a regime's incidents a day
over the trend's days, as bars. Labels stay in the page around the chart, so they are
shaped and set right to left by the page's own text engine."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 300
HEIGHT = 40


def bars(counts: list[int], *, label: str, colour: str = "#0b57d0") -> Markup:
    """A bar a day, oldest on the left, scaled to the largest count; the last day (the
    report's) darker. ``label`` is the chart's accessible name."""
    top = max(counts, default=0) or 1
    step = WIDTH / max(len(counts), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}">',
        f'<line x1="0" y1="{HEIGHT - 0.5}" x2="{WIDTH}" y2="{HEIGHT - 0.5}" stroke="#9aa3ad" '
        'stroke-width="1"/>',
    ]
    for n, count in enumerate(counts):
        if not count:
            continue
        height = max(1.0, (HEIGHT - 2) * count / top)
        fill = "#1d2430" if n == len(counts) - 1 else colour
        parts.append(
            f'<rect x="{n * step + 1:.1f}" y="{HEIGHT - 1 - height:.1f}" '
            f'width="{max(step - 2, 1):.1f}" height="{height:.1f}" fill="{fill}"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
