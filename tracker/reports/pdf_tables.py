"""The report's tables in the PDF: column widths, cells, and tables of thousands of rows laid out a page at a time.

Imports nothing from Flask or the database. A table's header row repeats on every page it spans.
"""

from dataclasses import dataclass
from itertools import accumulate
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, TableStyle
from reportlab.platypus import Table as PdfTable

from tracker.pdf_fonts import FONT, text_width
from tracker.reports.layout import Table

MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_FILL = colors.HexColor("#e6ecf2")
CELL_PADDING = 4
# Above and below a cell's text; the leading of a cell's lines (TABLE_STYLE).
CELL_PADDING_Y = 2
CELL_LEADING = 10
CELL_SIZE = 8
# A table's header is never smaller than its body.
HEAD_SIZE = CELL_SIZE
ROW_HEIGHT = 12
# A table shorter than this many rows is never split across pages.
SMALL_TABLE_ROWS = 12
LOOKED_AT_WORDS = 12
# A table longer than this (about a page) is handed to ReportLab a page at a time (PageAtATimeTable).
LONG_TABLE_ROWS = 60


def markup(text: str) -> str:
    """User text made safe for a ReportLab Paragraph: escaped, line breaks kept."""
    return escape(text or "").replace("\r\n", "\n").replace("\n", "<br/>")


def _longest_word(texts, size: float, bold: bool) -> float:
    """The width of the widest word in `texts` (the longest few by letters are measured)."""
    words = {word for text in texts for word in (text or "").split()}
    longest = sorted(words, key=len, reverse=True)[:LOOKED_AT_WORDS]
    return max((text_width(word, size, bold) for word in longest), default=0.0)


