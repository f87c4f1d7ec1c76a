"""Importing ledger lines from CSV or xlsx: streamed, all rows or none, one period replaced at a time.

Columns År, Periode, Ansvar, Art, Funksjon, (Prosjekt), Beløp; CSV with semicolons and decimal
commas as Norwegian Excel writes it, in UTF-8 (with or without BOM) or Windows-1252. Each (kind,
year, period) in the file replaces what is stored for it. Rows are inserted in chunks with
SQLAlchemy core while the file is read; a bad row stops the inserting but not the checking, and
the caller rolls back, so nothing is stored and every bad row is named. The caller commits.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import delete

from tracker.accounting.models import LedgerLine
from tracker.accounting.queries import IMPORT_ACTION
from tracker.accounting.rules import KIND_ACTUAL, KIND_BUDGET, KIND_LABELS
from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.money import MAX_ABS_NOK, NumberFormatError, format_nok, parse_decimal, shown
from tracker.readmodel.version import note_data_change
from tracker.text import line, text_problem
from tracker.uploads import UploadError, open_workbook

CHUNK_ROWS = 10_000
WHOLE = Decimal(1)
MAX_LISTED_ERRORS = 1_000
COLUMNS = {"år": "year", "aar": "year", "periode": "period", "ansvar": "ansvar", "art": "art"}
COLUMNS |= {"funksjon": "funksjon", "prosjekt": "prosjekt", "beløp": "amount", "belop": "amount"}
REQUIRED = ("year", "period", "ansvar", "art", "funksjon", "amount")
LABELS = {"year": "År", "period": "Periode", "ansvar": "Ansvar", "art": "Art", "funksjon": "Funksjon"}
LABELS |= {"prosjekt": "Prosjekt", "amount": "Beløp"}
# The cell order parse_row reads and the column order of a stored row.
FIELDS = ("year", "period", "ansvar", "art", "funksjon", "prosjekt", "amount")
ROW_COLUMNS = ("kind", "year", "period", "ansvar", "art", "funksjon", "prosjekt", "amount_nok")
MAX_CODE = {"ansvar": 20, "art": 20, "funksjon": 20, "prosjekt": 30}


class LedgerImportError(ServiceError):
    """A rejected file; `messages` names every problem (line and column)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class LedgerImportResult:
    kind: str
    lines: int = 0
    total_nok: int = 0
    replaced_lines: int = 0
    periods: set[tuple[int, int]] = field(default_factory=set)

    def summary_lines(self) -> list[str]:
        periods = ", ".join(f"{year}-{period:02d}" for year, period in sorted(self.periods)) or "ingen"
        return [
            f"{KIND_LABELS[self.kind]}: {self.lines} linjer importert, sum {format_nok(self.total_nok)} kr.",
            f"Perioder erstattet: {periods} ({self.replaced_lines} linjer fjernet).",
        ]


# --- reading ------------------------------------------------------------------------------------


def _csv_encoding(path: Path) -> str:
    """utf-8-sig when the file decodes as UTF-8 (BOM or not), else Windows-1252; read in blocks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    with open(path, encoding=_csv_encoding(path), newline="") as handle:
        yield from enumerate(csv.reader(handle, delimiter=";"), start=1)


def _xlsx_rows(path: Path, max_bytes: int) -> Iterator[tuple[int, list]]:
    try:
        workbook = open_workbook(path, max_bytes)
    except UploadError as exc:
        raise LedgerImportError([str(exc)]) from exc
    try:
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def read_rows(path: Path, max_xlsx_bytes: int) -> Iterator[tuple[int, list]]:
    """(line number, cells) of a .csv or .xlsx file, streamed."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path, max_xlsx_bytes)
    raise LedgerImportError(["Filen må være .csv (semikolon) eller .xlsx."])


def _header(cells: list) -> tuple:
    found = {}
    for index, cell in enumerate(cells):
        key = COLUMNS.get(str(cell or "").strip().lower())
        if key and key not in found:
            found[key] = index
    missing = [LABELS[name] for name in REQUIRED if name not in found]
    if missing:
        raise LedgerImportError([f"Linje 1: mangler kolonne {', '.join(missing)}."])
    return tuple(found.get(name) for name in FIELDS)


# --- checking one row -----------------------------------------------------------------------------


