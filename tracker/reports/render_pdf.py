"""A report snapshot as PDF bytes, with ReportLab. Imports nothing from Flask or the database.

Fonts are the Bitstream Vera TrueType files shipped inside ReportLab (they cover æøå, tracker.pdf_fonts) and
are embedded as subsets. "Side X av Y" needs the page count, so the document is laid out twice.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from tracker.pdf_fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts
from tracker.reports import charts
from tracker.reports.documents import document
from tracker.reports.layout import EXAMPLE_NOTE, BarChart, Heatmap, Section, Table, Text, collected_label
from tracker.reports.snapshot import ReportSnapshot

MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_FILL = colors.HexColor("#e6ecf2")
EXAMPLE_RED = colors.HexColor("#a4001b")
CELL_PADDING = 4
HEAD_SIZE = 7.5
# Start a heading or a table caption on a new page when less than this is left.
HEADING_ROOM = 45 * mm
CAPTION_ROOM = 30 * mm


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=8),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13.5,
            leading=17,
            spaceBefore=10,
            spaceAfter=6,
        ),
        "subheading": ParagraphStyle("subheading", parent=body, fontName=FONT_BOLD, fontSize=11, spaceBefore=8),
        "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD, spaceBefore=6, spaceAfter=1),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontName=FONT_ITALIC, fontSize=8.5),
        "caption": ParagraphStyle("caption", parent=body, fontName=FONT_BOLD, fontSize=9, spaceBefore=6, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_num": ParagraphStyle("cell_num", parent=body, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=HEAD_SIZE, leading=10, spaceAfter=0),
        "head_num": ParagraphStyle(
            "head_num",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=HEAD_SIZE,
            leading=10,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
    }


def markup(text: str) -> str:
    """User text made safe for a ReportLab Paragraph: escaped, line breaks kept."""
    return escape(text or "").replace("\r\n", "\n").replace("\n", "<br/>")


def column_widths(table: Table) -> list[float]:
    """Relative widths scaled to the page, each at least as wide as its longest header word."""
    weights = table.widths or (1,) * len(table.header)
    padding = 2 * CELL_PADDING + 1
    minimum = [
        max(pdfmetrics.stringWidth(word, FONT_BOLD, HEAD_SIZE) for word in head.split() or [""]) + padding
        for head in table.header
    ]
    widths = [max(m, w * CONTENT_WIDTH / sum(weights)) for m, w in zip(minimum, weights, strict=True)]
    excess = sum(widths) - CONTENT_WIDTH
    if excess > 0:
        # Take the overflow from the columns that are wider than their minimum, in proportion.
        slack = [w - m for w, m in zip(widths, minimum, strict=True)]
        # When even the minimums do not fit, fall back to the plain weights (long words then split).
        proportional = [w * CONTENT_WIDTH / sum(weights) for w in weights]
        widths = (
            [w - excess * s / sum(slack) for w, s in zip(widths, slack, strict=True)]
            if sum(slack) > excess
            else proportional
        )
    return widths


def table_flowable(table: Table, styles: dict) -> list:
    """A caption and a table whose header row repeats on every page it spans."""

    def cell(text: str, column: int, head: bool = False) -> Paragraph:
        kind = ("head" if head else "cell") + ("_num" if column in table.numeric else "")
        return Paragraph(markup(text), styles[kind])

    data = [[cell(text, i, head=True) for i, text in enumerate(table.header)]]
    data += [[cell(text, i) for i, text in enumerate(row)] for row in table.rows]
    pdf_table = PdfTable(data, colWidths=column_widths(table), repeatRows=1, splitInRow=1, hAlign="LEFT")
    pdf_table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#9a9a9a")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    # A conditional break instead of keepWithNext: keeping a caption with a long table would
    # move the whole table to the next page and leave a blank one behind.
    return [CondPageBreak(CAPTION_ROOM), Paragraph(markup(table.caption), styles["caption"]), pdf_table]


def block_flowables(block, styles: dict) -> list:
    if isinstance(block, Text):
        paragraph = Paragraph(markup(block.text), styles.get(block.style, styles["body"]))
        return [CondPageBreak(CAPTION_ROOM), paragraph] if block.style in ("label", "subheading") else [paragraph]
    if isinstance(block, Table):
        return table_flowable(block, styles)
    if isinstance(block, BarChart):
        title = Paragraph(markup(block.title), styles["caption"])
        return [
            KeepTogether([title, charts.bar_chart(block, CONTENT_WIDTH, FONT)]),
            *table_flowable(block.table, styles),
        ]
    if isinstance(block, Heatmap):
        title = Paragraph(markup(block.title), styles["caption"])
        first, *rest = charts.heatmaps(block, CONTENT_WIDTH, FONT)
        return [KeepTogether([title, first]), *rest, *table_flowable(block.table, styles)]
    raise TypeError(f"Unknown block {block!r}")


def _chart_height(block) -> float:
    """Room a section's leading chart needs, so its heading is not left alone at a page's foot."""
    if isinstance(block, BarChart):
        return charts.bar_chart_height(block)
    if isinstance(block, Heatmap):
        return charts.heatmaps(block, CONTENT_WIDTH, FONT)[0].height
    return 0


def story(snapshot: ReportSnapshot, sections: tuple[Section, ...], styles: dict) -> list:
    flowables = [Paragraph(markup(snapshot.title), styles["title"])]
    flowables.append(Paragraph(markup(collected_label(snapshot)), styles["note"]))
    if snapshot.is_example_data:
        flowables.append(Paragraph(markup(EXAMPLE_NOTE), styles["label"]))
    for note in snapshot.notes:
        flowables.append(Paragraph(markup(note), styles["note"]))
    for section in sections:
        flowables.append(CondPageBreak(HEADING_ROOM + _chart_height(section.blocks[0] if section.blocks else None)))
        flowables.append(Paragraph(markup(section.title), styles["h1"]))
        for block in section.blocks:
            flowables.extend(block_flowables(block, styles))
        flowables.append(Spacer(1, 4))
    return flowables


class _PageDecoration:
    """Draws the header (programme, period, example-data mark) and "Side X av Y" on each page."""

    def __init__(self, snapshot: ReportSnapshot, total_pages: int | None):
        self.snapshot = snapshot
        self.total_pages = total_pages

    def __call__(self, canvas, doc) -> None:
        snapshot = self.snapshot
        canvas.saveState()
        canvas.setFont(FONT, 8)
        top = PAGE_HEIGHT - MARGIN + 6 * mm
        canvas.drawString(MARGIN, top, f"{snapshot.programme_name} – {snapshot.period_label}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, snapshot.audience_label)
        canvas.setStrokeColor(colors.HexColor("#9a9a9a"))
        canvas.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
        total = self.total_pages or doc.page
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 8 * mm, f"Side {doc.page} av {total}")
        canvas.drawString(MARGIN, MARGIN - 8 * mm, snapshot.title[:110])
        if snapshot.is_example_data:
            canvas.setFont(FONT_BOLD, 9)
            canvas.setFillColor(EXAMPLE_RED)
            canvas.drawCentredString(PAGE_WIDTH / 2, top, "EKSEMPELDATA")
        canvas.restoreState()


def _build(snapshot: ReportSnapshot, total_pages: int | None) -> tuple[bytes, int]:
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=snapshot.title,
        author=f"{snapshot.municipality} – Tiltaksporteføljen".strip(" –"),
        subject=f"Statusrapport {snapshot.period_label} til {snapshot.audience_label}",
        creator="Tiltaksporteføljen",
        lang="nb-NO",
    )
    frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="content")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_PageDecoration(snapshot, total_pages))])
    doc.build(story(snapshot, document(snapshot), _styles()))
    return buffer.getvalue(), doc.page


def render_pdf(snapshot: ReportSnapshot) -> bytes:
    """The report as PDF bytes."""
    register_fonts()
    _, pages = _build(snapshot, None)
    pdf, _ = _build(snapshot, pages)
    return pdf
