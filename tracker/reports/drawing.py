"""A chart as a few shapes, drawn the same way into the PDF (a flowable) and the HTML (inline SVG).

Charts are built once as a Figure (tracker.reports.charts); `FigureFlowable` and `to_svg` only
translate its shapes, so the web version and the PDF show the same chart. Coordinates are in
points with y upwards, as in ReportLab; SVG flips them.
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.platypus import Flowable

from tracker.palette import INK
from tracker.pdf_fonts import FONT, FONT_BOLD, SVG_FONT_FAMILY


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: str | None
    stroke: str | None = None
    # What the box shows, for a pointer hovering it in the HTML version.
    tip: str = ""


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    size: float
    anchor: str = "start"  # start | middle | end
    colour: str = INK
    bold: bool = False
    # Degrees counter-clockwise around (x, y).
    angle: float = 0


@dataclass(frozen=True)
class Figure:
    width: float
    height: float
    shapes: tuple
    title: str
    description: str


@lru_cache(maxsize=64)
def _colour(value: str | None):
    return colors.HexColor(value) if value else None


class FigureFlowable(Flowable):
    """The figure as a flowable in the PDF, drawn straight onto the canvas.

    What reportlab.graphics would draw from a Drawing of Rects, Lines and Strings, without
    building a shape object per box and label first (a heatmap of 2 000 measures has 14 000).
    """

    def __init__(self, figure: Figure):
        super().__init__()
        self.figure = figure
        self.width, self.height = figure.width, figure.height

    def wrap(self, availWidth, availHeight):  # noqa: ARG002, N803 - ReportLab's signature
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        for shape in self.figure.shapes:
            if isinstance(shape, Box):
                _draw_box(canvas, shape)
            elif isinstance(shape, Rule):
                canvas.setStrokeColor(_colour(shape.colour))
                canvas.setLineWidth(shape.width)
                canvas.line(shape.x1, shape.y1, shape.x2, shape.y2)
            else:
                _draw_label(canvas, shape)


def _draw_box(canvas, box: Box) -> None:
    fill, stroke = _colour(box.fill), _colour(box.stroke)
    if fill is not None:
        canvas.setFillColor(fill)
    if stroke is not None:
        canvas.setStrokeColor(stroke)
        canvas.setLineWidth(0.5)
    canvas.rect(box.x, box.y, box.width, box.height, stroke=int(stroke is not None), fill=int(fill is not None))


_DRAW_AT_ANCHOR = {"start": "drawString", "middle": "drawCentredString", "end": "drawRightString"}


def _draw_label(canvas, label: Label) -> None:
    canvas.setFont(FONT_BOLD if label.bold else FONT, label.size)
    canvas.setFillColor(_colour(label.colour))
    draw = getattr(canvas, _DRAW_AT_ANCHOR[label.anchor])
    if not label.angle:
        draw(label.x, label.y, label.text)
        return
    canvas.saveState()
    canvas.translate(label.x, label.y)
    canvas.rotate(label.angle)
    draw(0, 0, label.text)
    canvas.restoreState()


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_shape(shape, height: float) -> str:
    if isinstance(shape, Box):
        stroke = f' stroke="{shape.stroke}" stroke-width="0.5"' if shape.stroke else ""
        tip = f"<title>{escape(shape.tip)}</title>" if shape.tip else ""
        top = height - shape.y - shape.height
        return (
            f'<rect x="{_number(shape.x)}" y="{_number(top)}" width="{_number(shape.width)}" '
            f'height="{_number(shape.height)}" fill="{shape.fill or "none"}"{stroke}>{tip}</rect>'
        )
    if isinstance(shape, Rule):
        return (
            f'<line x1="{_number(shape.x1)}" y1="{_number(height - shape.y1)}" x2="{_number(shape.x2)}" '
            f'y2="{_number(height - shape.y2)}" stroke="{shape.colour}" stroke-width="{_number(shape.width)}"/>'
        )
    y = height - shape.y
    rotate = f' transform="rotate({_number(-shape.angle)} {_number(shape.x)} {_number(y)})"' if shape.angle else ""
    weight = ' font-weight="bold"' if shape.bold else ""
    return (
        f'<text x="{_number(shape.x)}" y="{_number(y)}" font-size="{_number(shape.size)}" fill="{shape.colour}" '
        f'text-anchor="{shape.anchor}"{weight}{rotate}>{escape(shape.text)}</text>'
    )


def to_svg(figure: Figure, chart_id: str) -> str:
    """The figure as accessible inline SVG: an image with a title and a description (the table follows it)."""
    parts = [
        f'<svg class="chart" id={quoteattr(chart_id)} viewBox="0 0 {_number(figure.width)} {_number(figure.height)}" '
        f'width="{math.ceil(figure.width)}" height="{math.ceil(figure.height)}" role="img" '
        f'aria-labelledby="{chart_id}-tittel {chart_id}-beskrivelse" font-family={quoteattr(SVG_FONT_FAMILY)} '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-tittel">{escape(figure.title)}</title>',
        f'<desc id="{chart_id}-beskrivelse">{escape(figure.description)}</desc>',
        *(_svg_shape(shape, figure.height) for shape in figure.shapes),
        "</svg>",
    ]
    return "".join(parts)