def _code(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole(value) -> int:
    if isinstance(value, int):
        return value
    return int(_code(value))


def _amount_nok(value) -> int:
    """Kroner from "1 234,56", 1234.56 or "-12,5"; øre are rounded half away from zero."""
    if isinstance(value, int):
        return value
    text = _code(value)
    try:
        return int(text)
    except ValueError:
        pass
    try:
        amount = Decimal(text.replace(",", "."))  # the common case, "-1234,56"
    except InvalidOperation:
        amount = parse_decimal(text)  # grouped thousands, U+2212 minus …
    if amount is None or not amount.is_finite():
        raise NumberFormatError("mangler beløp")
    return int(amount.quantize(WHOLE, rounding=ROUND_HALF_UP))


def _fast_row(cells: list, columns: tuple, kind: str, lowest_period: int) -> tuple | None:
    """The common well-formed CSV row without building messages; None sends it to parse_row."""
    try:
        year, period = int(cells[columns[0]]), int(cells[columns[1]])
        ansvar, art, funksjon = cells[columns[2]].strip(), cells[columns[3]].strip(), cells[columns[4]].strip()
        prosjekt = "" if columns[5] is None or columns[5] >= len(cells) else cells[columns[5]].strip()
        amount_nok = _amount_nok(cells[columns[6]])
    except (TypeError, ValueError, IndexError, AttributeError, InvalidOperation):
        return None
    if not (2000 <= year <= 2100 and lowest_period <= period <= 12 and ansvar and art and funksjon):
        return None
    if max(len(ansvar), len(art), len(funksjon)) > 20 or len(prosjekt) > 30:
        return None
    if abs(amount_nok) > MAX_ABS_NOK or not (ansvar + art + funksjon + prosjekt).isprintable():
        return None  # parse_row names the problem
    return (kind, year, period, ansvar, art, funksjon, prosjekt, amount_nok)


def parse_row(cells: list, columns: tuple, kind: str) -> tuple[tuple | None, list[str]]:
    """The row as a ledger-line tuple (ROW_COLUMNS), or the problems named by column."""
    lowest = 0 if kind == KIND_BUDGET else 1
    fast = _fast_row(cells, columns, kind, lowest)
    if fast is not None:
        return fast, []
    cell = {
        name: (cells[index] if index is not None and index < len(cells) else None)
        for name, index in zip(FIELDS, columns, strict=True)
    }
    errors, values = [], {"kind": kind}
    try:
        values["year"] = _whole(cell["year"])
        if not 2000 <= values["year"] <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(f"År «{shown(_code(cell['year']))}» er ikke et årstall")
    try:
        values["period"] = _whole(cell["period"])
        if not lowest <= values["period"] <= 12:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(f"Periode «{shown(_code(cell['period']))}» må være {lowest}–12")
    for name in ("ansvar", "art", "funksjon", "prosjekt"):
        values[name] = _code(cell.get(name))
        if not values[name] and name != "prosjekt":
            errors.append(f"{LABELS[name]} mangler")
        elif len(values[name]) > MAX_CODE[name]:
            errors.append(f"{LABELS[name]} er lengre enn {MAX_CODE[name]} tegn")
        elif problem := text_problem(values[name], line(MAX_CODE[name])):
            errors.append(f"{LABELS[name]}: {problem.removesuffix('.')}")
    try:
        values["amount_nok"] = _amount_nok(cell["amount"])
    except (NumberFormatError, InvalidOperation, ValueError):
        errors.append(f"Beløp «{shown(_code(cell['amount']))}» er ikke et tall")
    if abs(values.get("amount_nok", 0)) > MAX_ABS_NOK:
        errors.append(f"Beløp «{shown(values['amount_nok'])}» er utenfor ±{format_nok(MAX_ABS_NOK)} kr")
    return (None, errors) if errors else (tuple(values[name] for name in ROW_COLUMNS), [])


# --- storing ------------------------------------------------------------------------------------


def _replace_period(kind: str, year: int, period: int) -> int:
    """Delete what is stored for (kind, year, period); the number of lines removed."""
    table = LedgerLine.__table__
    condition = (table.c.kind == kind) & (table.c.year == year) & (table.c.period == period)
    return db.session.execute(delete(table).where(condition)).rowcount or 0


def _store(chunk: list[tuple]) -> None:
    """One executemany of plain tuples: SQLAlchemy's per-row parameter handling would double the time."""
    if not chunk:
        return
    connection = db.session.connection()
    note_data_change(db.session())  # the driver-level INSERT passes no session event
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO ledger_lines ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join([marker] * len(ROW_COLUMNS))})"
    connection.exec_driver_sql(statement, chunk)


@dataclass
class _Errors:
    listed: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED_ERRORS:
            self.listed.append(message)

    def all(self) -> list[str]:
        hidden = self.count - len(self.listed)
        return self.listed + ([f"… og {hidden} feil til (de første {MAX_LISTED_ERRORS} er vist)."] if hidden else [])


def _load(rows: Iterator[tuple[int, list]], kind: str) -> LedgerImportResult:
    """Check every row; store while no row was bad (the caller rolls back when errors are raised)."""
    result, errors, chunk, columns = LedgerImportResult(kind), _Errors(), [], None
    for number, cells in rows:
        if columns is None:
            columns = _header(cells)
            continue
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        values, problems = parse_row(cells, columns, kind)
        if problems:
            errors.add(f"Linje {number}: {'; '.join(problems)}.")
        if problems or errors.count:
            continue
        if values[1:3] not in result.periods:
            result.periods.add(values[1:3])
            result.replaced_lines += _replace_period(kind, values[1], values[2])
        chunk.append(values)
        result.lines += 1
        result.total_nok += values[7]
        if len(chunk) >= CHUNK_ROWS:
            _store(chunk)
            chunk = []
    if errors.count:
        raise LedgerImportError(errors.all())
    if columns is None or not result.lines:
        raise LedgerImportError(["Filen har ingen regnskapslinjer."])
    _store(chunk)
    return result


def import_ledger(
    path: str | Path, kind: str, actor: User | SystemActor, max_xlsx_bytes: int, filename: str | None = None
):
    """Import a ledger file as `kind` (actual|budget); admins and the command line only. The caller commits."""
    require_actor(actor)
    require_admin(actor, "accounting.import")
    if kind not in (KIND_ACTUAL, KIND_BUDGET):
        raise LedgerImportError([f"Ukjent type «{kind}»: bruk actual (regnskap) eller budget (budsjett)."])
    path = Path(path)
    try:
        result = _load(read_rows(path, max_xlsx_bytes), kind)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise LedgerImportError([f"Filen kan ikke leses som CSV: {exc}."]) from exc
    audit.record(
        IMPORT_ACTION,
        user=actor,
        label=f"{KIND_LABELS[kind]}: {filename or path.name}"[:300],
        changes={
            "kind": kind,
            "file": filename or path.name,
            "lines": result.lines,
            "total_nok": result.total_nok,
            "replaced_lines": result.replaced_lines,
            "periods": [f"{year}-{period:02d}" for year, period in sorted(result.periods)],
        },
    )
    return result
