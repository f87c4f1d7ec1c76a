"""What the benefits pages show: context builders that keep the views thin."""

import io
from dataclasses import dataclass

from wtforms.fields.choices import SelectChoice

from tracker.accounting.services import programme_comparison
from tracker.benefits import charts, queries, rules, services, tables, totals
from tracker.benefits.export import figures_workbook, quarter_workbook
from tracker.benefits.forms import DashboardFilterForm
from tracker.benefits.importing import template_headers, template_row
from tracker.benefits.programme import programme_figures, thresholds
from tracker.dependencies.services import forecast_at_risk
from tracker.money import format_nok
from tracker.periods import Quarter, current_quarter, quarters_of_year, today_oslo
from tracker.portfolio.figures import EFFECT_TYPE_BASES
from tracker.portfolio.lookups import example_data_flag
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import get_programme, measure_plan, measure_summaries
from tracker.portfolio.status import is_adopted, keeps_realised
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
    ids = {measure.code: measure.id for measure in measures}
    return {
        "figures": figures,
        "year": year,
        "as_of": as_of,
        "headline": figures.year(year),
        "has_adopted": any(measure.plan.is_adopted for measure in measures),
        "type_bases": type_bases(measures),
        "at_risk_rows": at_risk_rows(programme, as_of, measures, ids),
        "form": form,
        "year_chart": year_chart(figures),
        "group_chart": group_chart(figures, year),
        **tables.dashboard_tables(figures, year, ids),
        "accounting": accounting,
        "accounting_rows": tables.accounting_rows(accounting),
    }


def type_bases(measures) -> list[tuple[str, int]]:
    """How many measures have their effect type from each basis ("oppgitt i rapporten": 24, …)."""
    counts: dict[str, int] = {}
    for measure in measures:
        if measure.effect_type:
            label = EFFECT_TYPE_BASES.get(measure.effect_type_basis, "uten oppgitt grunnlag")
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


@dataclass(frozen=True)
class AtRiskRow:
    """An adopted measure whose forecast is at risk ("prognose i fare"), with why and a link to its page."""

    code: str
    title: str
    reasons: tuple[str, ...]
    href: str


def at_risk_day(as_of: Quarter):
    """The day lateness is judged on: today, or the last day of an earlier quarter looked at."""
    return min(today_oslo(), as_of.end_date)


def at_risk_rows(programme: Programme, as_of: Quarter, measures, ids: dict[str, int]) -> list[AtRiskRow]:
    """The adopted measures flagged "prognose i fare" as of the quarter looked at, in code order."""
    flagged = forecast_at_risk(programme, at_risk_day(as_of))
    measure_path = id_path_prefix("portfolio.measure")
    return [
        AtRiskRow(m.code, m.title, flagged[m.code].reasons, f"{measure_path}{ids[m.code]}")
        for m in measures
        if m.plan.is_adopted and m.code in flagged
    ]


# --- the owner's page and the ledger --------------------------------------------------------------


def owner_context(user, quarter: Quarter) -> dict:
    measures = [m for m in queries.owned_measures(user) if is_adopted(m.status)]
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
    }


def measure_years(measure: Measure, as_of: Quarter) -> list[rules.MeasureYear]:
    """The measure's figures per year, computed by the same rules as the dashboard."""
    figures = [f for f in queries.measure_figures(measure) if f.period <= as_of]
    item = rules.MeasureInput(measure_plan(measure), measure.title, queries.measure_confidence(measure, as_of))
    years = sorted(set(measure.programme.plan_years) | {e.year for e in measure.planned_effects})
    if not item.plan.counts:
        return [rules.measure_year(item, [], year, as_of)[0] for year in years]
    take_outs = queries.measure_take_outs(measure)
    ledger = totals.LedgerInput(
        taken_out={(measure.code, year): t.amount_nok for year, t in take_outs.items()},
        taken_out_approved={(measure.code, year): t.amount_nok for year, t in take_outs.items() if t.is_approved},
        later=tuple(queries.later_forecasts_of(measure.code, figures)),
        closed_years=queries.closed_years(as_of),
        thresholds=thresholds(),
    )
    rows, _, _ = totals.measure_rows([item], [queries.reported(f) for f in figures], years, as_of, ledger)
    return [row for row, _ in rows]


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
        "counts": keeps_realised(measure.status),
        "is_adopted": is_adopted(measure.status),
    }


