"""The portfolio as an Excel workbook: its layout and the export.

Sheets: "Tiltak" (one row per measure), "Program" (field/value rows), "Arbeidsgrupper",
"Milepæler" (one row per milestone, by measure code; optional when importing), the accounting
sheets of tracker.accounting.portfolio_files and "Oppfølging" (the overview's follow-up columns,
tracker.measures.overview_sheet; export only, the import leaves it alone). Amounts
are mill. kr with the report's sign (negative = saving), exactly as in the JSON data format, so
`tracker.measures.excel_import.read_portfolio_workbook` returns the same document shape and the
same validation applies.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook

from tracker.accounting.portfolio_files import write_sheets as write_accounting_sheets
from tracker.measures.fileformat import TEXT_FIELDS
from tracker.measures.overview_sheet import write_follow_up_sheet
from tracker.measures.sheets import mnok_value, write_table
from tracker.milestones.models import Milestone
from tracker.milestones.services import programme_milestones
from tracker.periods import current_quarter
from tracker.portfolio.figures import EFFECT_TYPES
from tracker.portfolio.models import Measure, Programme

SHEET_MEASURES = "Tiltak"
SHEET_PROGRAMME = "Program"
SHEET_GROUPS = "Arbeidsgrupper"
SHEET_MILESTONES = "Milepæler"
FORMAT = "tracker-portfolio/1"
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
    ("Berørte enheter", "affected_units"),
    ("Risiko", "risk_notes"),
    ("Statusnotat", "status_note"),
    ("Kilde i rapporten", "source_section"),
    ("Merknader", "notes"),
    ("Grunnlag for effekttype", "effect_type_basis"),
)
REQUIRED_COLUMNS = ("Kode", "Arbeidsgruppe", "Tittel")
NET_HEADER = "Netto endring {year} (mill. kr)"
# The menu (the report's figures), kept apart from the plan so a revised plan does not become the menu.
MENU_HEADER = "Meny {year} (mill. kr)"
MENU_RE = re.compile(r"^Meny (\d{4})\b")
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
# (header, key of a milestone in the JSON document) of the "Milepæler" sheet.
MILESTONE_COLUMNS = (
    ("Kode", "code"),
    ("Milepæl", "what"),
    ("Tidspunkt", "when_text"),
    ("Frist", "due_date"),
    ("Opprinnelig frist", "baseline_due_date"),
    ("Ferdig", "done_date"),
    ("Ansvarlig", "responsible"),
    ("Kilde", "source"),
)
MILESTONE_DATE_KEYS = ("due_date", "baseline_due_date", "done_date")


@dataclass(frozen=True)
class _Years:
    plan: list[int]
    table_27: list[int]
    menu: list[int]


def _years(programme: Programme, measures: list[Measure]) -> _Years:
    plan = set(programme.plan_years)
    table_27, menu = set(), set()
    for measure in measures:
        plan.update(effect.year for effect in measure.planned_effects)
        menu.update(effect.year for effect in measure.menu_effects if effect.net_cost_change_nok is not None)
        table_27.update(int(year) for year in (measure.report_table_27_mnok or {}) if str(year).isdigit())
    return _Years(sorted(plan), sorted(table_27), sorted(menu))


def _measure_row(measure: Measure, years: _Years) -> list[Any]:
    plan = measure.planned_net_change_by_year()
    menu = {effect.year: effect.net_cost_change_nok for effect in measure.menu_effects}
    table_27 = {str(key): value for key, value in (measure.report_table_27_mnok or {}).items()}
    texts = {name: getattr(measure, name) for name in TEXT_FIELDS}
    values = {
        "code": measure.code,
        "group": measure.group.number,
        "title": measure.title,
        "effect_type": measure.effect_type,
        "effect_type_basis": measure.effect_type_basis,
        "status": measure.status,
        "owner": measure.owner.username if measure.owner else None,
        "recommended_by_report": YES if measure.is_recommended_by_report else NO,
        "significant_org_risk": YES if measure.has_significant_org_risk else NO,
        "kpis": "\n".join(measure.kpi_suggestions or []) or None,
        "affected_units": "\n".join(measure.affected_units or []) or None,
        **texts,
    }
    return (
        [values[key] for _, key in LEADING_COLUMNS]
        + [mnok_value(plan.get(year)) for year in years.plan]
        + [values[key] for _, key in TRAILING_COLUMNS]
        + [table_27.get(str(year)) for year in years.table_27]
        + [mnok_value(menu.get(year)) for year in years.menu]
    )


def _programme_rows(programme: Programme) -> list[list[Any]]:
    values = {key: getattr(programme, key, None) for _, key in PROGRAMME_ROWS}
    values["effect_types"] = "; ".join(EFFECT_TYPES)
    rows = [[label, values[key]] for label, key in PROGRAMME_ROWS]
    rows += [[TARGET_LABEL.format(year=t.year), mnok_value(-t.savings_target_nok)] for t in programme.targets]
    if programme.has_example_data:
        rows.insert(0, [EXAMPLE_LABEL, EXAMPLE_NOTE])
    return rows


def _group_rows(programme: Programme) -> list[list[Any]]:
    def negated(amount):
        return None if amount is None else mnok_value(-amount)

    return [
        [group.number, group.name, negated(group.savings_requirement_nok), negated(group.menu_mandate_nok)]
        for group in programme.groups
    ]


def _milestone_rows(measures: list[Measure], milestones: dict[int, list[Milestone]]) -> list[list[Any]]:
    return [
        [
            measure.code,
            m.title,
            m.when_text,
            m.due_date,
            m.baseline_due_date,
            m.done_date,
            m.responsible or None,
            m.source,
        ]
        for measure in measures
        for m in milestones.get(measure.id, [])
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
        + [MENU_HEADER.format(year=year) for year in years.menu]
    )
    write_table(sheet, headers, [_measure_row(measure, years) for measure in measures])
    write_table(workbook.create_sheet(SHEET_PROGRAMME), ["Felt", "Verdi"], _programme_rows(programme))
    write_table(workbook.create_sheet(SHEET_GROUPS), [header for header, _ in GROUP_COLUMNS], _group_rows(programme))
    milestone_rows = _milestone_rows(measures, programme_milestones(programme.id))
    write_table(workbook.create_sheet(SHEET_MILESTONES), [header for header, _ in MILESTONE_COLUMNS], milestone_rows)
    write_accounting_sheets(workbook, programme)
    write_follow_up_sheet(workbook, programme, current_quarter())
    return workbook


def write_portfolio_workbook(programme: Programme, measures: list[Measure], target: str | Path | BinaryIO) -> None:
    """Save the export to a path or a binary stream."""
    build_portfolio_workbook(programme, measures).save(target)
