"""Server-drawn SVG charts: values in the right place, no inline styles, text escaped."""

import re

from tracker.benefits import charts


def chart(values, markers=None):
    series = [charts.Series("Prognose", "bar-forecast", tuple(values))]
    return str(charts.bar_chart("c", "Test <&>", ["2026", "2027", "2028"], series, markers=markers))


def bars(svg: str) -> list[tuple[float, float]]:
    """(y, height) of each data bar (legend swatches are 12 high and at the bottom)."""
    found = re.findall(r'<rect class="bar-forecast" x="[\d.]+" y="([\d.-]+)" width="[\d.]+" height="([\d.]+)">', svg)
    return [(float(y), float(h)) for y, h in found]


def test_bars_grow_from_zero_and_a_cost_goes_below_the_axis():
    svg = chart([2_000_000, 4_000_000, -1_000_000])
    (y1, h1), (y2, h2), (y3, h3) = bars(svg)
    assert h2 == 2 * h1  # twice the saving, twice the height
    assert y1 + h1 == y2 + h2 == y3  # the first two end at the zero line, where the cost bar starts
    assert h3 == h1 / 2


def test_target_markers_and_table_free_svg_is_csp_safe():
    svg = chart([1_000_000, 2_000_000, 3_000_000], markers={2: 4_000_000})
    assert svg.count('class="chart-target"') == 2  # the marker and its legend entry
    assert "2028: Mål 4,0 mill. kr" in svg
    assert "style=" not in svg and "<script" not in svg
    assert "Test &lt;&amp;&gt;" in svg and 'role="img"' in svg


def test_all_zero_values_still_draw():
    assert len(bars(chart([0, 0, 0]))) == 3
