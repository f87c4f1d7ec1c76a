"""Importing quarterly figures from Excel: all rows or none.

First sheet, first row headers (see docs/benefits.md). Every row is checked before anything is
written; a file with any bad row is rejected whole, listing every bad row. The caller commits.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.benefits import queries, services
from tracker.errors import ReadOnlyError, ServiceError
from tracker.extensions import db
from tracker.money import NumberFormatError, parse_nok, shown
from tracker.periods import MAX_YEAR, MIN_YEAR, Quarter
from tracker.portfolio.models import Measure, Programme
from tracker.uploads import UploadError, open_workbook, sheet_rows

COL_CODE = "Tiltak"
COL_YEAR = "År"
COL_QUARTER = "Kvartal"
COL_REALISED = "Realisert hittil i år (kr)"
COL_FORECAST = "Prognose helår (kr)"
COL_TAKE_OUT = "Uttak budsjett (kr)"
COL_COMMENT = "Kommentar"
COL_EXPLANATION = "Forklaring avvik"
COL_ACTION = "Korrigerende tiltak"
COL_ONE_OFF = "Herav engangseffekt (kr)"
# One optional column per later year of the plan period: "Prognose 2027 (kr)".
COL_LATER = "Prognose {year} (kr)"
LATER_RE = re.compile(r"^prognose (\d{4}) \(kr\)$")
REQUIRED = (COL_CODE, COL_YEAR, COL_QUARTER, COL_REALISED, COL_FORECAST)
OPTIONAL = (COL_TAKE_OUT, COL_COMMENT, COL_EXPLANATION, COL_ACTION, COL_ONE_OFF)
FIELD_LABELS = {
    "realised": COL_REALISED,
    "forecast": COL_FORECAST,
    "one_off": COL_ONE_OFF,
    "explanation": COL_EXPLANATION,
    "corrective_action": COL_ACTION,
    "quarter": COL_QUARTER,
    "correction_reason": COL_QUARTER,
    "later_forecasts": "Prognose ÅÅÅÅ (kr)",
    "comment": COL_COMMENT,
}
# A web upload is checked and stored within one request: more rows than this go by the command line.
MAX_UPLOAD_ROWS = 1000


def template_headers(later_years: list[int]) -> list[str]:
    """The columns of the quarterly figures file, with a «Prognose ÅÅÅÅ (kr)» per later year."""
    return [
        COL_CODE,
        COL_YEAR,
        COL_QUARTER,
        COL_REALISED,
        COL_FORECAST,
        COL_ONE_OFF,
        *(COL_LATER.format(year=year) for year in later_years),
        COL_TAKE_OUT,
        COL_COMMENT,
        COL_EXPLANATION,
        COL_ACTION,
    ]


def template_row(measure: Measure, quarter: Quarter, figure, later_years: list[int], take_out) -> list:
    """One adopted measure's row: what is stored for the quarter, else only its code, year and quarter."""
    if figure is None:
        return [measure.code, quarter.year, quarter.number, *([None] * (len(template_headers(later_years)) - 3))]
    later = figure.later_forecasts_by_year()
    return [
        measure.code,
        quarter.year,
        quarter.number,
        figure.realised_to_date_nok,
        figure.forecast_year_nok,
        figure.one_off_nok or None,
        *(later.get(year) for year in later_years),
        take_out.amount_nok if take_out else None,
        figure.comment or None,
        figure.explanation or None,
        figure.corrective_action or None,
    ]


class FiguresImportError(ServiceError):
    """A rejected file; `messages` lists every problem, one line per bad row (no form field to put them by)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ParsedRow:
    row_number: int
    measure: Measure
    quarter: Quarter
    data: services.FigureInput
    take_out_nok: int | None


@dataclass
class FiguresImportResult:
    stored: list[str] = field(default_factory=list)
    take_outs: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        return [f"Kvartalstall lagret: {len(self.stored)}", f"Budsjettuttak lagret: {len(self.take_outs)}"]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _read_sheet(source, max_rows: int | None) -> list[tuple]:
    """The first sheet's rows (the header and at most `max_rows` + 1 more); a damaged file is refused."""
    try:
        workbook = open_workbook(source, current_app.config["MAX_XLSX_UNCOMPRESSED_BYTES"])
        try:
            if not workbook.worksheets:
                raise UploadError("Excel-filen har ingen regneark.")
            return sheet_rows(workbook.worksheets[0], None if max_rows is None else max_rows + 1)
        finally:
            workbook.close()
    except UploadError as exc:
        raise FiguresImportError([str(exc)]) from exc


def _read_rows(source, max_rows: int | None = None) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    rows = _read_sheet(source, max_rows)
    if not rows:
        raise FiguresImportError(["Det første arket er tomt."])
    headers = {_text(name).lower(): index for index, name in enumerate(rows[0]) if _text(name)}
    columns = {name: headers[name.lower()] for name in REQUIRED + OPTIONAL if name.lower() in headers}
    for header, index in headers.items():
        match = LATER_RE.match(header)
        if match:
            columns[COL_LATER.format(year=match.group(1))] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise FiguresImportError(["Første rad mangler kolonnene: " + ", ".join(f"«{name}»" for name in missing)])
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(_text(cell) for cell in row)]
    if max_rows is not None and len(body) > max_rows:
        raise FiguresImportError(
            [
                f"Filen har flere enn {max_rows} rader med tall: last den opp i mindre deler, "
                "eller importer den fra kommandolinjen (flask benefits import)."
            ]
        )
    return columns, body