def panel_summary(measure: Measure, years: list[rules.MeasureYear] | None = None) -> rules.MeasureYear | None:
    """The current year's ledger line for the measure page's panel (`years`: measure_years as of now, if known)."""
    now = current_quarter()
    years = measure_years(measure, now) if years is None else years
    return next((row for row in years if row.year == now.year), None)


def goal_rows(programme: Programme) -> list[tuple[str, list[int | None]]]:
    """The target trajectory: (programme or group, [target per plan year]) for the page «Mål og sparekrav»."""
    years = programme.plan_years
    rows = [("Programmet (mål)", [programme.target_for(year) for year in years])]
    rows += [
        (f"{group.label} (sparekrav)", [group.requirement_for(year) for year in years]) for group in programme.groups
    ]
    return rows


def target_form_data(programme: Programme, scope: str, year: int) -> dict:
    """The stored target of a scope ("program" or a group's id) and year as the target form shows it."""
    groups = {str(group.id): group for group in programme.groups}
    stored = groups[scope].requirement_for(year) if scope in groups else programme.target_for(year)
    return {"scope": scope, "year": year, "amount": "" if stored is None else format_nok(stored), "reason": ""}


def year_choices(programme: Programme) -> list[SelectChoice]:
    return [SelectChoice(year, str(year)) for year in programme.plan_years]


def closable_quarters() -> list[SelectChoice]:
    programme = get_programme()
    if programme is None:
        return []
    closed = {c.period for c in queries.closed_quarters()}
    return [SelectChoice(q.key, q.label) for q in quarter_choices(programme) if q not in closed]


# --- forms ------------------------------------------------------------------------------------


def figure_form_data(figure) -> dict:
    """A stored report as form defaults (amounts as Norwegian text), later-year forecasts as `forecast_YYYY`,
    and its version (none stored: the form's "0")."""
    if figure is None:
        return {}
    data = {
        "version": str(figure.version),
        "realised": format_nok(figure.realised_to_date_nok),
        "forecast": format_nok(figure.forecast_year_nok),
        "one_off": format_nok(figure.one_off_nok) if figure.one_off_nok else "",
        "explanation": figure.explanation,
        "corrective_action": figure.corrective_action,
        "comment": figure.comment,
    }
    data.update({f"forecast_{year}": format_nok(amount) for year, amount in figure.later_forecasts_by_year().items()})
    return data


def later_years(measure: Measure, quarter: Quarter) -> list[int]:
    """The plan years after the quarter's year: each gets an optional forecast."""
    return [year for year in measure.programme.plan_years if year > quarter.year]


def figure_input(form) -> services.FigureInput:
    later = {year: getattr(form, f"forecast_{year}").amount for year in form.later_years}
    return services.FigureInput(
        realised_to_date_nok=form.realised.amount,
        forecast_year_nok=form.forecast.amount,
        explanation=form.explanation.data or "",
        corrective_action=form.corrective_action.data or "",
        comment=form.comment.data or "",
        correction_reason=form.correction_reason.data or "",
        one_off_nok=form.one_off.amount or 0,
        later_forecasts_nok={year: amount for year, amount in later.items() if amount is not None},
        seen_version=form.version.seen(),
    )


def quarter_template_bytes(programme: Programme, quarter: Quarter) -> bytes:
    """The quarter's figures of every adopted measure in the import's format, with a column per later year."""
    later = [year for year in programme.plan_years if year > quarter.year]
    measures = [m for m in queries.programme_measures(programme) if is_adopted(m.status)]
    stored = queries.figures_for_quarter(measures, quarter)
    take_outs = queries.programme_take_outs(programme, quarter.year)
    rows = [
        template_row(measure, quarter, stored.get(measure.id), later, take_outs.get(measure.id)) for measure in measures
    ]
    return quarter_workbook(template_headers(later), rows, example_data_flag())


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
