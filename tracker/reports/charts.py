"""The report's charts as Figures (tracker.reports.drawing), each also printed as a table.

Colours come from tracker.palette, as on the pages; every text is 8 pt, the size of a table's
body, so no label shrinks below what the tables print.
"""

import math

from tracker.money import format_decimal
from tracker.palette import GRID, INK, SCORE_FILL, SCORE_TEXT, TARGET
from tracker.pdf_fonts import text_width
from tracker.reports.drawing import Box, Figure, Label, Rule
from tracker.reports.layout import BarChart, Heatmap

SIZE = 8
BAR_HEIGHT = 190
HEATMAP_ROW_HEIGHT = 13
HEATMAP_ROWS_PER_DRAWING = 40
HEADER_ANGLE = 40
ELLIPSIS = "…"


def _nice_step(span: float) -> float:
    """A round step for about five grid lines over `span`."""
    raw = max(span / 5, 1e-9)
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if raw <= factor * magnitude)


def _tick(value: float) -> str:
    return format_decimal(value, 0 if float(value).is_integer() else 1)


def _value_axis(values: list[float]) -> tuple[float, float, float]:
    low, high = min([0.0, *values]), max([0.0, *values])
    step = _nice_step((high - low) or 1)
    return math.floor(low / step) * step, math.ceil(high / step) * step or step, step


def _legend(items: list[tuple[str, str | None]], x: float, y: float, width: float) -> list:
    """Legend entries (name, fill; None for the target line) in rows from (x, y) downwards."""
    shapes, left = [], x
    for name, fill in items:
        room = 14 + text_width(name, SIZE) + 12
        if left + room > x + width and left > x:
            left, y = x, y - 12
        if fill is None:
            shapes.append(Rule(left, y + 3, left + 10, y + 3, TARGET, 2.5))
        else:
            shapes.append(Box(left, y, 9, 7, fill, INK))
        shapes.append(Label(left + 13, y, name, SIZE))
        left += room
    return shapes


def _legend_rows(items: list[tuple[str, str | None]], width: float) -> int:
    rows, left = 1, 0.0
    for name, _ in items:
        room = 14 + text_width(name, SIZE) + 12
        if left + room > width and left > 0:
            rows, left = rows + 1, 0.0
        left += room
    return rows


def _mnok_text(value: float) -> str:
    return f"{format_decimal(value, 1)} mill. kr"


def grouped_bars(block: BarChart, width: float) -> Figure:
    """Bars per category and series (mill. kr), with the target of each category as a line across its bars."""
    legend_items = [(name, block.colours[i]) for i, (name, _) in enumerate(block.series)]
    if any(marker is not None for marker in block.markers):
        legend_items.append((block.marker_name, None))
    legend_height = 12 * _legend_rows(legend_items, width - 44)
    values = [v for _, series in block.series for v in series] + [m for m in block.markers if m is not None]
    low, high, step = _value_axis(values)
    left, bottom, top = 44, 22 + legend_height, BAR_HEIGHT - 8
    plot_width = width - left - 6

    def y(value: float) -> float:
        return bottom + (value - low) * (top - bottom) / (high - low)

    shapes: list = []
    tick = low
    while tick <= high + step / 2:
        shapes.append(Rule(left, y(tick), width - 6, y(tick), GRID, 0.5))
        shapes.append(Label(left - 4, y(tick) - 3, _tick(tick), SIZE, "end"))
        tick += step
    slot = plot_width / max(1, len(block.categories))
    bar = slot * 0.8 / max(1, len(block.series))
    for index, category in enumerate(block.categories):
        start = left + index * slot + slot * 0.1
        for number, (name, series) in enumerate(block.series):
            value = series[index]
            low_y, high_y = sorted((y(0), y(value)))
            tip = f"{category}: {name} {_mnok_text(value)}"
            shapes.append(
                Box(start + number * bar, low_y, bar * 0.9, max(high_y - low_y, 0.4), block.colours[number], tip=tip)
            )
        marker = block.markers[index] if index < len(block.markers) else None
        if marker is not None:
            shapes.append(Rule(start - slot * 0.05, y(marker), start + slot * 0.85, y(marker), TARGET, 2.5))
        shapes.append(Label(start + slot * 0.4, bottom - 11, category, SIZE, "middle"))
    shapes.append(Rule(left, y(0), width - 6, y(0), INK, 1))
    shapes += _legend(legend_items, left, legend_height - 9, width - left)
    return Figure(width, BAR_HEIGHT, tuple(shapes), block.title, block.description)


