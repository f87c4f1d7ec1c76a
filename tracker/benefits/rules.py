"""Benefits realisation for one measure: forecasts, deviations, sane reports. Pure: no Flask, no database.

Savings are positive kroner (a measure that adds cost, such as 2.11, has a negative saving).
Only adopted measures (tracker.portfolio.status.is_adopted) are planned and forecast; an
`avbrutt` measure keeps what it realised; `utredet` and `ikke vedtatt` measures are only on the
menu. The rules, exactly as implemented, are described in docs/benefits.md; keep the two in step.
The programme's totals are in tracker.benefits.totals.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tracker.confidence import weight_for
from tracker.money import format_nok
from tracker.periods import Quarter
from tracker.portfolio.figures import MeasurePlan
from tracker.portfolio.status import ADOPTED_STATUSES

NO_EFFECT_TYPE = "Ikke angitt"
# Adopted measures: their owners report figures every quarter.
REPORTING_STATUSES = ADOPTED_STATUSES
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
    # Of the realised amount, the one-off part (engangseffekt).
    one_off_nok: int = 0

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


@dataclass(frozen=True)
class LaterForecast:
    """A forecast for `year` given with the report of an earlier year's quarter (`made_year`, `made_quarter`)."""

    code: str
    year: int
    made_year: int
    made_quarter: int
    forecast_nok: int
    explanation: str = ""
    corrective_action: str = ""

    @property
    def period(self) -> Quarter:
        return Quarter(self.made_year, self.made_quarter)


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
    # The report's figure for the year (the menu), whatever the plan says now.
    menu_nok: int = 0
    # Of realised, the one-off part; it does not count towards a later year.
    one_off_nok: int = 0
    # Take-out approved by a controller (taken_out_nok counts every take-out entered).
    taken_out_approved_nok: int = 0
    # The previous year's shortfall against plan, once that year is closed; None before.
    carried_gap_nok: int | None = None
    is_adopted: bool = True


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


def risk_adjusted(forecast_nok: int, realised_nok: int, confidence: str | None) -> Decimal:
    """The forecast weighted by delivery confidence, never discounting money already realised.

    F ≤ 0 (a net cost): F in full, doubt never shrinks a cost. F ≤ R: F, the owner's own forecast.
    Else R + w × (F − R): only the part still to come is weighted.
    """
    if forecast_nok <= 0 or forecast_nok <= realised_nok:
        return Decimal(forecast_nok)
    return realised_nok + weight_for(confidence) * (forecast_nok - realised_nok)


def carried_gap(required_nok: int, realised_nok: int, one_off_nok: int) -> int:
    """A closed year's shortfall carried into the next: what it had to deliver minus its recurring realised saving.

    A one-off saving does not count towards a later year, so it is left out; never below 0.
    """
    return max(0, required_nok - (realised_nok - one_off_nok))


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
    later: Mapping[int, tuple[int, int]] | None = None,
    one_off_nok: int = 0,
) -> dict[str, str]:
    """Problems with one quarterly update, {field: Norwegian message}; empty when it is acceptable.

    `later` is {later year: (planned, forecast)}: a later-year forecast below plan needs the same
    explanation and corrective action; the report's one explanation covers every year on it.
    """
    errors: dict[str, str] = {}
    bound = realised_bound(planned_nok, forecast_year_nok)
    if abs(realised_to_date_nok) > bound:
        errors["realised"] = f"Realisert hittil i år kan ikke være mer enn {format_nok(bound)} kr (pluss eller minus)."
    if not is_part_of(one_off_nok, realised_to_date_nok):
        errors["one_off"] = "Engangseffekten er en del av det realiserte beløpet og kan ikke være større enn det."
    deviating = [
        year
        for year, (planned, forecast) in sorted((later or {}).items())
        if is_deviation(planned, forecast, thresholds)
    ]
    if is_deviation(planned_nok, forecast_year_nok, thresholds):
        deviating.insert(0, None)
    if deviating:
        which = "Prognosen" if deviating[0] is None else f"Prognosen for {deviating[0]}"
        if not (explanation or "").strip():
            errors["explanation"] = f"{which} er et avvik fra planen: forklar hvorfor."
        if not (corrective_action or "").strip():
            errors["corrective_action"] = f"{which} er et avvik fra planen: beskriv korrigerende tiltak."
    return errors


