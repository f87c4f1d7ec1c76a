"""A chart as a few shapes, drawn the same way into the PDF (reportlab.graphics) and the HTML (inline SVG).

Charts are built once as a Figure (tracker.reports.charts); `to_drawing` and `to_svg` only
translate its shapes, so the web version and the PDF show the same chart. Coordinates are in
points with y upwards, as in ReportLab; SVG flips them.
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors

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


def _string(label: Label, x: float = 0, y: float = 0) -> String:
    font = FONT_BOLD if label.bold else FONT
    return String(
        x, y, label.text, fontName=font, fontSize=label.size, fillColor=_colour(label.colour), textAnchor=label.anchor
    )


def to_drawing(figure: Figure) -> Drawing:
    """The figure as a ReportLab drawing (a flowable in the PDF)."""
    drawing = Drawing(figure.width, figure.height)
    for shape in figure.shapes:
        if isinstance(shape, Box):
            drawing.add(
                Rect(
                    shape.x,
                    shape.y,
                    shape.width,
                    shape.height,
                    fillColor=_colour(shape.fill),
                    strokeColor=_colour(shape.stroke),
                    strokeWidth=0.5,
                )
            )
        elif isinstance(shape, Rule):
            drawing.add(
                Line(shape.x1, shape.y1, shape.x2, shape.y2, strokeColor=_colour(shape.colour), strokeWidth=shape.width)
            )
        elif shape.angle:
            group = Group(_string(shape))
            group.translate(shape.x, shape.y)
            group.rotate(shape.angle)
            drawing.add(group)
        else:
            drawing.add(_string(shape, shape.x, shape.y))
    return drawing


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
