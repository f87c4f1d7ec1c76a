"""A report snapshot as an accessible HTML document (ReportLab cannot make tagged PDFs).

Renders the same blocks as the PDF with a standalone Jinja environment: no Flask, no database.
Charts appear as their tables, which carry every number the chart shows.
"""

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tracker.reports.documents import document
from tracker.reports.layout import EXAMPLE_NOTE, BarChart, Heatmap, Table, Text, collected_label
from tracker.reports.snapshot import ReportSnapshot

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "reports"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        kind=lambda block: type(block).__name__, Text=Text, Table=Table, BarChart=BarChart, Heatmap=Heatmap
    )
    return environment


def render_html(snapshot: ReportSnapshot) -> str:
    """The report as a complete HTML document."""
    template = _environment().get_template("document.html")
    return template.render(
        snapshot=snapshot, sections=document(snapshot), example_note=EXAMPLE_NOTE, collected=collected_label(snapshot)
    )
