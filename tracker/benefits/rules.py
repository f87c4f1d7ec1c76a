"""Benefits realisation for one measure: forecasts, deviations, sane reports. Pure: no Flask, no database.

Savings are positive kroner (a measure that adds cost, such as 2.11, has a negative saving).
Measures that are `ikke vedtatt` or `avbrutt` count nowhere. The rules, exactly as implemented,
are described in docs/benefits.md; keep the two in step. The programme's totals are in
tracker.benefits.totals.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tracker.confidence import weight_for
from tracker.money import format_nok
from tracker.periods import Quarter
from tracker.portfolio.figures import MeasurePlan
from tracker.portfolio.status import GJENNOMFORT, UNDER_GJENNOMFORING, VEDTATT

NO_EFFECT_TYPE = "Ikke angitt"
# Adopted measures: their owners report figures every quarter.
REPORTING_STATUSES = frozenset({VEDTATT, UNDER_GJENNOMFORING, GJENNOMFORT})
# Realised-to-date may not exceed this many times the larger of plan and forecast …
SANE_REALISED_FACTOR = 2
# … nor this floor (so a measure planned at 0 can still report a small realised saving).
SANE_REALISED_FLOOR_NOK = 1_000_000


@dataclass(frozen=True)
class Thresholds:
    """A deviation is a shortfall larger than `pct` % of the plan and at least `min_nok`."""

    pct: int = 10
    min_nok: int = 100_000


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class ReportedFigure:
    """One quarterly report on one measure: figures for `year` as reported in quarter `quarter`."""

    code: str
    year: int
    quarter: int
    realised_to_date_nok: int
    forecast_year_nok: int
    is_approved: bool = False
    explanation: str = ""
    corrective_action: str = ""

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


@dataclass(frozen=True)
class MeasureInput:
    """A measure as the rules see it: its plan, title and delivery confidence (None = no update)."""

    plan: MeasurePlan
    title: str = ""
    confidence: str | None = None


@dataclass(frozen=True)
class Deviation:
    code: str
    title: str
    year: int
    planned_nok: int
    forecast_nok: int
    shortfall_nok: int
    reported_quarter: str
    explanation: str
    corrective_action: str


@dataclass(frozen=True)
class MeasureYear:
    """One measure's figures for one year, as of the quarter looked at."""

    code: str
    title: str
    group_number: int
    effect_type: str
    year: int
    planned_nok: int
    forecast_nok: int
    risk_adjusted_forecast_nok: int
    realised_nok: int
    realised_approved_nok: int
    taken_out_nok: int
    confidence: str | None
    latest_report: str | None
    is_deviation: bool


# --- one measure -------------------------------------------------------------------------------


def latest_and_approved(
    reports: Iterable[ReportedFigure], year: int, as_of: Quarter
) -> tuple[ReportedFigure | None, ReportedFigure | None]:
    """The report for `year` from the latest quarter up to and including `as_of`, and the latest approved one.

    One pass over the reports; of two reports for the same quarter the first counts.
    """
    up_to = (as_of.year, as_of.number)
    latest = approved = None
    for report in reports:
        if report.year != year or (report.year, report.quarter) > up_to:
            continue
        if latest is None or report.quarter > latest.quarter:
            latest = report
        if report.is_approved and (approved is None or report.quarter > approved.quarter):
            approved = report
    return latest, approved


def shortfall(planned_nok: int, forecast_nok: int) -> int:
    """How far the forecast is below plan (0 when on or above plan)."""
    return max(0, planned_nok - forecast_nok)


def is_deviation(planned_nok: int, forecast_nok: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """Below plan by more than `pct` % of the plan's size and by at least `min_nok` kroner."""
    missing = shortfall(planned_nok, forecast_nok)
    return missing > 0 and missing * 100 > abs(planned_nok) * thresholds.pct and missing >= thresholds.min_nok


def risk_weighted(forecast_nok: int, confidence: str | None) -> Decimal:
    """A saving weighted by delivery confidence; a net cost counts in full (doubt never shrinks a cost)."""
    if forecast_nok <= 0:
        return Decimal(forecast_nok)
    return Decimal(forecast_nok) * weight_for(confidence)


def whole_nok(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expects_report(plan: MeasurePlan, quarter: Quarter) -> bool:
    """Whether the owner owes figures for the quarter: an adopted measure with a planned effect that year.

    A measure that starts late (2.2 saves nothing in 2026) or has no direct effect (2.8) owes none.
    """
    return plan.status in REPORTING_STATUSES and plan.planned_savings_nok.get(quarter.year, 0) != 0


def realised_bound(planned_nok: int, forecast_nok: int) -> int:
    """The largest realised-to-date (in absolute value) accepted as sane."""
    return max(SANE_REALISED_FLOOR_NOK, SANE_REALISED_FACTOR * max(abs(planned_nok), abs(forecast_nok)))


def check_update(
    planned_nok: int,
    realised_to_date_nok: int,
    forecast_year_nok: int,
    explanation: str,
    corrective_action: str,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict[str, str]:
    """Problems with one quarterly update, {field: Norwegian message}; empty when it is acceptable."""
    errors: dict[str, str] = {}
    bound = realised_bound(planned_nok, forecast_year_nok)
    if abs(realised_to_date_nok) > bound:
        errors["realised"] = f"Realisert hittil i år kan ikke være mer enn {format_nok(bound)} kr (pluss eller minus)."
    if is_deviation(planned_nok, forecast_year_nok, thresholds):
        if not (explanation or "").strip():
            errors["explanation"] = "Prognosen er et avvik fra planen: forklar hvorfor."
        if not (corrective_action or "").strip():
            errors["corrective_action"] = "Prognosen er et avvik fra planen: beskriv korrigerende tiltak."
    return errors


def measure_year(
    measure: MeasureInput,
    reports: list[ReportedFigure],
    year: int,
    as_of: Quarter,
    taken_out_nok: int = 0,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[MeasureYear, Decimal]:
    """One measure's figures for a year, with its unrounded risk-weighted forecast."""
    plan = measure.plan
    planned = plan.planned_savings_nok.get(year, 0)
    latest, approved = latest_and_approved(reports, year, as_of) if reports else (None, None)
    forecast = latest.forecast_year_nok if latest else planned
    risk = risk_weighted(forecast, measure.confidence)
    row = MeasureYear(
        code=plan.code,
        title=measure.title,
        group_number=plan.group_number,
        effect_type=plan.effect_type or NO_EFFECT_TYPE,
        year=year,
        planned_nok=planned,
        forecast_nok=forecast,
        risk_adjusted_forecast_nok=whole_nok(risk),
        realised_nok=latest.realised_to_date_nok if latest else 0,
        realised_approved_nok=approved.realised_to_date_nok if approved else 0,
        taken_out_nok=taken_out_nok,
        confidence=measure.confidence,
        latest_report=latest.period.key if latest else None,
        is_deviation=latest is not None and is_deviation(planned, forecast, thresholds),
    )
    return row, risk


def as_deviation(row: MeasureYear, report: ReportedFigure) -> Deviation:
    """A measure-year below plan, with what its latest report says about it."""
    return Deviation(
        code=row.code,
        title=row.title,
        year=row.year,
        planned_nok=row.planned_nok,
        forecast_nok=row.forecast_nok,
        shortfall_nok=shortfall(row.planned_nok, row.forecast_nok),
        reported_quarter=report.period.key,
        explanation=report.explanation,
        corrective_action=report.corrective_action,
    )
