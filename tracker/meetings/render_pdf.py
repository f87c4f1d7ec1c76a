"""A meeting's agenda or minutes as PDF bytes, with ReportLab and the reports' embedded fonts.

Imports nothing from Flask or the database: it renders a tracker.meetings.document.MeetingDocument.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from tracker.meetings.document import AGENDA, MeetingDocument
from tracker.pdf_fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

MARGIN = 18 * mm
EXAMPLE_NOTE = "Eksempeldata – innholdet er ikke Elverum kommunes faktiske oppfølging."


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13, spaceAfter=3)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6),
        "item": ParagraphStyle("item", parent=body, fontName=FONT_BOLD, fontSize=11, spaceBefore=8),
        "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD),
        "note": ParagraphStyle(
            "note", parent=body, fontName=FONT_ITALIC, fontSize=9, textColor=colors.HexColor("#4a4a4a")
        ),
        "body": body,
    }


def markup(text: str) -> str:
    """User text made safe for a Paragraph: escaped, line breaks kept."""
    return escape(text or "").replace("\r\n", "\n").replace("\n", "<br/>")


def _head(document: MeetingDocument, styles: dict) -> list:
    flowables = [
        Paragraph(markup(document.heading), styles["title"]),
        Paragraph(markup(f"{document.programme_name} · {document.meeting_label}"), styles["note"]),
    ]
    if document.is_example_data:
        flowables.append(Paragraph(markup(EXAMPLE_NOTE), styles["label"]))
    if document.attendees:
        flowables.append(Paragraph(markup(f"Til stede: {document.attendees}"), styles["body"]))
    return flowables


def _item(item, styles: dict, with_outcome: bool) -> KeepTogether:
    parts = [
        Paragraph(markup(f"Sak {item.number}: {item.title}"), styles["item"]),
        Paragraph(markup(item.kind_label), styles["note"]),
    ]
    if item.detail:
        parts.append(Paragraph(markup(item.detail), styles["body"]))
    if with_outcome:
        parts.append(
            Paragraph(markup(f"{item.outcome_label or 'Ikke behandlet'}: {item.decision or '–'}"), styles["label"])
        )
        if item.follow_up:
            parts.append(Paragraph(markup(item.follow_up), styles["body"]))
    return KeepTogether(parts)


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawRightString(A4[0] - MARGIN, MARGIN - 8 * mm, f"Side {doc.page}")
    canvas.restoreState()


def render_pdf(document: MeetingDocument) -> bytes:
    """The agenda or the minutes as PDF bytes (A4, fonts embedded)."""
    register_fonts()
    styles = _styles()
    with_outcome = document.kind != AGENDA
    story = _head(document, styles)
    story += [_item(item, styles, with_outcome) for item in document.items] or [
        Paragraph("Ingen saker står på sakslisten.", styles["body"])
    ]
    if with_outcome and document.notes:
        story += [Spacer(1, 6), Paragraph("Notater", styles["item"]), Paragraph(markup(document.notes), styles["body"])]
    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=document.heading,
        author="Tiltaksporteføljen",
        lang="nb-NO",
    )
    pdf.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()
