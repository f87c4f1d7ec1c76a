"""The one font family of every PDF the tracker makes (reports, meeting agendas and minutes), and text widths.

Bitstream Vera, shipped inside ReportLab (DejaVu's parent; it covers æøå), registered as
TrueType so every use is an embedded subset: no standard-14 font (Helvetica, Times-Roman) is
ever referenced, which PDF/A requires. Pure core: ReportLab only, nothing of the tracker.
"""

from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC = (
    "TrackerSans",
    "TrackerSans-Bold",
    "TrackerSans-Italic",
    "TrackerSans-BoldItalic",
)
FONT_FILES = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf", FONT_BOLD_ITALIC: "VeraBI.ttf"}
# The same face in the HTML version's inline SVG charts, where the reader's fonts draw the text.
SVG_FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif"


def register_fonts() -> None:
    """Register the embedded TrueType family once per process, and make it every default.

    ReportLab's canvas and reportlab.graphics fall back to Helvetica and Times-Roman; pointing
    their defaults at the embedded font keeps those fonts out of the PDF even where a chart
    widget draws text we did not style.
    """
    if FONT not in pdfmetrics.getRegisteredFontNames():
        folder = Path(reportlab.__file__).parent / "fonts"
        for name, filename in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
    rl_config.canvas_basefontname = FONT
    shapes.STATE_DEFAULTS["fontName"] = FONT


@lru_cache(maxsize=16_384)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of `text` in the report's font.

    Kept per text: a large report asks for the width of every cell to choose between a plain
    string and a wrapping paragraph, and its cells repeat ("–", "Ja", the same names and figures).
    """
    register_fonts()
    return pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size)
