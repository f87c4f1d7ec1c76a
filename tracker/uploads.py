"""Checking uploaded Excel files before parsing them.

An .xlsx file is a zip archive of XML. Before openpyxl sees it we check that it is a zip, that
it holds a workbook, and that it does not inflate beyond a limit (a "zip bomb"). defusedxml is
installed, and openpyxl uses it automatically to refuse XML entity attacks.
"""

import io
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

import openpyxl

from tracker.text import without_control

DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ENTRIES = 10_000
# Columns read from a sheet: the tracker's files have a few dozen; a cell far to the right would
# otherwise pad its row to 16 384 values.
MAX_SHEET_COLUMNS = 200
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_SHEET_HEAD_BYTES = 64 * 1024
_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b")


class UploadError(ValueError):
    """An upload refused before parsing, with a Norwegian message."""


def _read_bounded(source: str | Path | bytes | BinaryIO, limit: int) -> bytes:
    """The file's bytes, refusing more than `limit` (a packed file is never larger than unpacked)."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        with open(source, "rb") as handle:
            data = handle.read(limit + 1)
    else:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise UploadError("Filen er større enn tillatt og er avvist.")
    return data


def check_xlsx(
    source: str | Path | bytes | BinaryIO, max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES
) -> BinaryIO:
    """Return a seekable stream of a plausible, bounded .xlsx file, or raise UploadError.

    The sizes checked are those the archive declares; Python's zipfile never inflates an entry
    beyond its declared size (and fails on a CRC mismatch), so they bound what parsing can use.
    """
    data = _read_bounded(source, max_uncompressed_bytes)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadError("Filen er ikke en Excel-fil (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UploadError("Excel-filen er skadet og kan ikke leses.") from exc
    names = {entry.filename for entry in entries}
    if any(part not in names for part in REQUIRED_PARTS):
        raise UploadError("Filen er et zip-arkiv, men ikke en Excel-arbeidsbok (.xlsx).")
    if len(entries) > MAX_ENTRIES or any(entry.flag_bits & 0x1 for entry in entries):
        raise UploadError("Excel-filen har et innhold som ikke kan leses (for mange deler eller kryptert).")
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if total > max_uncompressed_bytes or total / packed > MAX_COMPRESSION_RATIO:
        raise UploadError("Filen pakkes ut til mer enn tillatt størrelse og er avvist.")
    return io.BytesIO(_with_dimensions(data))


def _undimensioned(archive: zipfile.ZipFile) -> dict[str, bytes]:
    """The worksheets that declare no dimension before their data, with one declared.

    Opening a read-only workbook looks for each sheet's dimension, and without one openpyxl
    parses the whole sheet to find out (a minute for a 1,5 MB file of 250 000 rows). Excel
    always writes it; a file without it gets a placeholder, which `sheet_rows` ignores.
    """
    found = {}
    for entry in archive.infolist():
        if not (entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")):
            continue
        with archive.open(entry) as handle:
            head = handle.read(_SHEET_HEAD_BYTES)
        match = _SHEET_DATA.search(head)
        if match and b"dimension" not in head[: match.start()]:
            content = archive.read(entry)
            placeholder = b"<" + match.group(1) + b'dimension ref="A1"/>'
            found[entry.filename] = content[: match.start()] + placeholder + content[match.start() :]
    return found


def _with_dimensions(data: bytes) -> bytes:
    """The file, its undimensioned sheets given a placeholder dimension (unchanged when there are none)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        changed = _undimensioned(archive)
        if not changed:
            return data
        target = io.BytesIO()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for entry in archive.infolist():
                out.writestr(entry.filename, changed.get(entry.filename) or archive.read(entry))
    return target.getvalue()


def open_workbook(source: str | Path | bytes | BinaryIO, max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES):
    """Check, then open an .xlsx read-only with values (not formulas)."""
    stream = check_xlsx(source, max_uncompressed_bytes)
    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise UploadError("Excel-filen er skadet og kan ikke leses.") from exc


def sheet_rows(sheet, max_rows: int | None = None) -> list[tuple]:
    """The sheet's rows as tuples of values; reading stops after `max_rows` + 1 rows that hold a value
    (so a caller can tell "too many" without reading them all), blank rows kept for their numbers.

    A read-only workbook parses a sheet's XML only now, so a damaged sheet is refused here.
    """
    rows, filled = [], 0
    try:
        # Read the rows the sheet holds, not the ones its dimension claims (a crafted "A1:XFD1048576"
        # would add a million empty rows).
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS):
            rows.append(tuple(row))
            filled += any(value not in (None, "") for value in row)
            if max_rows is not None and filled > max_rows:
                break
    except Exception as exc:  # noqa: BLE001 - openpyxl and its XML parser raise many kinds for broken files
        raise UploadError(f"Excel-filen er skadet: arket «{sheet.title}» kan ikke leses.") from exc
    return rows


def safe_cell_text(value):
    """A value for a spreadsheet cell that can never become a formula, nor break the file.

    Text starting with = + - @ (or tab/CR, which some tools strip) is prefixed with an apostrophe
    so Excel and LibreOffice show it as text; the cell is also written with data type string.
    Control characters XML cannot hold (stored before input was checked) are dropped.
    """
    if not isinstance(value, str):
        return value
    value = without_control(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