def _cell(row: tuple, columns: dict[str, int], name: str):
    index = columns.get(name)
    return row[index] if index is not None and index < len(row) else None


def _whole(value, label: str, problems: list[str], required: bool = True) -> int | None:
    try:
        amount = parse_nok(value)
    except NumberFormatError:
        problems.append(f"«{label}» er ikke et helt kronebeløp («{shown(_text(value))}»)")
        return None
    if amount is None and required:
        problems.append(f"«{label}» mangler")
    return amount


def _later_forecasts(row: tuple, columns: dict, problems: list[str]) -> dict[int, int]:
    """{year: forecast} from the row's filled-in «Prognose ÅÅÅÅ (kr)» cells; an empty cell gives no forecast."""
    found = {}
    for name in columns:
        match = LATER_RE.match(name.lower())
        if match:
            amount = _whole(_cell(row, columns, name), name, problems, required=False)
            if amount is not None:
                found[int(match.group(1))] = amount
    return found


def _parse_row(number: int, row: tuple, columns: dict, measures: dict[str, Measure]) -> ParsedRow | list[str]:
    problems: list[str] = []
    code = _text(_cell(row, columns, COL_CODE))
    measure = measures.get(code)
    if measure is None:
        problems.append(f"ukjent tiltakskode «{shown(code)}»")
    year = _whole(_cell(row, columns, COL_YEAR), COL_YEAR, problems)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(f"«{COL_YEAR}» må være et årstall mellom {MIN_YEAR} og {MAX_YEAR}, ikke {year}")
        year = None
    quarter_number = _whole(_cell(row, columns, COL_QUARTER), COL_QUARTER, problems)
    if quarter_number is not None and not 1 <= quarter_number <= 4:
        problems.append(f"«{COL_QUARTER}» må være 1-4, ikke {quarter_number}")
        quarter_number = None
    realised = _whole(_cell(row, columns, COL_REALISED), COL_REALISED, problems)
    forecast = _whole(_cell(row, columns, COL_FORECAST), COL_FORECAST, problems)
    take_out = _whole(_cell(row, columns, COL_TAKE_OUT), COL_TAKE_OUT, problems, required=False)
    one_off = _whole(_cell(row, columns, COL_ONE_OFF), COL_ONE_OFF, problems, required=False)
    later = _later_forecasts(row, columns, problems)
    if problems or measure is None or year is None or quarter_number is None:
        return problems
    data = services.FigureInput(
        realised_to_date_nok=realised,
        forecast_year_nok=forecast,
        explanation=_text(_cell(row, columns, COL_EXPLANATION)),
        corrective_action=_text(_cell(row, columns, COL_ACTION)),
        comment=_text(_cell(row, columns, COL_COMMENT)),
        one_off_nok=one_off or 0,
        later_forecasts_nok=later,
    )
    return ParsedRow(number, measure, Quarter(year, quarter_number), data, take_out)


def _check_rules(parsed: ParsedRow, actor: User | SystemActor) -> list[str]:
    if queries.is_closed(parsed.quarter):
        return [f"{parsed.quarter.label} er lukket; tall i et lukket kvartal endres bare som korreksjon"]
    errors = services.check_figures(parsed.measure, parsed.quarter, parsed.data, actor)
    return [f"«{_column_of(key)}»: {message}" for key, message in errors.items()]


def _column_of(key: str) -> str:
    """The column a form field's problem belongs to: `forecast_2027` is «Prognose 2027 (kr)»."""
    year = key.removeprefix("forecast_")
    return COL_LATER.format(year=year) if year.isdigit() else FIELD_LABELS.get(key, key)


def parse_file(
    programme: Programme, source: str | Path | bytes | BinaryIO, actor: User | SystemActor, max_rows: int | None = None
) -> list[ParsedRow]:
    """Every row of the file (at most `max_rows`), checked; raises FiguresImportError listing every bad row."""
    columns, body = _read_rows(source, max_rows)
    measures = {m.code: m for m in db.session.scalars(select(Measure).where(Measure.programme_id == programme.id))}
    parsed_rows: list[ParsedRow] = []
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    for number, row in body:
        result = _parse_row(number, row, columns, measures)
        problems = result if isinstance(result, list) else _check_rules(result, actor)
        if not isinstance(result, list):
            key = (result.measure.code, result.quarter)
            if key in seen:
                problems.append(f"samme tiltak og kvartal som rad {seen[key]}")
            seen.setdefault(key, number)
            parsed_rows.append(result)
        if problems:
            errors.append(f"Rad {number}: " + "; ".join(problems))
    if not body:
        errors.append("Filen har ingen rader med tall.")
    if errors:
        raise FiguresImportError(errors)
    return parsed_rows


def import_figures(
    programme: Programme, source, actor: User | SystemActor, max_rows: int | None = None
) -> FiguresImportResult:
    """Check the whole file (refused beyond `max_rows`), then store every row. The caller commits."""
    require_actor(actor)
    require_admin(actor, "benefits.import")
    if programme.is_closed:
        raise FiguresImportError([ReadOnlyError.closed(programme.name).message])
    result = FiguresImportResult()
    for row in parse_file(programme, source, actor, max_rows):
        services.record_figures(row.measure, row.quarter, row.data, actor)
        result.stored.append(f"{row.measure.code} {row.quarter.key}")
        if row.take_out_nok is not None:
            services.set_take_out(row.measure, row.quarter.year, row.take_out_nok, row.data.comment, actor)
            result.take_outs.append(f"{row.measure.code} {row.quarter.year}")
    return result
