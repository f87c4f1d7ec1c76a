"""The TrueType fonts every PDF of the tracker embeds: the Bitstream Vera family shipped inside ReportLab.

They cover æøå and are embedded as subsets. Registered once per process; imports nothing of the tracker.
"""

from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC = (
    "TrackerSans",
    "TrackerSans-Bold",
    "TrackerSans-Italic",
    "TrackerSans-BoldItalic",
)
FONT_FILES = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf", FONT_BOLD_ITALIC: "VeraBI.ttf"}


def register_fonts() -> None:
    """Register the embedded TrueType family once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
