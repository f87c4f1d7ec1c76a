"""The A4 page every PDF of the tracker is laid out on (reports, meeting agendas and minutes).

The margins, the document settings, the page number at the foot and user text made safe for a
Paragraph. Pure core: ReportLab and the font module only, nothing of Flask or the database.
"""

from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from tracker.pdf_fonts import FONT

MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def page_settings(title: str, author: str, **more) -> dict:
    """A document template's settings: A4 with the tracker's margins, in bokmål, plus `more`."""
    margins = {"leftMargin": MARGIN, "rightMargin": MARGIN, "topMargin": MARGIN, "bottomMargin": MARGIN}
    return {"pagesize": A4, **margins, "title": title, "author": author, "lang": "nb-NO", **more}


def draw_page_number(canvas, text: str) -> None:
    """`text` ("Side 3", "Side 3 av 7") in small type at the foot of the page, on the right."""
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 8 * mm, text)
    canvas.restoreState()


def markup(text: str) -> str:
    """User text made safe for a ReportLab Paragraph: escaped, line breaks kept."""
    return escape(text or "").replace("\r\n", "\n").replace("\n", "<br/>")
