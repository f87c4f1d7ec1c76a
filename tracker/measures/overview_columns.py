"""The overview's follow-up columns: adopted plan, forecast, traffic light, deviation, last update, missing
report and "prognose i fare".

Computed here, above benefits and updates, from the same programme figures as the dashboard
(tracker.benefits.programme.programme_figures) and the same "prognose i fare" flag
(tracker.dependencies.services.forecast_at_risk), so the overview, its Excel sheet and the dashboard
agree. A fixed number of statements, each filtered by the programme, whatever its size.
"""

from dataclasses import dataclass
from datetime import date

from tracker.benefits.dashboard import at_risk_day
from tracker.benefits.programme import programme_figures
from tracker.benefits.rules import MeasureYear
from tracker.benefits.totals import ProgrammeFigures
from tracker.dependencies.services import forecast_at_risk
from tracker.periods import Quarter
from tracker.portfolio.models import Programme
from tracker.portfolio.overview import FollowUp
from tracker.portfolio.queries import MeasureSummary
from tracker.portfolio.status import reports_status_updates
from tracker.updates.services import latest_update_quarters, round_for

MISSING_FIGURES = "tall"
MISSING_UPDATE = "statusrapport"


@dataclass(frozen=True)
class FollowUpData:
    """Everything the follow-up columns are read from, for every year of the plan, as of one quarter."""

    as_of: Quarter
    figures: ProgrammeFigures
    rows: dict[tuple[str, int], MeasureYear]
    last_update: dict[int, str]
    missing: dict[int, tuple[str, ...]]
    # Measure id → why its forecast is at risk, for the adopted measures flagged "prognose i fare".
    at_risk: dict[int, tuple[str, ...]]

    @property
    def years(self) -> list[int]:
        return [row.year for row in self.figures.years]


def adopted_plan_nok(row: MeasureYear | None) -> int | None:
    """The measure's adopted plan for the year (issue 11): its plan once adopted; None while it is only on
    the menu, rejected or stopped (the figures' one computation, tracker.benefits.rules.measure_year)."""
    return row.planned_nok if row is not None and row.is_adopted else None


def forecast_at_risk_reasons(programme: Programme, measures: list[MeasureSummary], day: date) -> dict:
    """Measure id → the reasons its forecast is at risk on `day`, for the adopted measures flagged
    "prognose i fare" (a late milestone, or building on a measure with one)."""
    flagged = forecast_at_risk(programme, day)
    return {m.id: flagged[m.code].reasons for m in measures if m.plan.is_adopted and m.code in flagged}


def _last_updates(measures: list[MeasureSummary], figures: ProgrammeFigures, updates: dict[int, Quarter]) -> dict:
    """Measure id → the quarter key of its newest report, figures or status update."""
    newest_figures: dict[str, str] = {}
    for row in figures.measures:
        if row.latest_report and row.latest_report > newest_figures.get(row.code, ""):
            newest_figures[row.code] = row.latest_report
    found = {}
    for measure in measures:
        keys = [newest_figures.get(measure.code, ""), updates[measure.id].key if measure.id in updates else ""]
        if max(keys):
            found[measure.id] = max(keys)
    return found


def _missing(programme: Programme, measures: list[MeasureSummary], figures: ProgrammeFigures, updates) -> dict:
    """Measure id → what it has not reported for the quarter: figures it owes, and a status update the round asks for."""
    as_of = figures.as_of
    no_figures = set(figures.missing_updates)
    has_round = round_for(programme, as_of) is not None
    found = {}
    for measure in measures:
        missing = []
        if measure.code in no_figures:
            missing.append(MISSING_FIGURES)
        asked = has_round and reports_status_updates(measure.status)
        if asked and updates.get(measure.id) != as_of:
            missing.append(MISSING_UPDATE)
        if missing:
            found[measure.id] = tuple(missing)
    return found


def follow_up_data(programme: Programme, measures: list[MeasureSummary], as_of: Quarter) -> FollowUpData:
    """The figures and reports behind the follow-up columns, as of a quarter.

    Lateness ("prognose i fare") is judged on the dashboard's day for the quarter: today, or the last
    day of an earlier quarter.
    """
    figures = programme_figures(programme, as_of)
    updates = latest_update_quarters(programme.id, as_of)
    return FollowUpData(
        as_of=as_of,
        figures=figures,
        rows={(row.code, row.year): row for row in figures.measures},
        last_update=_last_updates(measures, figures, updates),
        missing=_missing(programme, measures, figures, updates),
        at_risk=forecast_at_risk_reasons(programme, measures, at_risk_day(as_of)),
    )


def follow_up_for(data: FollowUpData, measure: MeasureSummary, year: int) -> FollowUp:
    """One measure's follow-up columns for one year."""
    row = data.rows.get((measure.code, year))
    plan = adopted_plan_nok(row)
    return FollowUp(
        adopted_plan_nok=plan,
        forecast_nok=row.forecast_nok if row else None,
        deviation_nok=row.forecast_nok - plan if row and plan is not None else None,
        is_deviation=bool(row and row.is_deviation),
        has_report=bool(row and row.latest_report),
        confidence=row.confidence if row else None,
        last_update=data.last_update.get(measure.id),
        missing=data.missing.get(measure.id, ()),
        at_risk_reasons=data.at_risk.get(measure.id, ()),
    )


def follow_up_columns(data: FollowUpData, measures: list[MeasureSummary], year: int) -> dict[int, FollowUp]:
    """Measure id → its follow-up columns for the year."""
    return {measure.id: follow_up_for(data, measure, year) for measure in measures}
