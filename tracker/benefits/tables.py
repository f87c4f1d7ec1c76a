"""The dashboard's tables: rows and cells built in Python (thousands of rows), so the template only lays them out."""

from dataclasses import dataclass

from markupsafe import Markup, escape

from tracker import palette
from tracker.accounting.services import ProgrammeComparison
from tracker.benefits import rules, standing, totals
from tracker.confidence import LABELS as CONFIDENCE_LABELS
from tracker.money import format_decimal, format_mnok
from tracker.portfolio.queries import MeasureSummary
from tracker.web.paging import page_link, page_of
from tracker.web.paths import id_path_prefix

# The query-string names of the pages of the dashboard's three long lists.
PAGE_ARGUMENTS = ("avvik_side", "mangler_side", "side")

FIGURE_FIELDS = (
    "menu_nok",
    "planned_nok",
    "forecast_nok",
    "risk_adjusted_forecast_nok",
    "realised_nok",
    "realised_approved_nok",
    "one_off_nok",
    "taken_out_nok",
    "taken_out_approved_nok",
)
UNAPPROVED_NOTE = Markup(' <span class="badge badge-unapproved">ikke godkjent</span>')
NO_NOTE = Markup("")


def money_cell(key: str, amount_nok: int | None, note: Markup = NO_NOTE) -> Markup:
    """Every amount cell of the dashboard's tables: mill. kr shown, kroner in data-value (the cross-checks read it).

    Built here rather than in a macro: the measure table has a row per measure, and a macro call per
    cell cost more than the rest of the page.
    """
    if amount_nok is None:
        return Markup(f'<td class="num" data-figure="{escape(key)}" data-value="">–{note}</td>')
    shown = escape(format_mnok(amount_nok))
    return Markup(f'<td class="num" data-figure="{escape(key)}" data-value="{amount_nok:d}">{shown}{note}</td>')


@dataclass(frozen=True)
class TableRow:
    """One row of a dashboard table: its heading (a link when `href` is set) and its cells, in column order."""

    heading: str
    cells: tuple[Markup, ...]
    href: str = ""


def gap_cell(key: str, gap_nok: int | None, against: str = standing.TARGET) -> Markup:
    """A gap in words ("1,9 under målet", never a bare sign), kroner in data-value like money_cell."""
    value = "" if gap_nok is None else f"{gap_nok:d}"
    shown = escape(standing.gap_text(gap_nok, against))
    return Markup(f'<td class="num" data-figure="{escape(key)}" data-value="{value}">{shown}</td>')


def light_cell(level: str | None) -> Markup:
    """A measure's delivery confidence as its traffic light (tracker.palette's colours)."""
    label = escape(CONFIDENCE_LABELS.get(level, "Ingen statusrapport") if level else "Ingen statusrapport")
    return Markup(f'<td><span class="{palette.css_class(level)}">{label}</span></td>')


def figure_row(
    heading: str, key: str, row: totals.FigureRow, has_target: bool = True, against: str = standing.TARGET
) -> TableRow:
    """A row of the per year, per group or per effect type table."""
    cells = [money_cell(f"{key}-{name}", getattr(row, name)) for name in FIGURE_FIELDS]
    if has_target:
        cells = [
            money_cell(f"{key}-target_nok", row.target_nok),
            *cells,
            gap_cell(f"{key}-gap_nok", row.gap_nok, against),
            money_cell(f"{key}-carried_gap_nok", row.carried_gap_nok),
        ]
    return TableRow(heading, tuple(cells))


def _measure_row(row: rules.MeasureYear, href: str) -> TableRow:
    key = f"measure-{row.code}"
    note = UNAPPROVED_NOTE if row.realised_nok != row.realised_approved_nok else NO_NOTE
    cells = (
        money_cell(f"{key}-planned_nok", row.planned_nok),
        money_cell(f"{key}-forecast_nok", row.forecast_nok),
        money_cell(f"{key}-risk_adjusted_forecast_nok", row.risk_adjusted_forecast_nok),
        money_cell(f"{key}-realised_nok", row.realised_nok, note),
        money_cell(f"{key}-taken_out_nok", row.taken_out_nok),
        light_cell(row.confidence),
    )
    return TableRow(f"{row.code} {row.title}", cells, href)


