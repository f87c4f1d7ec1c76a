"""The Excel export of the benefits figures: the same ProgrammeFigures as the dashboard. Pure."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from tracker.benefits.totals import FigureRow, ProgrammeFigures
from tracker.uploads import safe_cell_text

EXAMPLE_NOTE = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."
# Each sheet's columns: the header and the figure row's attribute (or a function of the row).
FIGURE_COLUMNS = (
    ("Planlagt (kr)", "planned_nok"),
    ("Prognose (kr)", "forecast_nok"),
    ("Risikojustert prognose (kr)", "risk_adjusted_forecast_nok"),
    ("Realisert hittil (kr)", "realised_nok"),
    ("Realisert godkjent (kr)", "realised_approved_nok"),
    ("Budsjettuttak (kr)", "taken_out_nok"),
)
# Added columns go after the gap, so the earlier columns keep their places for those who read them.
EXTRA_COLUMNS = (
    ("Meny (kr)", "menu_nok"),
    ("Overført gap (kr)", "carried_gap_nok"),
    ("Herav engangseffekt (kr)", "one_off_nok"),
    ("Budsjettuttak godkjent (kr)", "taken_out_approved_nok"),
)
ROW_COLUMNS = (
    ("År", "year"),
    ("Mål (kr)", "target_nok"),
    *FIGURE_COLUMNS,
    ("Gap mot mål (kr)", "gap_nok"),
    *EXTRA_COLUMNS,
)
MEASURE_COLUMNS = (
    ("Tiltak", "code"),
    ("Tittel", "title"),
    ("Gruppe", "group_number"),
    ("Effekttype", "effect_type"),
    ("År", "year"),
    *FIGURE_COLUMNS,
    ("Siste rapport", lambda m: m.latest_report or ""),
    ("Avvik", lambda m: "Ja" if m.is_deviation else ""),
    ("Meny (kr)", "menu_nok"),
    ("Herav engangseffekt (kr)", "one_off_nok"),
    ("Budsjettuttak godkjent (kr)", "taken_out_approved_nok"),
    ("Overført gap (kr)", "carried_gap_nok"),
)
DEVIATION_COLUMNS = (
    ("Tiltak", "code"),
    ("Tittel", "title"),
    ("År", "year"),
    ("Planlagt (kr)", "planned_nok"),
    ("Prognose (kr)", "forecast_nok"),
    ("Mangler (kr)", "shortfall_nok"),
    ("Rapportert", "reported_quarter"),
    ("Forklaring", "explanation"),
    ("Korrigerende tiltak", "corrective_action"),
)


def _values(record, columns: tuple) -> list:
    """The record's cells in the order of the columns."""
    return [value(record) if callable(value) else getattr(record, value) for _header, value in columns]


def _headers(columns: tuple) -> tuple:
    return tuple(header for header, _value in columns)


def _row_values(row: FigureRow) -> list:
    return _values(row, ROW_COLUMNS)


def _sheet(workbook: Workbook, title: str, lead: list[str], headers: tuple, rows: list[list], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for line in lead:
        sheet.append([safe_cell_text(line)])
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([safe_cell_text(value) for value in values])
    return sheet


def figures_workbook(programme_name: str, figures: ProgrammeFigures, has_example_data: bool) -> bytes:
    """The export as .xlsx bytes: per year, per work group, per effect type, per measure, deviations."""
    lead = [f"{programme_name}: gevinstrealisering per {figures.as_of.label}"]
    if has_example_data:
        lead.insert(0, EXAMPLE_NOTE)
    workbook = Workbook()
    _sheet(workbook, "Per år", lead, _headers(ROW_COLUMNS), [_row_values(row) for row in figures.years], first=True)
    group_rows = [[f"{g.number} {g.name}", *_row_values(row)] for g in figures.groups for row in g.years]
    _sheet(workbook, "Per arbeidsgruppe", lead, ("Arbeidsgruppe", *_headers(ROW_COLUMNS)), group_rows)
    type_rows = [[t.effect_type, *_row_values(row)] for t in figures.effect_types for row in t.years]
    _sheet(workbook, "Per effekttype", lead, ("Effekttype", *_headers(ROW_COLUMNS)), type_rows)
    measure_rows = [_values(m, MEASURE_COLUMNS) for m in figures.measures]
    _sheet(workbook, "Per tiltak", lead, _headers(MEASURE_COLUMNS), measure_rows)
    deviation_rows = [_values(d, DEVIATION_COLUMNS) for d in figures.deviations]
    _sheet(workbook, "Avvik", lead, _headers(DEVIATION_COLUMNS), deviation_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def quarter_workbook(headers: list[str], rows: list[list], has_example_data: bool) -> bytes:
    """The quarterly figures in the import's own format (first sheet, first row headers), to fill in and import."""
    workbook = Workbook()
    _sheet(workbook, "Kvartalstall", [], tuple(headers), rows, first=True)
    if has_example_data:
        workbook.create_sheet("Eksempeldata").append([EXAMPLE_NOTE])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
