"""What the benefits pages show: context builders that keep the views thin."""

import io
from dataclasses import dataclass

from wtforms.fields.choices import SelectChoice

from tracker.benefits import queries, rules, services
from tracker.benefits.dashboard import quarter_choices
from tracker.benefits.export import figures_workbook
from tracker.benefits.programme import programme_figures, thresholds
from tracker.money import format_nok
from tracker.periods import Quarter, current_quarter, quarters_of_year
from tracker.portfolio.lookups import example_data_flag
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import get_programme, measure_plan
from tracker.portfolio.status import counts_in_totals

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the owner's page and the ledger --------------------------------------------------------------


def owner_context(user, quarter: Quarter) -> dict:
    measures = [m for m in queries.owned_measures(user) if counts_in_totals(m.status)]
    reported = queries.figures_for_quarter(measures, quarter)
    rows = [
        {"measure": m, "figure": reported.get(m.id), "planned_nok": queries.planned_saving(m, quarter.year)}
        for m in measures
    ]
    # What is due per measure (figures, status update, consequences, risk) is tracker.followup's
    # "owner_due", shown on the same page.
    return {"quarter": quarter, "rows": rows, "is_closed": queries.is_closed(quarter)}


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


def closable_quarters() -> list[SelectChoice]:
    programme = get_programme()
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
