"""Checking uploaded Excel files before parsing them.

An .xlsx file is a zip archive of XML. Before openpyxl sees it we check that it is a zip, that
it holds a workbook, and that it does not inflate beyond a limit (a "zip bomb"). defusedxml is
installed, and openpyxl uses it automatically to refuse XML entity attacks.
"""

import io
import zipfile
from pathlib import Path
from typing import BinaryIO

import openpyxl

DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


class UploadError(ValueError):
    """An upload refused before parsing, with a Norwegian message."""


def _as_stream(source: str | Path | bytes | BinaryIO) -> BinaryIO:
    if isinstance(source, str | Path):
        return open(source, "rb")  # noqa: SIM115 - closed by openpyxl/zipfile users below
    if isinstance(source, bytes):
        return io.BytesIO(source)
    return source


def check_xlsx(
    source: str | Path | bytes | BinaryIO, max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES
) -> BinaryIO:
    """Return a seekable stream of a plausible, bounded .xlsx file, or raise UploadError."""
    stream = _as_stream(source)
    data = stream.read()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadError("Filen er ikke en Excel-fil (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            total = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
    except zipfile.BadZipFile as exc:
        raise UploadError("Excel-filen er skadet og kan ikke leses.") from exc
    if "xl/workbook.xml" not in names:
        raise UploadError("Filen er et zip-arkiv, men ikke en Excel-arbeidsbok (.xlsx).")
    if total > max_uncompressed_bytes or total / packed > MAX_COMPRESSION_RATIO:
        raise UploadError("Filen pakkes ut til mer enn tillatt størrelse og er avvist.")
    return io.BytesIO(data)


def open_workbook(source: str | Path | bytes | BinaryIO, max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES):
    """Check, then open an .xlsx read-only with values (not formulas)."""
    stream = check_xlsx(source, max_uncompressed_bytes)
    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise UploadError(f"Excel-filen kan ikke leses: {exc.__class__.__name__}.") from exc


def safe_cell_text(value):
    """A value for a spreadsheet cell that can never become a formula.

    Text starting with = + - @ (or tab/CR, which some tools strip) is prefixed with an apostrophe
    so Excel and LibreOffice show it as text; the cell is also written with data type string.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
