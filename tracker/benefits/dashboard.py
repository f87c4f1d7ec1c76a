"""The ledergruppe dashboard: figures, charts and tables, rendered once per data version.

The page below its action buttons depends only on the programme, the quarter and year looked at,
the pages of its long lists and the data, so it is rendered to HTML once per data version in each
worker (tracker.readmodel) and reused; only the buttons, which depend on who asks, are rendered
per request.
"""

from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from tracker.accounting.services import ProgrammeComparison, programme_comparison
from tracker.benefits import charts, rules, totals
from tracker.benefits.forms import DashboardFilterForm
from tracker.benefits.programme import programme_figures
from tracker.money import format_decimal, format_mnok
from tracker.periods import Quarter, current_quarter, quarters_of_year
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import measure_summaries
from tracker.readmodel.cache import cached
from tracker.web.paging import page_link, page_number, page_of
from tracker.web.paths import id_path_prefix

# The query-string names of the pages of the dashboard's three long lists.
PAGE_ARGUMENTS = ("avvik_side", "mangler_side", "side")


def as_of_from(text: str | None) -> Quarter:
    """The quarter asked for ("2026-Q2"), never later than the current one; else the current one."""
    now = current_quarter()
    try:
        asked = Quarter.parse(text) if text else now
    except ValueError:
        return now
    return min(asked, now)


def quarter_choices(programme: Programme) -> list[Quarter]:
    """Quarters from the programme's first year up to now, newest first."""
    now = current_quarter()
    found = [q for year in range(programme.start_year, now.year + 1) for q in quarters_of_year(year) if q <= now]
    return list(reversed(found)) or [now]


def default_year(figures: totals.ProgrammeFigures) -> int:
    """The first target year from now on (where the gap is), else the year of the quarter looked at."""
    years = [row.year for row in figures.years]
    targets = [row.year for row in figures.years if row.target_nok is not None and row.year >= figures.as_of.year]
    if targets:
        return targets[0]
    return figures.as_of.year if figures.as_of.year in years else years[-1]


def _chosen_year(text: str | None, figures: totals.ProgrammeFigures) -> int:
    years = [row.year for row in figures.years]
    try:
        year = int(text or "")
    except ValueError:
        return default_year(figures)
    return year if year in years else default_year(figures)


def year_chart(figures: totals.ProgrammeFigures):
    rows = list(figures.years)
    return charts.bar_chart(
        "diagram-per-aar",
        "Planlagt, prognose og realisert innsparing per år, med mål",
        [str(row.year) for row in rows],
        [
            charts.Series("Planlagt", "bar-planned", tuple(row.planned_nok for row in rows)),
            charts.Series("Prognose", "bar-forecast", tuple(row.forecast_nok for row in rows)),
            charts.Series("Realisert", "bar-realised", tuple(row.realised_nok for row in rows)),
        ],
        markers={i: row.target_nok for i, row in enumerate(rows) if row.target_nok is not None},
    )


def group_chart(figures: totals.ProgrammeFigures, year: int):
    rows = [(group, group.year(year)) for group in figures.groups]
    return charts.bar_chart(
        "diagram-per-gruppe",
        f"Innsparing per arbeidsgruppe i {year}, med sparekrav",
        [str(group.number) for group, _ in rows],
        [
            charts.Series("Planlagt", "bar-planned", tuple(row.planned_nok for _, row in rows)),
            charts.Series("Prognose", "bar-forecast", tuple(row.forecast_nok for _, row in rows)),
            charts.Series("Realisert", "bar-realised", tuple(row.realised_nok for _, row in rows)),
        ],
        markers={i: row.target_nok for i, (_, row) in enumerate(rows) if row.target_nok is not None},
        marker_name="Sparekrav",
    )


def dashboard_context(programme: Programme, args) -> dict:
    """The dashboard's HTML above and below its action buttons, and the quarter looked at."""
    as_of = as_of_from(args.get("quarter"))
    figures = programme_figures(programme, as_of)
    year = _chosen_year(args.get("year"), figures)
    page_numbers = tuple(page_number(args.get(name)) for name in PAGE_ARGUMENTS)
    key = ("dashboard", programme.id, as_of, year, current_quarter(), page_numbers)
    top, body = cached(key, lambda: _rendered(programme, figures, year, page_numbers))
    return {"as_of": as_of, "top": top, "body": body}


def _rendered(programme: Programme, figures: totals.ProgrammeFigures, year: int, page_numbers) -> tuple[Markup, Markup]:
    as_of = figures.as_of
    form = DashboardFilterForm(formdata=None)
    form.year.choices = [SelectChoice(row.year, str(row.year)) for row in figures.years]
    form.quarter.choices = [SelectChoice(q.key, q.label) for q in quarter_choices(programme)]
    form.year.data, form.quarter.data = year, as_of.key
    accounting = programme_comparison(programme, figures.measures, [row.year for row in figures.years])
    context = {
        "programme": programme,
        "figures": figures,
        "year": year,
        "as_of": as_of,
        "headline": figures.year(year),
        "form": form,
        "year_chart": year_chart(figures),
        "group_chart": group_chart(figures, year),
        **dashboard_tables(figures, year, {m.code: m.id for m in measure_summaries(programme)}, page_numbers),
        "accounting": accounting,
        "accounting_rows": accounting_rows(accounting),
    }
    top = Markup(render_template("benefits/_dashboard_top.html", **context))
    return top, Markup(render_template("benefits/_dashboard_body.html", **context))


# --- the dashboard's tables -----------------------------------------------------------------------

FIGURE_FIELDS = (
    "planned_nok",
    "forecast_nok",
    "risk_adjusted_forecast_nok",
    "realised_nok",
    "realised_approved_nok",
    "taken_out_nok",
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


def figure_row(heading: str, key: str, row: totals.FigureRow, has_target: bool = True) -> TableRow:
    """A row of the per year, per group or per effect type table."""
    cells = [money_cell(f"{key}-{name}", getattr(row, name)) for name in FIGURE_FIELDS]
    if has_target:
        cells = [money_cell(f"{key}-target_nok", row.target_nok), *cells, money_cell(f"{key}-gap_nok", row.gap_nok)]
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


def dashboard_tables(
    figures: totals.ProgrammeFigures, year: int, measure_ids: dict[str, int], page_numbers: tuple[int, int, int]
) -> dict:
    """The rows of every table on the dashboard, built here so the template only lays them out.

    The deviations, the measures without a report and the measures' table are long lists in a
    large portfolio: each shows one page (web.paging) and links to the others.
    """
    ledger_path = id_path_prefix("benefits.ledger")
    link_args = {"year": year, "quarter": figures.as_of.key}
    deviations, missing, measures = (
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
            figure_row(f"{group.number} {group.name}", f"group-{year}-{group.number}", group.year(year))
            for group in figures.groups
        ],
        "type_rows": [
            figure_row(kind.effect_type, f"type-{year}-{kind.effect_type}", kind.year(year), has_target=False)
            for kind in figures.effect_types
        ],
        "deviation_page": deviations,
        "deviation_rows": [
            (deviation, _deviation_row(deviation, f"{ledger_path}{measure_ids[deviation.code]}"))
            for deviation in deviations.rows
        ],
        "missing_page": missing,
        "missing_rows": [(code, f"{ledger_path}{measure_ids[code]}") for code in missing.rows],
        "measure_page": measures,
        "measure_rows": [(row, _measure_row(row, f"{ledger_path}{measure_ids[row.code]}")) for row in measures.rows],
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
