"""Writing rows to a worksheet: text that is never a formula, mill. kr and dates in Norwegian formats."""

from datetime import date
from typing import Any

from openpyxl.styles import Font

from tracker.money import nok_to_mnok
from tracker.text import without_control
from tracker.uploads import safe_cell_text

MNOK_FORMAT = "#,##0.0##"
DATE_FORMAT = "DD.MM.YYYY"
_ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def cell_text(text: str) -> str:
    """Text for a cell that is never a formula and reads back unchanged with `plain_text`."""
    text = without_control(text)
    if text.startswith("'"):
        return "'" + text
    return safe_cell_text(text)


def plain_text(value: str) -> str:
    """Undo `cell_text`: drop the apostrophe that kept the text from being read as a formula."""
    if len(value) > 1 and value[0] == "'" and value[1] in _ESCAPED_STARTS:
        return value[1:]
    return value


def mnok_value(amount_nok: int | None) -> float | None:
    return None if amount_nok is None else float(nok_to_mnok(amount_nok))


def _write_row(sheet, row_number: int, values: list[Any]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row_number, column=column)
        if isinstance(value, str):
            cell.value = cell_text(value)
            cell.data_type = "s"
        else:
            cell.value = value
            if isinstance(value, float):
                cell.number_format = MNOK_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT


def write_table(sheet, headers: list[str], rows: list[list[Any]]) -> None:
    _write_row(sheet, 1, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, values in enumerate(rows, start=2):
        _write_row(sheet, index, values)
    sheet.freeze_panes = "A2"
