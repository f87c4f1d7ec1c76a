"""The Excel export of the benefits figures: the same ProgrammeFigures as the dashboard. Pure."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from tracker.benefits.totals import FigureRow, ProgrammeFigures
from tracker.uploads import safe_cell_text

EXAMPLE_NOTE = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."
FIGURE_HEADERS = (
    "Planlagt (kr)",
    "Prognose (kr)",
    "Risikojustert prognose (kr)",
    "Realisert hittil (kr)",
    "Realisert godkjent (kr)",
    "Budsjettuttak (kr)",
)
# Added columns go after the gap, so the earlier columns keep their places for those who read them.
EXTRA_HEADERS = ("Meny (kr)", "Overført gap (kr)", "Herav engangseffekt (kr)", "Budsjettuttak godkjent (kr)")
ROW_HEADERS = ("År", "Mål (kr)", *FIGURE_HEADERS, "Gap mot mål (kr)", *EXTRA_HEADERS)
MEASURE_HEADERS = (
    "Tiltak",
    "Tittel",
    "Gruppe",
    "Effekttype",
    "År",
    *FIGURE_HEADERS,
    "Siste rapport",
    "Avvik",
    "Meny (kr)",
    "Herav engangseffekt (kr)",
    "Budsjettuttak godkjent (kr)",
    "Overført gap (kr)",
)
DEVIATION_HEADERS = (
    "Tiltak",
    "Tittel",
    "År",
    "Planlagt (kr)",
    "Prognose (kr)",
    "Mangler (kr)",
    "Rapportert",
    "Forklaring",
    "Korrigerende tiltak",
)


def _row_values(row: FigureRow) -> list:
    return [
        row.year,
        row.target_nok,
        row.planned_nok,
        row.forecast_nok,
        row.risk_adjusted_forecast_nok,
        row.realised_nok,
        row.realised_approved_nok,
        row.taken_out_nok,
        row.gap_nok,
        row.menu_nok,
        row.carried_gap_nok,
        row.one_off_nok,
        row.taken_out_approved_nok,
    ]


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
    _sheet(workbook, "Per år", lead, ROW_HEADERS, [_row_values(row) for row in figures.years], first=True)
    group_rows = [[f"{g.number} {g.name}", *_row_values(row)] for g in figures.groups for row in g.years]
    _sheet(workbook, "Per arbeidsgruppe", lead, ("Arbeidsgruppe", *ROW_HEADERS), group_rows)
    type_rows = [[t.effect_type, *_row_values(row)] for t in figures.effect_types for row in t.years]
    _sheet(workbook, "Per effekttype", lead, ("Effekttype", *ROW_HEADERS), type_rows)
    measure_rows = [
        [
            m.code,
            m.title,
            m.group_number,
            m.effect_type,
            m.year,
            m.planned_nok,
            m.forecast_nok,
            m.risk_adjusted_forecast_nok,
            m.realised_nok,
            m.realised_approved_nok,
            m.taken_out_nok,
            m.latest_report or "",
            "Ja" if m.is_deviation else "",
            m.menu_nok,
            m.one_off_nok,
            m.taken_out_approved_nok,
            m.carried_gap_nok,
        ]
        for m in figures.measures
    ]
    _sheet(workbook, "Per tiltak", lead, MEASURE_HEADERS, measure_rows)
    deviation_rows = [
        [
            d.code,
            d.title,
            d.year,
            d.planned_nok,
            d.forecast_nok,
            d.shortfall_nok,
            d.reported_quarter,
            d.explanation,
            d.corrective_action,
        ]
        for d in figures.deviations
    ]
    _sheet(workbook, "Avvik", lead, DEVIATION_HEADERS, deviation_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def quarter_workbook(headers: list[str], rows: list[list], has_example_data: bool) -> bytes:
    """The quarterly figures in the import's own format (first sheet, first row headers), to fill in and import."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kvartalstall"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([safe_cell_text(value) for value in values])
    if has_example_data:
        workbook.create_sheet("Eksempeldata").append([EXAMPLE_NOTE])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