def count_bars(block: BarChart, width: float) -> Figure:
    """One horizontal bar per category (a count), coloured per category, with the count at its end."""
    (name, counts), *_ = block.series
    label_width = max(text_width(category, SIZE) for category in block.categories) + 8
    row, height = 16, 8 + 16 * len(block.categories)
    most = max([1.0, *counts])
    plot_width = width - label_width - 40
    shapes: list = []
    for index, (category, count) in enumerate(zip(block.categories, counts, strict=True)):
        y = height - (index + 1) * row
        length = plot_width * count / most
        fill = block.colours[index] if index < len(block.colours) else INK
        shapes.append(Label(label_width - 6, y + 4, category, SIZE, "end"))
        shapes.append(
            Box(label_width, y + 1, max(length, 0.4), row - 4, fill, INK, tip=f"{category}: {count:g} {name.lower()}")
        )
        shapes.append(Label(label_width + length + 4, y + 4, f"{count:g}", SIZE))
    return Figure(width, height, tuple(shapes), block.title, block.description)


def bar_figure(block: BarChart, width: float) -> Figure:
    return count_bars(block, width) if block.horizontal else grouped_bars(block, width)


def _fit(text: str, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` at the chart's size."""
    full = text_width(text, SIZE)
    if full <= width:
        return text
    # Cut in proportion first, then a letter at a time: a handful of measurements, not one per letter.
    text = text[: max(1, int(len(text) * width / full))]
    while len(text) > 1 and text_width(text + ELLIPSIS, SIZE) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _heatmap_geometry(block: Heatmap, width: float) -> tuple[float, float, float]:
    """(label width, cell width, header height): slanted headers at full size, titles in what is left."""
    sine, cosine = math.sin(math.radians(HEADER_ANGLE)), math.cos(math.radians(HEADER_ANGLE))
    longest = max([text_width(name, SIZE) for name in block.column_labels] or [0])
    cell = 44.0
    overhang = max(0.0, longest * cosine - cell / 2)
    label_width = width - overhang - cell * len(block.column_labels)
    return label_width, cell, longest * sine + 10


def _heatmap_piece(block: Heatmap, rows: range, width: float, with_header: bool) -> Figure:
    label_width, cell, header = _heatmap_geometry(block, width)
    header = header if with_header else 2
    height = header + HEATMAP_ROW_HEIGHT * len(rows)
    top = height - header
    shapes: list = []
    if with_header:
        for column, name in enumerate(block.column_labels):
            x = label_width + column * cell + cell / 2
            shapes.append(Label(x, top + 4, name, SIZE, angle=HEADER_ANGLE))
    for position, row in enumerate(rows):
        y = top - (position + 1) * HEATMAP_ROW_HEIGHT
        shapes.append(Label(2, y + 3.5, _fit(block.row_labels[row], label_width - 8), SIZE))
        for column, value in enumerate(block.values[row]):
            score = int(value) if value is not None else None
            x = label_width + column * cell
            name = block.column_labels[column]
            tip = f"{block.row_labels[row]}: {name} {'–' if value is None else f'{value:g}'}"
            shapes.append(Box(x, y, cell, HEATMAP_ROW_HEIGHT, SCORE_FILL.get(score, "#ffffff"), "#ffffff", tip))
            text = "–" if value is None else f"{value:g}"
            shapes.append(Label(x + cell / 2, y + 3.5, text, SIZE, "middle", SCORE_TEXT.get(score, INK)))
    return Figure(width, height, tuple(shapes), block.title, block.description)


def heatmap_figures(block: Heatmap, width: float) -> list[Figure]:
    """The heatmap in page-sized pieces (a drawing cannot split across pages); the first has the header."""
    count = len(block.row_labels)
    return [
        _heatmap_piece(block, range(start, min(count, start + HEATMAP_ROWS_PER_DRAWING)), width, start == 0)
        for start in range(0, count, HEATMAP_ROWS_PER_DRAWING)
    ]


def figures_of(block, width: float) -> list[Figure]:
    """The figures a chart block draws."""
    return heatmap_figures(block, width) if isinstance(block, Heatmap) else [bar_figure(block, width)]
