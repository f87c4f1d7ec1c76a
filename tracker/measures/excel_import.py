"""Reading the tracker's Excel export (tracker.measures.excel) back into the JSON document shape.

The same validation as a JSON file then applies (tracker.measures.importing): amounts stay mill. kr
with the report's sign, exactly as the workbook holds them.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app, has_app_context

from tracker.accounting.portfolio_files import FILTER_SHEET, read_filter_sheet
from tracker.measures.excel import (
    FORMAT,
    GROUP_COLUMNS,
    LEADING_COLUMNS,
    MENU_RE,
    MILESTONE_COLUMNS,
    MILESTONE_DATE_KEYS,
    NET_HEADER,
    NET_RE,
    PROGRAMME_ROWS,
    REQUIRED_COLUMNS,
    SHEET_GROUPS,
    SHEET_MEASURES,
    SHEET_MILESTONES,
    SHEET_PROGRAMME,
    TABLE_27_RE,
    TARGET_RE,
    TRAILING_COLUMNS,
)
from tracker.measures.fileformat import TEXT_FIELDS, PortfolioImportError
from tracker.measures.sheets import plain_text
from tracker.money import NumberFormatError, parse_decimal, shown
from tracker.periods import parse_date
from tracker.portfolio.figures import EFFECT_TYPES
from tracker.uploads import UploadError, open_workbook, sheet_rows

# Milestones and accounting filters a web upload may carry per measure (a file beyond is imported from the CLI).
MAX_ROWS_PER_MEASURE = 50


def _max_bytes() -> int | None:
    return current_app.config.get("MAX_XLSX_UNCOMPRESSED_BYTES") if has_app_context() else None


def _sheet_rows(sheet, max_rows: int | None = None) -> list[tuple]:
    return [row for row in sheet_rows(sheet, max_rows) if any(value not in (None, "") for value in row)]


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
        errors.append(f"{where}: «{shown(value)}» er ikke et tall.")
        return None


def _whole(value: Any, where: str, errors: list[str]) -> int | None:
    number = _number(value, where, errors)
    if number is not None and number == number.to_integral_value():
        return int(number)
    if number is not None:
        errors.append(f"{where}: «{shown(value)}» er ikke et heltall.")
    return None


def _yes_no(value: Any, where: str, errors: list[str]) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().casefold()
    if text in ("ja", "1", "true", "x"):
        return True
    if text in ("nei", "0", "false", ""):
        return False
    errors.append(f"{where}: «{shown(value)}» må være Ja eller Nei.")
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
        group = {"number": _whole(_at(row, columns["Nummer"]), f"{where}, kolonne «Nummer»", errors)}
        group["name"] = _text(_at(row, columns["Navn"]))
        for header, key in GROUP_COLUMNS[2:]:
            if header in columns:
                group[key] = _number(_at(row, columns[header]), f"{where}, kolonne «{header}»", errors)
        groups.append(group)
    return groups


def _at(row: tuple, index: int | None):
    """The row's value in a column, None where the row is shorter."""
    return row[index] if index is not None and index < len(row) else None


def _year_columns(columns: dict[str, int], pattern: re.Pattern) -> dict[str, int]:
    found = {}
    for header, index in columns.items():
        match = pattern.match(header)
        if match:
            found[header] = index
    return found


def _read_measure(row: tuple, columns: dict[str, int], where: str, errors: list[str]) -> dict:
    def cell(header: str):
        return _at(row, columns.get(header))

    keys = dict(LEADING_COLUMNS + TRAILING_COLUMNS)
    group = cell("Arbeidsgruppe")
    measure = {
        "code": _text(cell("Kode")) or "",
        "group": _whole(group, f"{where}, kolonne «Arbeidsgruppe»", errors) if group is not None else None,
        "title": _text(cell("Tittel")) or "",
        "effect_type": _text(cell("Effekttype")),
        "effect_type_basis": _text(cell("Grunnlag for effekttype")),
    }
    for header, key in TRAILING_COLUMNS:
        if key in TEXT_FIELDS:
            measure[key] = _text(cell(header))
    measure["service"] = _text(cell("Tjeneste")) or ""
    for header in ("Anbefalt av rapporten", "Vesentlig organisatorisk risiko"):
        measure[keys[header]] = _yes_no(cell(header), f"{where}, kolonne «{header}»", errors)
    measure["kpis"] = [line.strip() for line in (_text(cell("KPI-forslag")) or "").splitlines() if line.strip()]
    if "Berørte enheter" in columns:  # older exports have no such column: the units in the tracker stay
        units = _text(cell("Berørte enheter")) or ""
        measure["affected_units"] = [line.strip() for line in units.splitlines() if line.strip()]
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
    menu = {}
    for header in _year_columns(columns, MENU_RE):
        amount = _number(cell(header), f"{where}, kolonne «{header}»", errors)
        if amount is not None:
            menu[MENU_RE.match(header).group(1)] = amount
    if menu:
        measure["menu_net_cost_change_mnok"] = menu
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
        code = _text(_at(row, columns["Kode"]))
        where = f"Arket «{SHEET_MEASURES}», tiltak {shown(code)}" if code else f"Arket «{SHEET_MEASURES}», rad {index}"
        measures.append(_read_measure(row, columns, where, errors))
    return measures


