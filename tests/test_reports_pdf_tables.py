"""Long tables in the PDF: laid out a page at a time, they paint exactly what ReportLab's own
splitting of one big table paints (page for page, operator for operator)."""

import io

import pypdf
import pytest
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from tracker.pdf_fonts import register_fonts
from tracker.reports import pdf_tables
from tracker.reports.layout import Table
from tracker.reports.pdf_tables import CONTENT_WIDTH, MARGIN, PAGE_HEIGHT, PageAtATimeTable, table_flowable
from tracker.reports.render_pdf import _styles

LONG_TEXT = "Omstillingen krever drøfting med tillitsvalgte og verneombud før vedtak. " * 4
VERY_LONG_TEXT = "En svært lang beskrivelse som må deles over flere sider i tabellen. " * 120


def _table(rows: int, very_long_row: int) -> Table:
    body = tuple(
        (
            f"1.{number} Tiltak {number}",
            VERY_LONG_TEXT if number == very_long_row else LONG_TEXT if number % 37 == 0 else "Kort tekst",
            f"{number * 1_000:,}".replace(",", "\u00a0"),
        )
        for number in range(1, rows + 1)
    )
    return Table("Tiltak og konsekvenser", ("Tiltak", "Beskrivelse", "Beløp (kr)"), body, frozenset({2}), (2, 5, 1))


def _pages(table: Table) -> list[bytes]:
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN)
    frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, PAGE_HEIGHT - 2 * MARGIN)
    doc.addPageTemplates([PageTemplate(frames=[frame])])
    styles = _styles()
    doc.build([Paragraph("Innledning. " * 40, styles["body"]), *table_flowable(table, styles)])
    return [page.get_contents().get_data() for page in pypdf.PdfReader(buffer).pages]


@pytest.mark.parametrize(
    ("rows", "very_long_row"),
    [(61, 0), (61, 1), (240, 150), (400, 47), (400, 0)],
    ids=["61 rows", "61, the first taller than a page", "240, the 150th taller", "400, the 47th", "400 rows"],
)
def test_a_long_table_laid_out_a_page_at_a_time_paints_what_reportlab_paints(rows, very_long_row, monkeypatch):
    """Also when a row taller than a page is split inside it (the second part leads the rest)."""
    table = _table(rows, very_long_row)
    assert isinstance(table_flowable(table, _styles())[-1], PageAtATimeTable)
    page_at_a_time = _pages(table)
    monkeypatch.setattr(pdf_tables, "LONG_TABLE_ROWS", 10_000)  # ReportLab splits one big table
    assert page_at_a_time == _pages(table)
    assert len(page_at_a_time) > rows // 60
