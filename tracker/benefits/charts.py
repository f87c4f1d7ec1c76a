"""Bar charts as SVG drawn on the server. Pure: no Flask, no database, no CDN, no inline styles.

Colours are CSS classes (static/css/benefits.css) so the page works under a strict
Content-Security-Policy; each chart also gets a table alternative in its template.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

from tracker.money import format_mnok

WIDTH = 760
HEIGHT = 320
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 64
TICKS = 5


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str
    values: tuple[int, ...]


def _scale(low: int, high: int):
    span = (high - low) or 1
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def y(value: int) -> float:
        return MARGIN_TOP + (high - value) * plot_height / span

    return y


def _nice_step(span: int) -> int:
    raw = max(1, span // TICKS)
    magnitude = 10 ** (len(str(raw)) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _axis(low: int, high: int, y) -> list[str]:
    step = _nice_step(high - low)
    parts = []
    tick = (low // step) * step
    while tick <= high:
        pos = y(tick)
        parts.append(
            f'<line class="chart-grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{pos:.1f}" y2="{pos:.1f}"/>'
        )
        parts.append(
            f'<text class="chart-tick" x="{MARGIN_LEFT - 6}" y="{pos + 4:.1f}" text-anchor="end">{format_mnok(tick)}</text>'
        )
        tick += step
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[Series],
    markers: dict[int, int] | None = None,
    marker_name: str = "Mål",
) -> Markup:
    """Grouped bars per category (values in kroner, axis in mill. kr); `markers` {category index: value}."""
    markers = markers or {}
    values = [v for s in series for v in s.values] + list(markers.values()) + [0]
    step = _nice_step(max(values) - min(values))
    low, high = min(0, (min(values) // step) * step), -(-max(values) // step) * step
    y = _scale(low, high)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(1, len(categories))
    bar = slot * 0.8 / max(1, len(series))
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-tittel" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-tittel">{escape(title)} (mill. kr). Tallene står i tabellen under.</title>',
        *_axis(low, high, y),
    ]
    for index, category in enumerate(categories):
        left = MARGIN_LEFT + index * slot + slot * 0.1
        for number, item in enumerate(series):
            value = item.values[index]
            top, bottom = sorted((y(value), y(0)))
            parts.append(
                f'<rect class="{item.css_class}" x="{left + number * bar:.1f}" y="{top:.1f}" '
                f'width="{bar * 0.9:.1f}" height="{max(bottom - top, 0.5):.1f}">'
                f"<title>{escape(category)}: {escape(item.name)} {format_mnok(value)} mill. kr</title></rect>"
            )
        if index in markers:
            pos = y(markers[index])
            parts.append(
                f'<line class="chart-target" x1="{left - slot * 0.05:.1f}" x2="{left + slot * 0.85:.1f}" '
                f'y1="{pos:.1f}" y2="{pos:.1f}"><title>{escape(category)}: {escape(marker_name)} '
                f"{format_mnok(markers[index])} mill. kr</title></line>"
            )
        parts.append(
            f'<text class="chart-label" x="{left + slot * 0.4:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}" '
            f'text-anchor="middle">{escape(category)}</text>'
        )
    parts.append(
        f'<line class="chart-axis" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>'
    )
    parts.extend(_legend(series, marker_name if markers else None))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(series: list[Series], marker_name: str | None) -> list[str]:
    parts, x = [], MARGIN_LEFT
    top = HEIGHT - 24
    for item in series:
        parts.append(f'<rect class="{item.css_class}" x="{x}" y="{top}" width="12" height="12"/>')
        parts.append(f'<text class="chart-legend" x="{x + 16}" y="{top + 11}">{escape(item.name)}</text>')
        x += 24 + 8 * len(item.name)
    if marker_name:
        parts.append(f'<line class="chart-target" x1="{x}" x2="{x + 14}" y1="{top + 6}" y2="{top + 6}"/>')
        parts.append(f'<text class="chart-legend" x="{x + 18}" y="{top + 11}">{escape(marker_name)}</text>')
    return parts