def _deviation_row(deviation: rules.Deviation, href: str) -> TableRow:
    key = f"deviation-{deviation.code}-{deviation.year}"
    cells = (
        money_cell(f"{key}-planned_nok", deviation.planned_nok),
        money_cell(f"{key}-forecast_nok", deviation.forecast_nok),
        money_cell(f"{key}-shortfall_nok", deviation.shortfall_nok),
    )
    return TableRow(f"{deviation.code} {deviation.title}", cells, href)


def _missing_row(measure: MeasureSummary, ledger_path: str) -> tuple[str, str, str]:
    """A measure without figures for the quarter: its link text, path, and title with owner."""
    owner = measure.owner.display_name if measure.owner else "ingen tiltaksansvarlig"
    return f"Tiltak {measure.code}", f"{ledger_path}{measure.id}", f"{measure.title} ({owner})"


def dashboard_tables(
    figures: totals.ProgrammeFigures, year: int, measures: dict[str, MeasureSummary], page_numbers: tuple[int, int, int]
) -> dict:
    """The rows of every table on the dashboard, built here so the template only lays them out.

    `measures` maps codes to the programme's measure summaries. The deviations, the measures without
    figures and the measures' table are long lists in a large portfolio: each shows one page
    (web.paging) and links to the others.
    """
    ledger_path = id_path_prefix("benefits.ledger")
    link_args = {"year": year, "quarter": figures.as_of.key}
    deviations, missing, measure_page = (
        page_of(rows, number, page_link("benefits.dashboard", link_args, name))
        for rows, number, name in zip(
            (figures.deviations, figures.missing_updates, [row for row in figures.measures if row.year == year]),
            page_numbers,
            PAGE_ARGUMENTS,
            strict=True,
        )
    )
    return {
        "year_rows": [figure_row(str(row.year), f"year-{row.year}", row) for row in figures.years],
        "group_rows": [
            figure_row(
                f"{group.number} {group.name}",
                f"group-{year}-{group.number}",
                group.year(year),
                True,
                standing.REQUIREMENT,
            )
            for group in figures.groups
        ],
        "type_rows": [
            figure_row(kind.effect_type, f"type-{year}-{kind.effect_type}", kind.year(year), has_target=False)
            for kind in figures.effect_types
        ],
        "deviation_page": deviations,
        "deviation_rows": [
            (deviation, _deviation_row(deviation, f"{ledger_path}{measures[deviation.code].id}"))
            for deviation in deviations.rows
        ],
        "missing_page": missing,
        "missing_rows": [_missing_row(measures[code], ledger_path) for code in missing.rows],
        "measure_page": measure_page,
        "measure_rows": [
            (row, _measure_row(row, f"{ledger_path}{measures[row.code].id}")) for row in measure_page.rows
        ],
    }


ACCOUNTING_FIELDS = (
    "reported_nok",
    "reported_mapped_nok",
    "indicated_to_date_nok",
    "indicated_nok",
    "registered_taken_out_mapped_nok",
    "taken_out_nok",
)


def _share_cell(share: float | None) -> Markup:
    shown = "–" if share is None else f"{format_decimal(share * 100, 0)} %"
    return Markup(f'<td class="num">{escape(shown)}</td>')


def accounting_rows(comparison: ProgrammeComparison) -> list[TableRow]:
    """The "rapportert" against "bekreftet i regnskapet" table (tracker.accounting), one row per year."""
    return [
        TableRow(
            str(row.year),
            (
                *(money_cell(f"accounting-{row.year}-{name}", getattr(row, name)) for name in ACCOUNTING_FIELDS),
                _share_cell(row.mapped_share),
            ),
        )
        for row in comparison.years
    ]
