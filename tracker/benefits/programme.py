"""The programme's benefits figures: the one computation behind the dashboard, exports, summary and PDFs."""

from flask import current_app

from tracker.benefits import queries, rules, totals
from tracker.periods import Quarter
from tracker.portfolio import queries as portfolio
from tracker.portfolio.models import Programme
from tracker.readmodel.cache import cached


def thresholds() -> rules.Thresholds:
    """The deviation thresholds from configuration."""
    config = current_app.config
    return rules.Thresholds(pct=config["DEVIATION_THRESHOLD_PCT"], min_nok=config["DEVIATION_THRESHOLD_MIN_NOK"])


def programme_figures(
    programme: Programme, as_of: Quarter, measures: list[portfolio.MeasureSummary] | None = None
) -> totals.ProgrammeFigures:
    """The one computation behind the dashboard, `summary --json`, the Excel export and the PDFs.

    Computed once per programme, quarter and data version in each worker (tracker.readmodel), and
    then in a fixed number of queries, each filtered by the programme, whatever the number of measures.
    `measures` (summaries as they stood at some day, as the reports pass them) bypasses the cache.
    """
    if measures is not None:
        return _computed_figures(programme, as_of, measures)
    return cached(
        ("programme_figures", programme.id, as_of),
        lambda: _computed_figures(programme, as_of, portfolio.measure_summaries(programme)),
    )


def _computed_figures(
    programme: Programme, as_of: Quarter, measures: list[portfolio.MeasureSummary]
) -> totals.ProgrammeFigures:
    confidence = queries.confidence_by_measure(programme, as_of)
    inputs = [rules.MeasureInput(measure.plan, measure.title, confidence.get(measure.id)) for measure in measures]
    return totals.programme_figures(
        inputs,
        queries.latest_reported_figures(programme, as_of),
        portfolio.plan_years(programme, [measure.plan for measure in measures]),
        as_of,
        targets=queries.targets(programme),
        groups=queries.group_inputs(programme),
        ledger=ledger_input(programme, as_of),
    )


def ledger_input(programme: Programme, as_of: Quarter) -> totals.LedgerInput:
    """Take-outs, later-year forecasts, closed years and thresholds of the programme as of a quarter."""
    entered, approved = queries.take_outs(programme)
    return totals.LedgerInput(
        taken_out=entered,
        taken_out_approved=approved,
        later=tuple(queries.later_forecasts(programme, as_of)),
        closed_years=queries.closed_years(as_of),
        thresholds=thresholds(),
    )
