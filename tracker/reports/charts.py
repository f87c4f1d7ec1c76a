"""Charts drawn with reportlab.graphics. Each chart's numbers are also printed as a table."""

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from tracker.reports.layout import BarChart, Heatmap

SERIES_COLOURS = (
    colors.HexColor("#005a8c"),
    colors.HexColor("#e08a00"),
    colors.HexColor("#1d6b2c"),
    colors.HexColor("#7a4b9c"),
)
# Score 1 (low risk) … 5 (high risk); dark text stays readable on every fill.
SCORE_COLOURS = {
    1: colors.HexColor("#b7dfb9"),
    2: colors.HexColor("#dcedb0"),
    3: colors.HexColor("#fbe7a1"),
    4: colors.HexColor("#f7b98b"),
    5: colors.HexColor("#ee8a8a"),
}
HEATMAP_ROW_HEIGHT = 13
HEATMAP_ROWS_PER_DRAWING = 35


def _value_range(values: list[float]) -> tuple[float, float]:
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + 1
    return low, high * 1.1 if high > 0 else high


def bar_chart_height(block: BarChart) -> float:
    return 60 + 18 * len(block.categories) if block.horizontal else 190


def bar_chart(block: BarChart, width: float, font: str) -> Drawing:
    """Grouped bars with a legend; vertical per category, or horizontal for counts."""
    height = bar_chart_height(block)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart() if block.horizontal else VerticalBarChart()
    chart.x, chart.y = (110, 10) if block.horizontal else (40, 40)
    chart.width = width - chart.x - (20 if block.horizontal else 120)
    chart.height = height - chart.y - 15
    # A horizontal chart draws its first category at the bottom: reverse so it reads top-down.
    order = (lambda items: list(items)[::-1]) if block.horizontal else list
    chart.data = [order(values) for _, values in block.series]
    chart.categoryAxis.categoryNames = order(block.categories)
    low, high = _value_range([value for _, values in block.series for value in values])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = low, high
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = lambda value: f"{value:g}".replace(".", ",")
    for index in range(len(block.series)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if len(block.series) > 1:
        legend = Legend()
        legend.x, legend.y = width - 105, height - 20
        legend.fontName, legend.fontSize = font, 8
        legend.colorNamePairs = [
            (SERIES_COLOURS[i % len(SERIES_COLOURS)], name) for i, (name, _) in enumerate(block.series)
        ]
        drawing.add(legend)
    return drawing


def _heatmap_drawing(block: Heatmap, rows: range, width: float, font: str) -> Drawing:
    label_width, head_height = 60, 26
    cell_width = min(70, (width - label_width) / max(1, len(block.column_labels)))
    drawing = Drawing(width, head_height + HEATMAP_ROW_HEIGHT * len(rows))
    top = drawing.height - head_height
    for column, name in enumerate(block.column_labels):
        x = label_width + column * cell_width + cell_width / 2
        size = max(4.5, min(6.5, 6.5 * (cell_width - 4) / max(1.0, stringWidth(name, font, 6.5))))
        drawing.add(String(x, top + 6, name, fontName=font, fontSize=size, textAnchor="middle"))
    for position, row in enumerate(rows):
        y = top - (position + 1) * HEATMAP_ROW_HEIGHT
        drawing.add(String(2, y + 3.5, block.row_labels[row], fontName=font, fontSize=7))
        for column, value in enumerate(block.values[row]):
            x = label_width + column * cell_width
            fill = SCORE_COLOURS.get(int(value)) if value is not None else colors.white
            drawing.add(Rect(x, y, cell_width, HEATMAP_ROW_HEIGHT, fillColor=fill, strokeColor=colors.white))
            text = "–" if value is None else f"{value:g}"
            drawing.add(String(x + cell_width / 2, y + 3.5, text, fontName=font, fontSize=7, textAnchor="middle"))
    return drawing


def heatmaps(block: Heatmap, width: float, font: str) -> list[Drawing]:
    """The heatmap in page-sized pieces (a drawing cannot split across pages)."""
    count = len(block.row_labels)
    return [
        _heatmap_drawing(block, range(start, min(count, start + HEATMAP_ROWS_PER_DRAWING)), width, font)
        for start in range(0, count, HEATMAP_ROWS_PER_DRAWING)
    ]