def _date_text(value: Any, where: str, errors: list[str]) -> str | None:
    """A date cell (or date text, 31.03.2026 or 2026-03-31) as ISO text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return parse_date(str(value)).isoformat()
    except ValueError as exc:
        errors.append(f"{where}: {exc}")
        return None


def _read_milestones(rows: list[tuple], errors: list[str]) -> dict[str, list[dict]]:
    """Measure code → its milestones in the JSON document's shape."""
    columns = _columns(rows, SHEET_MILESTONES, ("Kode", "Milepæl"), errors) if rows else {}
    if "Kode" not in columns or "Milepæl" not in columns:
        return {}
    found: dict[str, list[dict]] = {}
    for index, row in enumerate(rows[1:], start=2):
        where = f"Arket «{SHEET_MILESTONES}», rad {index}"
        cells = {key: _at(row, columns.get(header)) for header, key in MILESTONE_COLUMNS}
        item = {key: _text(cells[key]) for key in ("what", "when_text", "responsible", "source")}
        for header, key in MILESTONE_COLUMNS:
            if key in MILESTONE_DATE_KEYS:
                item[key] = _date_text(cells[key], f"{where}, kolonne «{header}»", errors)
        if not item["what"]:
            errors.append(f"{where}: milepælen mangler tekst i kolonnen «Milepæl».")
            continue
        found.setdefault(_text(cells["code"]) or "", []).append(item)
    return found


def _attach_milestones(measures: list[dict], milestones: dict[str, list[dict]], errors: list[str]) -> None:
    codes = {measure["code"] for measure in measures}
    for code in sorted(milestones.keys() - codes):
        errors.append(f"Arket «{SHEET_MILESTONES}»: tiltak «{code}» finnes ikke i arket «{SHEET_MEASURES}».")
    for measure in measures:
        measure["milestones"] = milestones.get(measure["code"], [])


def _row_limits(max_measures: int | None) -> dict[str, int | None]:
    """The rows read per sheet: with `max_measures`, one more than allowed, so that "too many" shows."""
    if max_measures is None:
        return dict.fromkeys((SHEET_MEASURES, SHEET_PROGRAMME, SHEET_GROUPS, SHEET_MILESTONES, FILTER_SHEET))
    per_measure = max_measures * MAX_ROWS_PER_MEASURE + 1
    return {
        SHEET_MEASURES: max_measures + 1,
        SHEET_PROGRAMME: None,
        SHEET_GROUPS: None,
        SHEET_MILESTONES: per_measure,
        FILTER_SHEET: per_measure,
    }


def _refuse_long_sheets(sheets: dict[str, list[tuple]], limits: dict[str, int | None]) -> None:
    # The measures sheet's excess is reported by the caller (it names the measure count).
    too_long = [
        name
        for name in (SHEET_MILESTONES, FILTER_SHEET)
        if limits[name] is not None and len(sheets.get(name, ())) > limits[name]
    ]
    if too_long:
        raise PortfolioImportError(
            [
                f"Arket «{name}» har flere enn {limits[name] - 1} rader: importer filen fra kommandolinjen."
                for name in too_long
            ]
        )


def read_portfolio_workbook(source: str | Path | bytes | BinaryIO, max_measures: int | None = None) -> dict:
    """Read the tracker's Excel export into the JSON document shape; refuse a wrong workbook.

    With `max_measures`, reading stops after one measure more than that (the caller refuses the file).
    """
    try:
        workbook = open_workbook(source, **({"max_uncompressed_bytes": _max_bytes()} if _max_bytes() else {}))
    except UploadError as exc:
        raise PortfolioImportError([str(exc)]) from exc
    limits = _row_limits(max_measures)
    try:
        sheets = {name: _sheet_rows(workbook[name], limits[name]) for name in limits if name in workbook.sheetnames}
    except UploadError as exc:
        raise PortfolioImportError([str(exc)]) from exc
    finally:
        workbook.close()
    _refuse_long_sheets(sheets, limits)
    missing = [name for name in (SHEET_MEASURES, SHEET_PROGRAMME, SHEET_GROUPS) if name not in sheets]
    if missing:
        raise PortfolioImportError(
            [f"Arbeidsboken mangler arket «{name}». Bruk en fil eksportert fra trackeren." for name in missing]
        )
    errors: list[str] = []
    programme, effect_types = _read_programme(sheets[SHEET_PROGRAMME], errors)
    groups = _read_groups(sheets[SHEET_GROUPS], errors)
    measures = _read_measures(sheets[SHEET_MEASURES], errors)
    if SHEET_MILESTONES in sheets:  # older exports have no milestones sheet: import them as before
        _attach_milestones(measures, _read_milestones(sheets[SHEET_MILESTONES], errors), errors)
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
