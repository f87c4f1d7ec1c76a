"""The portfolio as an Excel workbook: export, and reading the export back as an import document.

Sheets: "Tiltak" (one row per measure), "Program" (field/value rows) and "Arbeidsgrupper". Amounts
are mill. kr with the report's sign (negative = saving), exactly as in the JSON data format, so
`read_portfolio_workbook` returns the same document shape and the same validation applies.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app, has_app_context
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from tracker.accounting.portfolio_files import read_filter_sheet
from tracker.accounting.portfolio_files import write_sheets as write_accounting_sheets
from tracker.measures.fileformat import TEXT_FIELDS, PortfolioImportError
from tracker.money import NumberFormatError, nok_to_mnok, parse_decimal
from tracker.portfolio.figures import EFFECT_TYPES
from tracker.portfolio.models import Measure, Programme
from tracker.uploads import UploadError, open_workbook, safe_cell_text

SHEET_MEASURES = "Tiltak"
SHEET_PROGRAMME = "Program"
SHEET_GROUPS = "Arbeidsgrupper"
FORMAT = "tracker-portfolio/1"
MNOK_FORMAT = "#,##0.0##"
YES, NO = "Ja", "Nei"

# (header, document key) of the "Tiltak" sheet, before and after the yearly columns.
LEADING_COLUMNS = (
    ("Kode", "code"),
    ("Arbeidsgruppe", "group"),
    ("Tjeneste", "service"),
    ("Tittel", "title"),
    ("Effekttype", "effect_type"),
    ("Status", "status"),
    ("Tiltaksansvarlig", "owner"),
)
TRAILING_COLUMNS = (
    ("Anbefalt av rapporten", "recommended_by_report"),
    ("Vesentlig organisatorisk risiko", "significant_org_risk"),
    ("Problem", "problem"),
    ("Løsning", "solution"),
    ("Konsekvenser for brukerne", "consequences_users"),
    ("Konsekvenser for de ansatte", "consequences_employees"),
    ("Investering", "investment"),
    ("Effekt på årsverk", "fte_effect"),
    ("KPI-forslag", "kpis"),
    ("Risiko", "risk_notes"),
    ("Statusnotat", "status_note"),
    ("Kilde i rapporten", "source_section"),
    ("Merknader", "notes"),
)
REQUIRED_COLUMNS = ("Kode", "Arbeidsgruppe", "Tittel")
NET_HEADER = "Netto endring {year} (mill. kr)"
TABLE_27_HEADER = "Rapportens tabell 27 {year} (mill. kr)"
NET_RE = re.compile(r"^Netto endring (\d{4})\b")
TABLE_27_RE = re.compile(r"^Rapportens tabell 27 (\d{4})\b")

PROGRAMME_ROWS = (
    ("Navn", "name"),
    ("Kommune", "municipality"),
    ("Kilde", "source"),
    ("Grunnlag", "baseline"),
    ("Merknad om målet", "target_note"),
    ("Første planår", "start_year"),
    ("Siste planår", "end_year"),
    ("Effekttyper", "effect_types"),
)
TARGET_LABEL = "Mål {year} (netto endring, mill. kr)"
# Written (and ignored by the import) when the database holds example data from `demo load`.
EXAMPLE_LABEL = "Eksempeldata"
EXAMPLE_NOTE = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."
TARGET_RE = re.compile(r"^Mål (\d{4})\b")
GROUP_COLUMNS = (
    ("Nummer", "number"),
    ("Navn", "name"),
    ("Sparekrav (netto endring, mill. kr)", "savings_requirement_mnok"),
    ("Mandat for tiltaksmenyen (netto endring, mill. kr)", "menu_mandate_mnok"),
)
_ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


# --- writing -----------------------------------------------------------------------------------


def cell_text(text: str) -> str:
    """Text for a cell that is never a formula and reads back unchanged with `plain_text`."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith("'"):
        return "'" + text
    return safe_cell_text(text)


def plain_text(value: str) -> str:
    """Undo `cell_text`: drop the apostrophe that kept the text from being read as a formula."""
    if len(value) > 1 and value[0] == "'" and value[1] in _ESCAPED_STARTS:
        return value[1:]
    return value


