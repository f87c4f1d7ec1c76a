"""Writing a list as JSON or as CSV for Norwegian Excel, and cutting it into pages. Pure: no Flask, no database.

JSON: `{"items": [...], "next": URL or null}`, keys in the order of the list's fields, ISO dates.
CSV: UTF-8 with a byte order mark and semicolons (what Norwegian Excel expects), decimal commas,
and text that Excel would run as a formula made harmless with a leading apostrophe.
"""

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from tracker.api.fields import Field

BOM = "\ufeff"
# Text starting with one of these is a formula to Excel (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, default=_json_default, separators=(",", ":")).encode("utf-8")


def list_json(items: Sequence[dict], next_url: str | None) -> bytes:
    return json_bytes({"items": list(items), "next": next_url})


def csv_cell(value) -> str:
    """One value as Norwegian Excel reads it: empty for null, decimal comma, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, datetime | date):
        return _json_default(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def list_csv(fields: Sequence[Field], items: Sequence[dict]) -> bytes:
    """A header row of field names, then one row per item in the same order."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([item.name for item in fields])
    for item in items:
        writer.writerow([csv_cell(item.get(column.name)) for column in fields])
    return buffer.getvalue().encode("utf-8")


def window(rows: Sequence[dict], offset: int, limit: int | None) -> tuple[list[dict], bool]:
    """The rows of one page and whether more follow."""
    if limit is None:
        return list(rows[offset:]), False
    return list(rows[offset : offset + limit]), len(rows) > offset + limit
