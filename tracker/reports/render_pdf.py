"""A report snapshot as PDF bytes, with ReportLab. Imports nothing from Flask or the database.

Fonts are the Bitstream Vera TrueType files shipped inside ReportLab (they cover æøå) and are
embedded as subsets. "Side X av Y" needs the page count: the document is laid out once, and the
canvas keeps its finished pages until the end to write the count on each (_PageCountingCanvas).
"""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
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
from reportlab.platypus import LongTable as PdfTable

from tracker.reports import charts
from tracker.reports.documents import document
from tracker.reports.layout import EXAMPLE_NOTE, BarChart, Heatmap, Section, Table, Text, collected_label
from tracker.reports.snapshot import ReportSnapshot

FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC = (
    "TrackerSans",
    "TrackerSans-Bold",
    "TrackerSans-Italic",
    "TrackerSans-BoldItalic",
)
FONT_FILES = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf", FONT_BOLD_ITALIC: "VeraBI.ttf"}
MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_FILL = colors.HexColor("#e6ecf2")
EXAMPLE_RED = colors.HexColor("#a4001b")
CELL_PADDING = 4
HEAD_SIZE = 7.5
# Text in table cells: the size and leading of the "cell" paragraph style.
CELL_SIZE, CELL_LEADING = 8, 10
# Start a heading or a table caption on a new page when less than this is left.
HEADING_ROOM = 45 * mm
CAPTION_ROOM = 30 * mm


def register_fonts() -> None:
    """Register the embedded TrueType family once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)


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
    """A caption and a table whose header row repeats on every page it spans.

    Figures and any text that fits its column on one line are drawn as plain strings; only text
    that must wrap becomes a Paragraph (laying out a Paragraph per cell was most of a big report's
    time). A LongTable measures rows only as far as the page they go on: a plain Table measured
    every remaining row again at each page break, quadratic in a table of thousands of rows.
    """
    widths = column_widths(table)
    room = [width - 2 * CELL_PADDING for width in widths]

    def cell(text: str, column: int, head: bool = False) -> Paragraph | str:
        if not head and (column in table.numeric or _fits(text, room[column])):
            return text
        kind = ("head" if head else "cell") + ("_num" if column in table.numeric else "")
        return Paragraph(markup(text), styles[kind])

    data = [[cell(text, i, head=True) for i, text in enumerate(table.header)]]
    data += [[cell(text, i) for i, text in enumerate(row)] for row in table.rows]
    pdf_table = PdfTable(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    numeric_cells = [("ALIGN", (column, 1), (column, -1), "RIGHT") for column in table.numeric]
    pdf_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
                *numeric_cells,
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


def _fits(text: str, room: float) -> bool:
    """Whether a cell's text goes on one line as it is (no line break, nothing to escape or wrap)."""
    return "\n" not in text and pdfmetrics.stringWidth(text, FONT, CELL_SIZE) <= room


def block_flowables(block, styles: dict) -> tuple[list, float]:
    """The block's flowables, and the height of the chart it starts with (0 for none): a section that
    starts with a chart needs that much room below its heading, or the heading is left alone."""
    if isinstance(block, Text):
        paragraph = Paragraph(markup(block.text), styles.get(block.style, styles["body"]))
        return ([CondPageBreak(CAPTION_ROOM), paragraph] if block.style in ("label", "subheading") else [paragraph]), 0
    if isinstance(block, Table):
        return table_flowable(block, styles), 0
    if isinstance(block, BarChart):
        title = Paragraph(markup(block.title), styles["caption"])
        chart = charts.bar_chart(block, CONTENT_WIDTH, FONT)
        return [KeepTogether([title, chart]), *table_flowable(block.table, styles)], charts.bar_chart_height(block)
    if isinstance(block, Heatmap):
        title = Paragraph(markup(block.title), styles["caption"])
        first, *rest = charts.heatmaps(block, CONTENT_WIDTH, FONT)
        return [KeepTogether([title, first]), *rest, *table_flowable(block.table, styles)], first.height
    raise TypeError(f"Unknown block {block!r}")


def story(snapshot: ReportSnapshot, sections: tuple[Section, ...], styles: dict) -> list:
    flowables = [Paragraph(markup(snapshot.title), styles["title"])]
    flowables.append(Paragraph(markup(collected_label(snapshot)), styles["note"]))
    if snapshot.is_example_data:
        flowables.append(Paragraph(markup(EXAMPLE_NOTE), styles["label"]))
    for note in snapshot.notes:
        flowables.append(Paragraph(markup(note), styles["note"]))
    for section in sections:
        blocks = [block_flowables(block, styles) for block in section.blocks]
        flowables.append(CondPageBreak(HEADING_ROOM + (blocks[0][1] if blocks else 0)))
        flowables.append(Paragraph(markup(section.title), styles["h1"]))
        for block, _chart_height in blocks:
            flowables.extend(block)
        flowables.append(Spacer(1, 4))
    return flowables


class _PageDecoration:
    """Draws the header (programme, period, example-data mark) and the footer's title on each page."""

    def __init__(self, snapshot: ReportSnapshot):
        self.snapshot = snapshot

    def __call__(self, canvas, doc) -> None:  # noqa: ARG002 - ReportLab's onPage signature
        snapshot = self.snapshot
        canvas.saveState()
        canvas.setFont(FONT, 8)
        top = PAGE_HEIGHT - MARGIN + 6 * mm
        canvas.drawString(MARGIN, top, f"{snapshot.programme_name} – {snapshot.period_label}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, snapshot.audience_label)
        canvas.setStrokeColor(colors.HexColor("#9a9a9a"))
        canvas.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
        canvas.drawString(MARGIN, MARGIN - 8 * mm, snapshot.title[:110])
        if snapshot.is_example_data:
            canvas.setFont(FONT_BOLD, 9)
            canvas.setFillColor(EXAMPLE_RED)
            canvas.drawCentredString(PAGE_WIDTH / 2, top, "EKSEMPELDATA")
        canvas.restoreState()


class _PageCountingCanvas(Canvas):
    """A canvas that holds each finished page until the document ends, then writes "Side X av Y".

    Why: the page count is known only after the last page, and laying the whole document out a
    second time to learn it took as long as the first (the AMU report for 2 000 measures: 20 s).
    Holding a page is keeping its drawing operations, which the canvas builds anyway.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._finished_pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._finished_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._finished_pages)
        for number, page in enumerate(self._finished_pages, start=1):
            self.__dict__.update(page)
            self.saveState()
            self.setFont(FONT, 8)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 8 * mm, f"Side {number} av {total}")
            self.restoreState()
            super().showPage()
        super().save()


def render_pdf(snapshot: ReportSnapshot) -> bytes:
    """The report as PDF bytes, laid out once."""
    register_fonts()
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
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_PageDecoration(snapshot))])
    doc.build(story(snapshot, document(snapshot), _styles()), canvasmaker=_PageCountingCanvas)
    return buffer.getvalue()
