"""What the benefits pages show: context builders that keep the views thin."""

import io
from dataclasses import dataclass

from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from tracker.accounting.services import ProgrammeComparison, programme_comparison
from tracker.benefits import charts, queries, rules, services, totals
from tracker.benefits.export import figures_workbook
from tracker.benefits.forms import DashboardFilterForm
from tracker.benefits.programme import programme_figures, thresholds
from tracker.money import format_decimal, format_mnok, format_nok
from tracker.periods import Quarter, current_quarter, quarters_of_year
from tracker.portfolio.lookups import example_data_flag
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import measure_plan, measure_summaries
from tracker.portfolio.status import counts_in_totals
from tracker.web.paths import id_path_prefix

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    as_of = as_of_from(args.get("quarter"))
    measures = measure_summaries(programme)
    figures = programme_figures(programme, as_of, measures)
    year = _chosen_year(args.get("year"), figures)
    form = DashboardFilterForm(formdata=None)
    form.year.choices = [SelectChoice(row.year, str(row.year)) for row in figures.years]
    form.quarter.choices = [SelectChoice(q.key, q.label) for q in quarter_choices(programme)]
    form.year.data, form.quarter.data = year, as_of.key
    accounting = programme_comparison(programme, figures.measures, [row.year for row in figures.years])
    return {
        "figures": figures,
        "year": year,
        "as_of": as_of,
        "headline": figures.year(year),
        "form": form,
        "year_chart": year_chart(figures),
        "group_chart": group_chart(figures, year),
        **dashboard_tables(figures, year, {measure.code: measure.id for measure in measures}),
        "accounting": accounting,
        "accounting_rows": accounting_rows(accounting),
    }


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


def dashboard_tables(figures: totals.ProgrammeFigures, year: int, measure_ids: dict[str, int]) -> dict:
    """The rows of every table on the dashboard, built once here so the template only lays them out."""
    ledger_path = id_path_prefix("benefits.ledger")
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
        "deviation_rows": [
            (deviation, _deviation_row(deviation, f"{ledger_path}{measure_ids[deviation.code]}"))
            for deviation in figures.deviations
        ],
        "measure_rows": [
            (row, _measure_row(row, f"{ledger_path}{measure_ids[row.code]}"))
            for row in figures.measures
            if row.year == year
        ],
        "missing_rows": [(code, f"{ledger_path}{measure_ids[code]}") for code in figures.missing_updates],
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


# --- the owner's page and the ledger --------------------------------------------------------------


def owner_context(user, programme: Programme | None, quarter: Quarter) -> dict:
    """The owner's work queue in the programme: their measures, what is due; and how many they own elsewhere."""
    owned = [m for m in queries.owned_measures(user) if counts_in_totals(m.status)]
    programme_id = programme.id if programme is not None else None
    measures = [m for m in owned if m.programme_id == programme_id]
    reported = queries.figures_for_quarter(measures, quarter)
    rows = [
        {"measure": m, "figure": reported.get(m.id), "planned_nok": queries.planned_saving(m, quarter.year)}
        for m in measures
    ]
    return {
        "quarter": quarter,
        "rows": rows,
        "due": [
            row for row in rows if row["figure"] is None and rules.expects_report(measure_plan(row["measure"]), quarter)
        ],
        "is_closed": queries.is_closed(quarter),
        "elsewhere": len(owned) - len(measures),
        "programme": programme,
    }


def measure_years(measure: Measure, as_of: Quarter) -> list[rules.MeasureYear]:
    """The measure's figures per year, computed by the same rules as the dashboard."""
    reports = [
        rules.ReportedFigure(
            measure.code,
            f.year,
            f.quarter,
            f.realised_to_date_nok,
            f.forecast_year_nok,
            f.is_approved,
            f.explanation,
            f.corrective_action,
        )
        for f in queries.measure_figures(measure)
        if f.period <= as_of
    ]
    confidence = queries.measure_confidence(measure, as_of)
    item = rules.MeasureInput(measure_plan(measure), measure.title, confidence)
    take_outs = queries.measure_take_outs(measure)
    years = sorted(set(measure.programme.plan_years) | {e.year for e in measure.planned_effects})
    return [
        rules.measure_year(item, reports, year, as_of, getattr(take_outs.get(year), "amount_nok", 0), thresholds())[0]
        for year in years
    ]


