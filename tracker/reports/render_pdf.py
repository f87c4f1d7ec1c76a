"""A report snapshot as PDF/A-2b bytes, with ReportLab. Imports nothing from Flask or the database.

One font family, embedded everywhere (tracker.pdf_fonts); PDF/A metadata, language and
output intent (tracker.reports.pdfa); a bookmark per section. The document is laid out once:
"Side X av Y" takes its Y from a form drawn after the last page.
"""

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate, Paragraph, Spacer

from tracker.pdf_fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts
from tracker.reports import charts
from tracker.reports.documents import document
from tracker.reports.drawing import FigureFlowable
from tracker.reports.layout import EXAMPLE_NOTE, BarChart, Heatmap, Section, Table, Text, as_of_text, collected_label
from tracker.reports.pdf_tables import (
    CELL_LEADING,
    CELL_SIZE,
    CONTENT_WIDTH,
    HEAD_SIZE,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    markup,
    table_flowable,
)
from tracker.reports.pdfa import make_archival
from tracker.reports.snapshot import ReportSnapshot

EXAMPLE_RED = colors.HexColor("#a4001b")
# Start a heading on a new page when less than this (plus its first chart) is left.
HEADING_ROOM = 40 * mm


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4, allowWidows=0, allowOrphans=0
    )
    cell = {"parent": body, "fontSize": CELL_SIZE, "leading": CELL_LEADING, "spaceAfter": 0, "splitLongWords": 0}
    head = {**cell, "fontName": FONT_BOLD, "fontSize": HEAD_SIZE}
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
            keepWithNext=1,
        ),
        "subheading": ParagraphStyle(
            "subheading", parent=body, fontName=FONT_BOLD, fontSize=11, spaceBefore=8, keepWithNext=1
        ),
        "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD, spaceBefore=6, spaceAfter=1, keepWithNext=1),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontName=FONT_ITALIC),
        "draft": ParagraphStyle("draft", parent=body, fontName=FONT_BOLD, textColor=EXAMPLE_RED),
        # No keepWithNext: it would keep a long table whole; table_flowable keeps captions with their tables.
        "caption": ParagraphStyle("caption", parent=body, fontName=FONT_BOLD, fontSize=9, spaceBefore=6, spaceAfter=3),
        "cell": ParagraphStyle("cell", **cell),
        "cell_num": ParagraphStyle("cell_num", **cell, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", **head),
        "head_num": ParagraphStyle("head_num", **head, alignment=TA_RIGHT),
    }


def _figures(block, styles: dict) -> list:
    title = Paragraph(markup(block.title), styles["caption"])
    first, *rest = [FigureFlowable(figure) for figure in charts.figures_of(block, CONTENT_WIDTH)]
    return [KeepTogether([title, first]), *rest, *table_flowable(block.table, styles)]


def block_flowables(block, styles: dict) -> list:
    if isinstance(block, Text):
        return [Paragraph(markup(block.text), styles.get(block.style, styles["body"]))] if block.text else []
    if isinstance(block, Table):
        return table_flowable(block, styles)
    if isinstance(block, BarChart | Heatmap):
        return _figures(block, styles)
    raise TypeError(f"Unknown block {block!r}")


class _Heading(Paragraph):
    """A section heading: a bookmark and an entry in the document outline, on the page it lands on."""

    def draw(self):
        key = f"section-{id(self)}"
        self.canv.bookmark_here(key)
        self.canv.addOutlineEntry(self.text, key, level=0)
        super().draw()


def section_flowables(section: Section, styles: dict) -> list:
    """A section, its heading kept with the start of its first block (never alone at a page's foot)."""
    heading = _Heading(markup(section.title), styles["h1"])
    body = [flowable for block in section.blocks for flowable in block_flowables(block, styles)]
    room = HEADING_ROOM
    if body and isinstance(body[0], CondPageBreak):
        room = max(room, 30 + body.pop(0).height)
    if body and isinstance(body[0], KeepTogether):
        first = body.pop(0)
        return [CondPageBreak(room), KeepTogether([heading, *first._content]), *body, Spacer(1, 4)]
    return [CondPageBreak(room), heading, *body, Spacer(1, 4)]


def story(snapshot: ReportSnapshot, sections: tuple[Section, ...], styles: dict) -> list:
    flowables = [Paragraph(markup(snapshot.title), styles["title"])]
    if snapshot.is_preview:
        flowables.append(Paragraph(markup(f"UTKAST – {snapshot.period_label} er ikke slutt ennå."), styles["draft"]))
    flowables.append(Paragraph(markup(collected_label(snapshot)), styles["note"]))
    if snapshot.is_example_data:
        flowables.append(Paragraph(markup(EXAMPLE_NOTE), styles["label"]))
    flowables.extend(block_flowables(as_of_text(snapshot), styles))
    for section in sections:
        flowables.extend(section_flowables(section, styles))
    return flowables


class _PageDecoration:
    """Draws the header (programme, period, example-data and draft marks) and "Side X av Y" on each page."""

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
        canvas.drawString(MARGIN, MARGIN - 8 * mm, snapshot.title[:95])
        marks = [
            mark for mark, on in (("EKSEMPELDATA", snapshot.is_example_data), ("UTKAST", snapshot.is_preview)) if on
        ]
        if marks:
            canvas.setFont(FONT_BOLD, 9)
            canvas.setFillColor(EXAMPLE_RED)
            canvas.drawCentredString(PAGE_WIDTH / 2, top, " · ".join(marks))
        canvas.restoreState()


class _ReportCanvas(Canvas):
    """Holds each page until the document ends, then writes "Side X av Y" on it and makes the file PDF/A-2b.

    So the document is laid out once. Bookmarks made on a page are placed when it is written.
    """

    keywords = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[tuple[dict, list[str]]] = []
        self._page_bookmarks: list[str] = []

    def bookmark_here(self, key: str) -> None:
        self._page_bookmarks.append(key)

    def showPage(self):  # noqa: N802 - ReportLab's name
        self._held_pages.append((dict(self.__dict__), self._page_bookmarks))
        self._page_bookmarks = []
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for state, bookmarks in self._held_pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(FONT, 8)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 8 * mm, f"Side {self._pageNumber} av {total}")
            self.restoreState()
            for key in bookmarks:
                self.bookmarkPage(key)
            Canvas.showPage(self)
        make_archival(self, self.keywords)
        self.showOutline()
        Canvas.save(self)


def _doc_template(buffer: BytesIO, snapshot: ReportSnapshot) -> BaseDocTemplate:
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
        initialFontName=FONT,
    )
    frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="content")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_PageDecoration(snapshot))])
    return doc


def render_pdf(snapshot: ReportSnapshot) -> bytes:
    """The report as PDF/A-2b bytes."""
    register_fonts()
    buffer = BytesIO()
    doc = _doc_template(buffer, snapshot)
    keywords = f"Tiltaksporteføljen; kvartalsrapport; {snapshot.period}; {snapshot.audience}"
    canvas_class = type("ReportCanvas", (_ReportCanvas,), {"keywords": keywords})
    doc.build(story(snapshot, document(snapshot), _styles()), canvasmaker=canvas_class)
    return buffer.getvalue()