def _mnok_value(amount_nok: int | None) -> float | None:
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


def _write_table(sheet, headers: list[str], rows: list[list[Any]]) -> None:
    _write_row(sheet, 1, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, values in enumerate(rows, start=2):
        _write_row(sheet, index, values)
    sheet.freeze_panes = "A2"


@dataclass(frozen=True)
class _Years:
    plan: list[int]
    table_27: list[int]


def _years(programme: Programme, measures: list[Measure]) -> _Years:
    plan = set(programme.plan_years)
    table_27 = set()
    for measure in measures:
        plan.update(effect.year for effect in measure.planned_effects)
        table_27.update(int(year) for year in (measure.report_table_27_mnok or {}) if str(year).isdigit())
    return _Years(sorted(plan), sorted(table_27))


def _measure_row(measure: Measure, years: _Years) -> list[Any]:
    plan = measure.planned_net_change_by_year()
    table_27 = {str(key): value for key, value in (measure.report_table_27_mnok or {}).items()}
    texts = {name: getattr(measure, name) for name in TEXT_FIELDS}
    values = {
        "code": measure.code,
        "group": measure.group.number,
        "title": measure.title,
        "effect_type": measure.effect_type,
        "status": measure.status,
        "owner": measure.owner.username if measure.owner else None,
        "recommended_by_report": YES if measure.is_recommended_by_report else NO,
        "significant_org_risk": YES if measure.has_significant_org_risk else NO,
        "kpis": "\n".join(measure.kpi_suggestions or []) or None,
        **texts,
    }
    return (
        [values[key] for _, key in LEADING_COLUMNS]
        + [_mnok_value(plan.get(year)) for year in years.plan]
        + [values[key] for _, key in TRAILING_COLUMNS]
        + [table_27.get(str(year)) for year in years.table_27]
    )


def _programme_rows(programme: Programme) -> list[list[Any]]:
    values = {key: getattr(programme, key, None) for _, key in PROGRAMME_ROWS}
    values["effect_types"] = "; ".join(EFFECT_TYPES)
    rows = [[label, values[key]] for label, key in PROGRAMME_ROWS]
    rows += [[TARGET_LABEL.format(year=t.year), _mnok_value(-t.savings_target_nok)] for t in programme.targets]
    if programme.has_example_data:
        rows.insert(0, [EXAMPLE_LABEL, EXAMPLE_NOTE])
    return rows


def _group_rows(programme: Programme) -> list[list[Any]]:
    def negated(amount):
        return None if amount is None else _mnok_value(-amount)

    return [
        [group.number, group.name, negated(group.savings_requirement_nok), negated(group.menu_mandate_nok)]
        for group in programme.groups
    ]


def build_portfolio_workbook(programme: Programme, measures: list[Measure]) -> Workbook:
    """The whole portfolio as a workbook that `read_portfolio_workbook` imports back."""
    years = _years(programme, measures)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_MEASURES
    headers = (
        [header for header, _ in LEADING_COLUMNS]
        + [NET_HEADER.format(year=year) for year in years.plan]
        + [header for header, _ in TRAILING_COLUMNS]
        + [TABLE_27_HEADER.format(year=year) for year in years.table_27]
    )
    _write_table(sheet, headers, [_measure_row(measure, years) for measure in measures])
    _write_table(workbook.create_sheet(SHEET_PROGRAMME), ["Felt", "Verdi"], _programme_rows(programme))
    _write_table(workbook.create_sheet(SHEET_GROUPS), [header for header, _ in GROUP_COLUMNS], _group_rows(programme))
    write_accounting_sheets(workbook, programme)
    return workbook


def write_portfolio_workbook(programme: Programme, measures: list[Measure], target: str | Path | BinaryIO) -> None:
    """Save the export to a path or a binary stream."""
    build_portfolio_workbook(programme, measures).save(target)


# --- reading -----------------------------------------------------------------------------------


def _max_bytes() -> int | None:
    return current_app.config.get("MAX_XLSX_UNCOMPRESSED_BYTES") if has_app_context() else None


def _sheet_rows(sheet) -> list[tuple]:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        if any(value not in (None, "") for value in row):
            rows.append(tuple(row))
    return rows


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = plain_text(value) if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _number(value: Any, where: str, errors: list[str]) -> Decimal | None:
    """A cell holding mill. kr: a number, or text typed the Norwegian way."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, bool):
            raise NumberFormatError(str(value))
        return parse_decimal(value)
    except NumberFormatError:
        errors.append(f"{where}: «{value}» er ikke et tall.")
        return None


def _whole(value: Any, where: str, errors: list[str]) -> int | None:
    number = _number(value, where, errors)
    if number is not None and number == number.to_integral_value():
        return int(number)
    if number is not None:
        errors.append(f"{where}: «{value}» er ikke et heltall.")
    return None


def _yes_no(value: Any, where: str, errors: list[str]) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().casefold()
    if text in ("ja", "1", "true", "x"):
        return True
    if text in ("nei", "0", "false", ""):
        return False
    errors.append(f"{where}: «{value}» må være Ja eller Nei.")
    return False


def _columns(rows: list[tuple], sheet_name: str, required: tuple[str, ...], errors: list[str]) -> dict[str, int]:
    """{header: column index} of a sheet's first row; names every required column that is missing."""
    if not rows:
        errors.append(f"Arket «{sheet_name}» er tomt.")
        return {}
    columns = {str(header).strip(): index for index, header in enumerate(rows[0]) if header is not None}
    for name in required:
        if name not in columns:
            errors.append(f"Arket «{sheet_name}» mangler kolonnen «{name}».")
    return columns


def _read_programme(rows: list[tuple], errors: list[str]) -> tuple[dict, list[str]]:
    where = f"Arket «{SHEET_PROGRAMME}»"
    values = {str(row[0]).strip(): (row[1] if len(row) > 1 else None) for row in rows[1:] if row[0] is not None}
    if not _text(values.get("Navn")):
        errors.append(f"{where} mangler raden «Navn» (programmets navn).")
    keys = dict(PROGRAMME_ROWS)
    programme = {keys[label]: _text(values.get(label)) or "" for label in ("Navn", "Kommune", "Kilde", "Grunnlag")}
    programme["target_note"] = _text(values.get("Merknad om målet")) or ""
    programme["plan_period"] = [
        _whole(values.get(label), f"{where}, rad «{label}»", errors) for label in ("Første planår", "Siste planår")
    ]
    programme["target_mnok"] = {}
    for label, value in values.items():
        match = TARGET_RE.match(label)
        if match:
            amount = _number(value, f"{where}, rad «{label}»", errors)
            if amount is not None:
                programme["target_mnok"][match.group(1)] = amount
    kinds = [kind.strip() for kind in (_text(values.get("Effekttyper")) or "").split(";") if kind.strip()]
    return programme, kinds or list(EFFECT_TYPES)


def _read_groups(rows: list[tuple], errors: list[str]) -> list[dict]:
    columns = _columns(rows, SHEET_GROUPS, ("Nummer", "Navn"), errors)
    if not all(header in columns for header, _ in GROUP_COLUMNS[:2]):
        return []
    groups = []
    for index, row in enumerate(rows[1:], start=2):
        where = f"Arket «{SHEET_GROUPS}», rad {index}"
        group = {"number": _whole(row[columns["Nummer"]], f"{where}, kolonne «Nummer»", errors)}
        group["name"] = _text(row[columns["Navn"]])
        for header, key in GROUP_COLUMNS[2:]:
            if header in columns:
                group[key] = _number(row[columns[header]], f"{where}, kolonne «{header}»", errors)
        groups.append(group)
    return groups


def _year_columns(columns: dict[str, int], pattern: re.Pattern) -> dict[str, int]:
    found = {}
    for header, index in columns.items():
        match = pattern.match(header)
        if match:
            found[header] = index
    return found


def _read_measure(row: tuple, columns: dict[str, int], where: str, errors: list[str]) -> dict:
    def cell(header: str):
        index = columns.get(header)
        return row[index] if index is not None and index < len(row) else None

    keys = dict(LEADING_COLUMNS + TRAILING_COLUMNS)
    group = cell("Arbeidsgruppe")
    measure = {
        "code": _text(cell("Kode")) or "",
        "group": _whole(group, f"{where}, kolonne «Arbeidsgruppe»", errors) if group is not None else None,
        "title": _text(cell("Tittel")) or "",
        "effect_type": _text(cell("Effekttype")),
    }
    for header, key in TRAILING_COLUMNS:
        if key in TEXT_FIELDS:
            measure[key] = _text(cell(header))
    measure["service"] = _text(cell("Tjeneste")) or ""
    for header in ("Anbefalt av rapporten", "Vesentlig organisatorisk risiko"):
        measure[keys[header]] = _yes_no(cell(header), f"{where}, kolonne «{header}»", errors)
    measure["kpis"] = [line.strip() for line in (_text(cell("KPI-forslag")) or "").splitlines() if line.strip()]
    measure["net_cost_change_mnok"] = {}
    for header in _year_columns(columns, NET_RE):
        amount = _number(cell(header), f"{where}, kolonne «{header}»", errors)
        if amount is not None:
            measure["net_cost_change_mnok"][NET_RE.match(header).group(1)] = amount
    table_27 = {}
    for header in _year_columns(columns, TABLE_27_RE):
        amount = _number(cell(header), f"{where}, kolonne «{header}»", errors)
        value = cell(header) if isinstance(cell(header), int | float) else amount
        table_27[TABLE_27_RE.match(header).group(1)] = None if amount is None else _plain_number(value)
    measure["report_table_27_mnok"] = table_27 if any(v is not None for v in table_27.values()) else None
    return measure


def _plain_number(value: Any) -> int | float:
    """The number as JSON would hold it (floats stay floats), for an exact round trip."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _read_measures(rows: list[tuple], errors: list[str]) -> list[dict]:
    columns = _columns(rows, SHEET_MEASURES, REQUIRED_COLUMNS, errors)
    if not columns or any(name not in columns for name in REQUIRED_COLUMNS):
        return []
    if not _year_columns(columns, NET_RE):
        errors.append(f"Arket «{SHEET_MEASURES}» mangler kolonnene «{NET_HEADER.format(year='ÅÅÅÅ')}» (én per år).")
        return []
    measures = []
    for index, row in enumerate(rows[1:], start=2):
        code = _text(row[columns["Kode"]]) if columns["Kode"] < len(row) else None
        where = f"Arket «{SHEET_MEASURES}», tiltak {code}" if code else f"Arket «{SHEET_MEASURES}», rad {index}"
        measures.append(_read_measure(row, columns, where, errors))
    return measures


def read_portfolio_workbook(source: str | Path | bytes | BinaryIO) -> dict:
    """Read the tracker's Excel export into the JSON document shape; refuse a wrong workbook."""
    try:
        workbook = open_workbook(source, **({"max_uncompressed_bytes": _max_bytes()} if _max_bytes() else {}))
    except UploadError as exc:
        raise PortfolioImportError([str(exc)]) from exc
    try:
        sheets = {name: _sheet_rows(workbook[name]) for name in workbook.sheetnames}
    finally:
        workbook.close()
    missing = [name for name in (SHEET_MEASURES, SHEET_PROGRAMME, SHEET_GROUPS) if name not in sheets]
    if missing:
        raise PortfolioImportError(
            [f"Arbeidsboken mangler arket «{name}». Bruk en fil eksportert fra trackeren." for name in missing]
        )
    errors: list[str] = []
    programme, effect_types = _read_programme(sheets[SHEET_PROGRAMME], errors)
    groups = _read_groups(sheets[SHEET_GROUPS], errors)
    measures = _read_measures(sheets[SHEET_MEASURES], errors)
    read_filter_sheet(sheets, measures, errors)
    if errors:
        raise PortfolioImportError(errors)
    return {
        "format": FORMAT,
        "programme": programme,
        "effect_types": effect_types,
        "groups": groups,
        "measures": measures,
    }