def ledger_context(measure: Measure, now: Quarter) -> dict:
    figures = queries.measure_figures(measure)
    by_period = {f.period: f for f in figures}
    years = measure_years(measure, now)
    # Quarter tables for the current year and every year with a report, newest first.
    shown = sorted({now.year} | {f.year for f in figures}, reverse=True)
    quarters = {year: [q for q in quarters_of_year(year) if q <= now] for year in shown}
    closed = {c.period for c in queries.closed_quarters()}
    return {
        "years": years,
        "quarters": quarters,
        "by_period": by_period,
        "closed": closed,
        "now": now,
        "revisions": queries.plan_revisions(measure),
        "take_outs": queries.measure_take_outs(measure),
        "corrections": [(f, r) for f in figures for r in f.revisions],
        "counts": counts_in_totals(measure.status),
    }


def panel_summary(measure: Measure) -> rules.MeasureYear | None:
    """The current year's ledger line for the measure page's panel."""
    now = current_quarter()
    return next((row for row in measure_years(measure, now) if row.year == now.year), None)


def year_choices(programme: Programme) -> list[SelectChoice]:
    return [SelectChoice(year, str(year)) for year in programme.plan_years]


def closable_quarters(programme: Programme | None) -> list[SelectChoice]:
    """The quarters of the programme's years not yet closed (a closed quarter is closed for every programme)."""
    if programme is None:
        return []
    closed = {c.period for c in queries.closed_quarters()}
    return [SelectChoice(q.key, q.label) for q in quarter_choices(programme) if q not in closed]


# --- forms ------------------------------------------------------------------------------------


@dataclass
class FigureFormData:
    """A stored report as form defaults (amounts as Norwegian text)."""

    realised: str = ""
    forecast: str = ""
    explanation: str = ""
    corrective_action: str = ""
    comment: str = ""
    version: str = "0"

    @classmethod
    def of(cls, figure) -> "FigureFormData":
        if figure is None:
            return cls()
        return cls(
            format_nok(figure.realised_to_date_nok),
            format_nok(figure.forecast_year_nok),
            figure.explanation,
            figure.corrective_action,
            figure.comment,
            str(figure.version),
        )


def figure_input(form) -> services.FigureInput:
    return services.FigureInput(
        realised_to_date_nok=form.realised.amount,
        forecast_year_nok=form.forecast.amount,
        explanation=form.explanation.data or "",
        corrective_action=form.corrective_action.data or "",
        comment=form.comment.data or "",
        correction_reason=form.correction_reason.data or "",
        seen_version=form.version.seen(),
    )


def take_out_form_data(measure: Measure, year: int) -> dict:
    """The year's stored take-out as the take-out form shows it ("stored now" on the conflict page)."""
    take_out = queries.get_take_out(measure, year)
    if take_out is None:
        return {"year": year, "amount": "", "comment": ""}
    return {"year": year, "amount": format_nok(take_out.amount_nok), "comment": take_out.comment}


def current_plan(measure: Measure) -> list[tuple[int, int]]:
    """(year, planned saving in kroner) for every year of the programme: what the plan form changes."""
    return [(year, queries.planned_saving(measure, year)) for year in measure.programme.plan_years]


def plan_form_data(measure: Measure, year: int) -> dict:
    """The year's stored plan as the plan form shows it ("stored now" on the conflict page)."""
    return {"year": year, "new_saving": format_nok(queries.planned_saving(measure, year)), "reason": ""}


def export_bytes(programme: Programme, as_of: Quarter) -> io.BytesIO:
    data = figures_workbook(programme.name, programme_figures(programme, as_of), example_data_flag())
    return io.BytesIO(data)