def is_part_of(one_off_nok: int, realised_nok: int) -> bool:
    """Whether a one-off amount lies between 0 and the realised amount (same sign, not larger)."""
    return min(0, realised_nok) <= one_off_nok <= max(0, realised_nok)


def newest_forecast(later: Iterable[LaterForecast], year: int, as_of: Quarter) -> LaterForecast | None:
    """The newest later-year forecast for `year` given up to and including `as_of`: it stands until replaced."""
    up_to = (as_of.year, as_of.number)
    newest = None
    for item in later:
        if item.year != year or (item.made_year, item.made_quarter) > up_to:
            continue
        if newest is None or (item.made_year, item.made_quarter) > (newest.made_year, newest.made_quarter):
            newest = item
    return newest


@dataclass(frozen=True)
class YearInput:
    """What one measure-year is computed from besides the reports: take-outs and the year before."""

    taken_out_nok: int = 0
    taken_out_approved_nok: int = 0
    later: tuple[LaterForecast, ...] = ()
    # The previous year's row, when that year is closed (its Q4 closed and looked at).
    closed_previous: MeasureYear | None = None


def measure_year(
    measure: MeasureInput,
    reports: list[ReportedFigure],
    year: int,
    as_of: Quarter,
    extra: YearInput | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[MeasureYear, Decimal]:
    """One measure's figures for a year, with its unrounded risk-adjusted forecast.

    Adopted: planned, forecast (the newest report about the year, else the newest later-year
    forecast, else the plan) and risk-adjusted. Stopped (avbrutt): no plan, and the forecast is
    what it realised. Others (utredet, ikke vedtatt) are only on the menu: every figure 0.
    """
    extra = extra or YearInput()
    plan = measure.plan
    adopted = plan.is_adopted
    latest, approved = latest_and_approved(reports, year, as_of) if reports and plan.counts else (None, None)
    source = latest or (newest_forecast(extra.later, year, as_of) if adopted else None)
    realised = latest.realised_to_date_nok if latest else 0
    planned = plan.planned_savings_nok.get(year, 0) if adopted else 0
    if not adopted:
        forecast = realised
    elif source is not None:
        forecast = source.forecast_year_nok if latest else source.forecast_nok
    else:
        forecast = planned
    risk = risk_adjusted(forecast, realised, measure.confidence) if adopted else Decimal(forecast)
    previous = extra.closed_previous
    row = MeasureYear(
        code=plan.code,
        title=measure.title,
        group_number=plan.group_number,
        effect_type=plan.effect_type or NO_EFFECT_TYPE,
        year=year,
        planned_nok=planned,
        forecast_nok=forecast,
        risk_adjusted_forecast_nok=whole_nok(risk),
        realised_nok=realised,
        realised_approved_nok=approved.realised_to_date_nok if approved else 0,
        taken_out_nok=extra.taken_out_nok if plan.counts else 0,
        confidence=measure.confidence,
        latest_report=source.period.key if source else None,
        is_deviation=adopted and source is not None and is_deviation(planned, forecast, thresholds),
        menu_nok=plan.menu_savings_nok.get(year, 0),
        one_off_nok=latest.one_off_nok if latest else 0,
        taken_out_approved_nok=extra.taken_out_approved_nok if plan.counts else 0,
        carried_gap_nok=(
            carried_gap(previous.planned_nok, previous.realised_nok, previous.one_off_nok) if previous else None
        ),
        is_adopted=adopted,
    )
    return row, risk


def deviation_source(
    reports: list[ReportedFigure], later: Iterable[LaterForecast], year: int, as_of: Quarter
) -> ReportedFigure | LaterForecast | None:
    """The report or later-year forecast a measure-year's forecast comes from (what a deviation quotes)."""
    return latest_and_approved(reports, year, as_of)[0] or newest_forecast(later, year, as_of)


def as_deviation(row: MeasureYear, report: ReportedFigure | LaterForecast) -> Deviation:
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