def column_widths(table: Table) -> list[float]:
    """Relative widths scaled to the page, each wide enough for its longest word, so no word is split."""
    weights = table.widths or (1,) * len(table.header)
    padding = 2 * CELL_PADDING + 1
    minimum = [
        max(
            _longest_word([head], HEAD_SIZE, True),
            _longest_word((row[index] for row in table.rows), CELL_SIZE, False),
        )
        + padding
        for index, head in enumerate(table.header)
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


_ROW_LINE = colors.HexColor("#9a9a9a")
_TABLE_COMMANDS = [
    # Cells hold paragraphs; the cell font matters only because the table sets it (never Helvetica).
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
    ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, _ROW_LINE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
]
TABLE_STYLE = TableStyle(_TABLE_COMMANDS)
# After a page break ReportLab carries the line below the last row it placed to the top of the first
# row on the next page, drawn after the header's line: the same here for a part cut from a long table.
CONTINUED_STYLE = TableStyle(
    [*_TABLE_COMMANDS[:5], ("LINEABOVE", (0, 1), (-1, 1), 0.25, _ROW_LINE), *_TABLE_COMMANDS[5:]]
)


def _cell(text: str, width: float, style: ParagraphStyle):
    """A body cell: plain text when it fits on one line (fast to lay out), else a wrapping paragraph."""
    if "\n" not in text and text_width(text, CELL_SIZE) <= width - 2 * CELL_PADDING:
        return text
    return [Paragraph(markup(text), style)]


def _row_heights(data: list[list], widths: list[float]) -> list[float]:
    """Each row's height as ReportLab's Table measures it: its tallest cell and the padding.

    Measured once here and handed to the table: a table split at a page break hands each part
    its rows' heights, where a table left to measure itself measured every remaining row again
    at each page break (quadratic in a table of thousands of rows).
    """
    room = [width - 2 * CELL_PADDING for width in widths]
    tallest = 72000 - 2 * CELL_PADDING_Y  # what the table offers a cell to wrap in
    heights = []
    for row in data:
        height = 0.0
        for cell, width in zip(row, room, strict=True):
            if isinstance(cell, str):
                cell_height = CELL_LEADING * (cell.count("\n") + 1)
            else:
                cell_height = sum(flowable.wrap(width, tallest)[1] for flowable in cell)
            height = max(height, cell_height)
        heights.append(height + 2 * CELL_PADDING_Y)
    return heights


def table_flowable(table: Table, styles: dict) -> list:
    """A caption and a table whose header row repeats on every page it spans.

    A short table stays whole with its caption; a long one starts on a new page unless its
    caption, header and first rows fit, so neither a caption nor a lone row is left behind.
    """
    widths = column_widths(table)
    columns = range(len(table.header))
    cell_styles = [styles["cell_num" if i in table.numeric else "cell"] for i in columns]
    head_styles = [styles["head_num" if i in table.numeric else "head"] for i in columns]
    data = [[[Paragraph(markup(text), head_styles[i])] for i, text in enumerate(table.header)]]
    data += [[_cell(text, widths[i], cell_styles[i]) for i, text in enumerate(row)] for row in table.rows]
    rows = _Rows(data, widths, _row_heights(data, widths), [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in table.numeric])
    pdf_table = rows.table(1, len(data)) if len(data) <= LONG_TABLE_ROWS else PageAtATimeTable(rows)
    caption = Paragraph(markup(table.caption), styles["caption"])
    if len(table.rows) < SMALL_TABLE_ROWS:
        return [KeepTogether([caption, pdf_table])]
    return [CondPageBreak(30 + ROW_HEIGHT * 5), caption, pdf_table]


@dataclass(frozen=True)
class _Rows:
    """A table's cells (the header first), column widths, row heights and style: what each page's part is cut from."""

    data: list[list]
    widths: list[float]
    heights: list[float]
    style: list[tuple]
    h_align: str = "LEFT"

    def table(self, start: int, end: int) -> PdfTable:
        """ReportLab's table of the header and rows start..end-1, styled as ReportLab styles the part of a
        table after a page break when it does not start with the first row (CONTINUED_STYLE)."""
        part = PdfTable(
            self.data[:1] + self.data[start:end],
            colWidths=self.widths,
            rowHeights=self.heights[:1] + self.heights[start:end],
            repeatRows=1,
            splitInRow=1,
            hAlign=self.h_align,
        )
        part.setStyle(TABLE_STYLE if start == 1 else CONTINUED_STYLE)
        part.setStyle(self.style)
        return part


class PageAtATimeTable(Flowable):
    """A table of thousands of rows, given to ReportLab one page at a time.

    At a page break ReportLab's Table builds the table of every remaining row again (its cells,
    styles and row positions), quadratic in a table of thousands of rows. This flowable holds
    the rows and where the rest begins; at a page break it cuts the rows that fit into a table of
    their own, split where ReportLab would split it, and keeps the rest. Only when not even one
    row fits below the header does ReportLab's own split (inside a row) decide, as before.
    """

    def __init__(self, rows: _Rows, start: int = 1, rest_heights: list[float] | None = None):
        super().__init__()
        self.rows, self.start = rows, start
        self.hAlign = rows.h_align
        # The height of rows i.. for every i, summed once for the whole table.
        self._rest = rest_heights or list(accumulate(reversed(rows.heights), initial=0.0))[::-1]
        self._whole: PdfTable | None = None

    def _height(self) -> float:
        return self.rows.heights[0] + self._rest[self.start]

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's signature
        self.width = sum(self.rows.widths)
        if self._height() <= availHeight:  # the rest fits: from here on it is an ordinary table
            self._whole = self.rows.table(self.start, len(self.rows.data))
            return self._whole.wrap(availWidth, availHeight)
        self._whole = None
        return self.width, self._height()

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - ReportLab's name
        if self._whole is None:
            self._whole = self.rows.table(self.start, len(self.rows.data))
            self._whole.wrap(self.width, self._height())
        self._whole.drawOn(canvas, x, y, _sW)

    def split(self, availWidth, availHeight):  # noqa: N803 - ReportLab's signature
        """The rows that fit (counted as Table._getFirstPossibleSplitRowPosition counts them) and the rest."""
        heights, end = self.rows.heights, self.start
        used = heights[0]
        while end < len(heights) and used + heights[end] <= availHeight:
            used += heights[end]
            end += 1
        if end == self.start:
            return self._split_inside_row(availWidth, availHeight)
        if end == len(heights):
            return [self.rows.table(self.start, end)]
        return [self.rows.table(self.start, end), PageAtATimeTable(self.rows, end, self._rest)]

    def _split_inside_row(self, availWidth, availHeight) -> list:  # noqa: N803 - ReportLab's names
        """Not one row fits below the header: ReportLab splits inside the row if it can (decided by the
        header and that row alone), else the rest goes to the next page. The row's second part then
        leads the rest of the table, as the first row of a table starting afresh. (ReportLab's table
        made by a split inside a row is centred where the table was on the left, and so is every
        part after it: 6 points further left, the frame's padding. Kept, so that the pages stay the same.)"""
        parts = self.rows.table(self.start, self.start + 1).split(availWidth, availHeight)
        if len(parts) != 2:
            return []
        first, second = parts
        rows = self.rows
        rest = _Rows(
            rows.data[:1] + second._cellvalues[1:] + rows.data[self.start + 1 :],
            rows.widths,
            rows.heights[:1] + second._rowHeights[1:] + rows.heights[self.start + 1 :],
            rows.style,
            second.hAlign,
        )
        return [first, PageAtATimeTable(rest)]
