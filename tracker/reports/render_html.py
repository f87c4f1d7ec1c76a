"""A report snapshot as an accessible HTML document (ReportLab cannot make tagged PDFs).

Renders the same blocks as the PDF with a standalone Jinja environment: no Flask, no database.
Charts are the PDF's own figures as inline SVG (a title, a description, and the table after them
as the alternative that carries every number).
"""

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from tracker.reports import charts
from tracker.reports.documents import document
from tracker.reports.drawing import to_svg
from tracker.reports.layout import EXAMPLE_NOTE, BarChart, Heatmap, Table, Text, as_of_text, collected_label
from tracker.reports.snapshot import ReportSnapshot

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "reports"
# The PDF's content width in points: the SVG keeps the PDF's proportions and scales to the page.
CHART_WIDTH = 493


def chart_svg(block, number: int) -> Markup:
    """A chart block as the inline SVG of the same figures the PDF draws."""
    figures = charts.figures_of(block, CHART_WIDTH)
    return Markup("".join(to_svg(figure, f"figur-{number}-{index}") for index, figure in enumerate(figures)))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        kind=lambda block: type(block).__name__,
        Text=Text,
        Table=Table,
        BarChart=BarChart,
        Heatmap=Heatmap,
        chart_svg=chart_svg,
    )
    return environment


def render_html(snapshot: ReportSnapshot) -> str:
    """The report as a complete HTML document."""
    template = _environment().get_template("document.html")
    return template.render(
        snapshot=snapshot,
        sections=document(snapshot),
        example_note=EXAMPLE_NOTE,
        collected=collected_label(snapshot),
        as_of=as_of_text(snapshot).text,
    )
