"""Scenarios side by side as an Excel workbook, in whole kroner. Pure: no Flask, no database."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from tracker.scenarios.queries import ScenarioFigures, json_number
from tracker.uploads import safe_cell_text

EXAMPLE_NOTE = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."
YEAR_HEADERS = (
    "Budsjettalternativ",
    "År",
    "Innsparing (kr)",
    "Mål (kr)",
    "Gap mot mål (kr)",
    "Endring i årsverk (kjent)",
    "Tiltak uten tall for årsverk",
    "Tiltak med vesentlig organisatorisk risiko",
)


def _append(sheet, values) -> None:
    sheet.append([safe_cell_text(value) if isinstance(value, str) else value for value in values])


def _header(sheet, headers) -> None:
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def scenarios_workbook(programme_name: str, compared: list[ScenarioFigures], has_example_data: bool) -> bytes:
    """Sheet «Sammenligning» (each scenario per year), then one sheet per scenario with its measures."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sammenligning"
    if has_example_data:
        _append(sheet, [EXAMPLE_NOTE])
    _append(sheet, [f"{programme_name}: budsjettalternativer"])
    _header(sheet, YEAR_HEADERS)
    for figures in compared:
        for row in figures.years:
            _append(
                sheet,
                [
                    figures.scenario.name,
                    row.year,
                    row.savings_nok,
                    row.target_nok,
                    row.gap_nok,
                    json_number(row.fte_change),
                    row.fte_unknown_count,
                    row.significant_org_risk_count,
                ],
            )
    for index, figures in enumerate(compared, start=1):
        _scenario_sheet(workbook.create_sheet(f"Alternativ {index}"), figures)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _scenario_sheet(sheet, figures: ScenarioFigures) -> None:
    years = [row.year for row in figures.years]
    _append(sheet, [figures.scenario.name])
    if figures.scenario.is_adopted:
        _append(sheet, [f"Vedtatt i {figures.scenario.decision_reference} ({figures.scenario.decision_body})"])
    _header(sheet, ["Tiltak", "Tittel", "Gruppe", "Effekttype", *(f"Innsparing {year} (kr)" for year in years)])
    for choice in figures.choices:
        _append(
            sheet,
            [
                choice.code,
                choice.title,
                choice.group_number,
                choice.effect_type,
                *(choice.savings_nok.get(year, 0) for year in years),
            ],
        )
    _append(sheet, ["Sum", "", "", "", *(row.savings_nok for row in figures.years)])
