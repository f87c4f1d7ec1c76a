"""The accounting part of the portfolio files: `accounting_filters` in JSON, sheets in the Excel export.

JSON: `"accounting_filters": [{"ansvar": "41*", "art": "10000-10999", "funksjon": "265"}]` on a
measure sets its filters exactly (an empty list clears them; a measure without the key keeps
its filters). Excel: the sheet "Regnskapskobling" (Tiltak, Ansvar, Art, Funksjon, Prosjekt) does
the same for every measure of the workbook; a workbook without the sheet changes no filters.
The export also has a sheet "Regnskap" with the comparison per measure and year (aggregates only).
"""

from typing import Any

from openpyxl import Workbook

from tracker.accounting import queries, rules, services
from tracker.accounting.rules import DIMENSIONS, FilterSpec
from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor
from tracker.portfolio.models import Measure, Programme
from tracker.uploads import safe_cell_text

FILTER_SHEET = "Regnskapskobling"
FILTER_HEADERS = ("Tiltak", "Ansvar", "Art", "Funksjon", "Prosjekt")
FIGURES_SHEET = "Regnskap"
FIGURES_HEADERS = (
    "Tiltak",
    "År",
    "Grunnlag prisjustert (kr)",
    "Regnskap hittil (kr)",
    "Til og med periode",
    "Indikasjon i regnskapet (kr)",
    "Budsjett (kr)",
    "Tatt ut av budsjett, regnskapsført (kr)",
    "Mangler deflator for",
)


def filters_from_document(raw: Any, where: str, errors: list[str]) -> list[FilterSpec] | None:
    """A measure's `accounting_filters` checked (None when absent); problems appended to `errors`."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        errors.append(f"{where}, felt accounting_filters: må være en liste av objekter med ansvar, art, funksjon.")
        return None
    specs, problems = services.check_filters(raw)
    for key, message in problems.items():
        number, _, name = key.partition(".")
        errors.append(f"{where}, felt accounting_filters[{number}].{name}: {message}")
    return None if problems else specs


def import_filters(measure: Measure, specs: list[FilterSpec], actor: User | SystemActor) -> dict[str, dict]:
    """Set the measure's filters from a portfolio file; the change goes into the import's audit entry."""
    return services.set_filters(measure, specs, actor, is_audited=False)


# --- Excel ------------------------------------------------------------------------------------------


def _write(sheet, headers, rows) -> None:
    sheet.append(list(headers))
    for row in rows:
        sheet.append([safe_cell_text(value) for value in row])


def write_sheets(workbook: Workbook, programme: Programme) -> None:
    """Add "Regnskapskobling" (the filters, imported back) and "Regnskap" (the comparison) to the export."""
    mapped = queries.programme_filters(programme)
    filter_rows = [
        [code, *(getattr(spec, name) for name in DIMENSIONS)] for code, specs in mapped.values() for spec in specs
    ]
    _write(workbook.create_sheet(FILTER_SHEET), FILTER_HEADERS, filter_rows)
    figures = services.programme_ledger(programme, programme.plan_years)
    _write(workbook.create_sheet(FIGURES_SHEET), FIGURES_HEADERS, _figure_rows(figures))


def _figure_rows(figures: dict[str, dict[int, rules.AccountingYear]]) -> list[list]:
    return [
        [
            code,
            row.year,
            row.adjusted_baseline_nok,
            row.actual_to_date_nok,
            row.last_period,
            row.indicated_nok,
            row.budget_nok,
            row.taken_out_nok,
            ", ".join(map(str, row.missing_deflator_years)) or None,
        ]
        for code, by_year in figures.items()
        for row in by_year.values()
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_filter_sheet(sheets: dict[str, list[tuple]], measures: list[dict], errors: list[str]) -> None:
    """Put the sheet's filters on the workbook's measures as `accounting_filters` (when the sheet exists)."""
    rows = sheets.get(FILTER_SHEET)
    if rows is None:
        return
    header = [_cell(value) for value in rows[0]] if rows else []
    if any(name not in header for name in FILTER_HEADERS[:4]):
        errors.append(f"Arket «{FILTER_SHEET}» må ha kolonnene {', '.join(FILTER_HEADERS)}.")
        return
    index = {name: header.index(name) for name in FILTER_HEADERS if name in header}
    by_code = {measure.get("code"): measure.setdefault("accounting_filters", []) for measure in measures}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: _cell(row[i]) if i < len(row) else "" for name, i in index.items()}
        if cells["Tiltak"] not in by_code:
            errors.append(f"Arket «{FILTER_SHEET}», rad {number}: ukjent tiltak «{cells['Tiltak']}».")
            continue
        by_code[cells["Tiltak"]].append({name: cells.get(name.capitalize(), "") for name in DIMENSIONS})
