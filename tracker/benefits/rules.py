"""Benefits realisation: forecasts, deviations and programme figures. Pure: no Flask, no database.

Savings are positive kroner (a measure that adds cost, such as 2.11, has a negative saving).
Measures that are `ikke vedtatt` or `avbrutt` count nowhere. The rules, exactly as implemented,
are described in docs/benefits.md; keep the two in step.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
class GroupInput:
    number: int
    name: str
    savings_requirement_nok: int | None = None


@dataclass(frozen=True)
class FigureRow:
    year: int
    target_nok: int | None
    planned_nok: int
    forecast_nok: int
    risk_adjusted_forecast_nok: int
    realised_nok: int
    realised_approved_nok: int
    gap_nok: int | None
    taken_out_nok: int = 0


@dataclass(frozen=True)
class GroupFigures:
    number: int
    name: str
    savings_requirement_nok: int | None
    years: tuple[FigureRow, ...]

    def year(self, year: int) -> FigureRow | None:
        return next((row for row in self.years if row.year == year), None)


@dataclass(frozen=True)
class EffectTypeFigures:
    effect_type: str
    years: tuple[FigureRow, ...]

    def year(self, year: int) -> FigureRow | None:
        return next((row for row in self.years if row.year == year), None)


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


@dataclass(frozen=True)
class ProgrammeFigures:
    as_of: Quarter
    years: tuple[FigureRow, ...]
    groups: tuple[GroupFigures, ...]
    effect_types: tuple[EffectTypeFigures, ...]
    deviations: tuple[Deviation, ...]
    measures: tuple[MeasureYear, ...] = ()
    # Codes of adopted measures with no report for the quarter looked at.
    missing_updates: tuple[str, ...] = ()

    def year(self, year: int) -> FigureRow | None:
        return next((row for row in self.years if row.year == year), None)


# --- one measure -------------------------------------------------------------------------------


def latest_report(reports: Iterable[ReportedFigure], year: int, as_of: Quarter) -> ReportedFigure | None:
    """The report for `year` from the latest quarter up to and including `as_of`."""
    # Compared as (year, quarter) tuples: the order of Quarter, without building one per report.
    up_to = (as_of.year, as_of.number)
    candidates = [report for report in reports if report.year == year and (report.year, report.quarter) <= up_to]
    return max(candidates, key=lambda report: (report.year, report.quarter), default=None)


def latest_approved_report(reports: Iterable[ReportedFigure], year: int, as_of: Quarter) -> ReportedFigure | None:
    return latest_report((report for report in reports if report.is_approved), year, as_of)


def forecast_for(planned_nok: int, reports: Iterable[ReportedFigure], year: int, as_of: Quarter) -> int:
    """The latest reported full-year forecast up to `as_of`, else the planned saving."""
    report = latest_report(reports, year, as_of)
    return report.forecast_year_nok if report else planned_nok


def realised_for(reports: Iterable[ReportedFigure], year: int, as_of: Quarter, approved_only: bool = False) -> int:
    """The latest reported realised-so-far-this-year up to `as_of`, else 0."""
    finder = latest_approved_report if approved_only else latest_report
    report = finder(reports, year, as_of)
    return report.realised_to_date_nok if report else 0


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


# --- the programme ----------------------------------------------------------------------------


@dataclass
class _Sums:
    planned: int = 0
    forecast: int = 0
    risk: Decimal = field(default_factory=Decimal)
    realised: int = 0
    approved: int = 0
    taken_out: int = 0

    def add(self, row: "MeasureYear", risk: Decimal) -> None:
        self.planned += row.planned_nok
        self.forecast += row.forecast_nok
        self.risk += risk
        self.realised += row.realised_nok
        self.approved += row.realised_approved_nok
        self.taken_out += row.taken_out_nok

    def row(self, year: int, target_nok: int | None) -> FigureRow:
        return FigureRow(
            year=year,
            target_nok=target_nok,
            planned_nok=self.planned,
            forecast_nok=self.forecast,
            risk_adjusted_forecast_nok=whole_nok(self.risk),
            realised_nok=self.realised,
            realised_approved_nok=self.approved,
            gap_nok=None if target_nok is None else target_nok - self.forecast,
            taken_out_nok=self.taken_out,
        )


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
    latest, approved = _latest_and_approved(reports, year, as_of) if reports else (None, None)
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


def _latest_and_approved(
    reports: Iterable[ReportedFigure], year: int, as_of: Quarter
) -> tuple[ReportedFigure | None, ReportedFigure | None]:
    """latest_report and latest_approved_report in one pass (the same reports, ties to the first)."""
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


def _deviation(row: MeasureYear, report: ReportedFigure) -> Deviation:
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


def measure_rows(
    measures: Iterable[MeasureInput],
    reports: Iterable[ReportedFigure],
    years: list[int],
    as_of: Quarter,
    taken_out: Mapping[tuple[str, int], int] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[list[tuple[MeasureYear, Decimal]], list[Deviation], list[str]]:
    """Per counted measure and year: its figures and unrounded risk; the deviations; missing reports."""
    taken_out = taken_out or {}
    by_code: dict[str, list[ReportedFigure]] = {}
    for report in reports:
        by_code.setdefault(report.code, []).append(report)
    rows: list[tuple[MeasureYear, Decimal]] = []
    deviations: list[Deviation] = []
    missing: list[str] = []
    for measure in sorted(measures, key=lambda item: _code_key(item.plan.code)):
        if not measure.plan.counts:
            continue
        code, own = measure.plan.code, by_code.get(measure.plan.code, [])
        if expects_report(measure.plan, as_of) and not any(
            r.year == as_of.year and r.quarter == as_of.number for r in own
        ):
            missing.append(code)
        # Each year's figures come from that year's reports only: hand each year just those.
        own_by_year: dict[int, list[ReportedFigure]] = {}
        for report in own:
            own_by_year.setdefault(report.year, []).append(report)
        for year in years:
            of_year = own_by_year.get(year, [])
            row, risk = measure_year(measure, of_year, year, as_of, taken_out.get((code, year), 0), thresholds)
            rows.append((row, risk))
            if row.is_deviation:
                deviations.append(_deviation(row, latest_report(of_year, year, as_of)))
    return rows, deviations, missing


def _sum_by(rows: list[tuple[MeasureYear, Decimal]], years: list[int], key) -> dict:
    """{key(row): {year: sums}} over the measure rows."""
    sums: dict = {}
    for row, risk in rows:
        by_year = sums.get(key(row))
        if by_year is None:
            by_year = sums[key(row)] = {year: _Sums() for year in years}
        by_year[row.year].add(row, risk)
    return sums


def programme_figures(
    measures: Iterable[MeasureInput],
    reports: Iterable[ReportedFigure],
    years: Iterable[int],
    as_of: Quarter,
    targets: Mapping[int, int] | None = None,
    groups: Iterable[GroupInput] = (),
    taken_out: Mapping[tuple[str, int], int] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> ProgrammeFigures:
    """Every figure of the benefits dashboard, per year, work group, effect type and measure.

    `targets` is {year: target saving}; a group's savings requirement is its target in the years
    the programme has a target. `taken_out` is {(code, year): budget take-out}.
    """
    years = sorted(years)
    targets = dict(targets or {})
    rows, deviations, missing = measure_rows(measures, reports, years, as_of, taken_out, thresholds)
    totals = _sum_by(rows, years, lambda _row: "all").get("all", {year: _Sums() for year in years})
    group_sums = _sum_by(rows, years, lambda row: row.group_number)
    type_sums = _sum_by(rows, years, lambda row: row.effect_type)
    group_list = list(groups) or [GroupInput(number, f"Gruppe {number}") for number in sorted(group_sums)]
    return ProgrammeFigures(
        as_of=as_of,
        years=tuple(totals[year].row(year, targets.get(year)) for year in years),
        groups=tuple(_group_figures(group, group_sums.get(group.number), years, targets) for group in group_list),
        effect_types=tuple(
            EffectTypeFigures(name, tuple(sums[year].row(year, None) for year in years))
            for name, sums in sorted(type_sums.items(), key=lambda item: (item[0] == NO_EFFECT_TYPE, item[0]))
        ),
        deviations=tuple(sorted(deviations, key=lambda item: (item.year, _code_key(item.code)))),
        measures=tuple(row for row, _ in rows),
        missing_updates=tuple(missing),
    )


def _group_figures(group: GroupInput, sums: dict[int, _Sums] | None, years: list[int], targets) -> GroupFigures:
    sums = sums or {year: _Sums() for year in years}
    requirement = group.savings_requirement_nok
    rows = tuple(
        sums[year].row(year, requirement if requirement is not None and year in targets else None) for year in years
    )
    return GroupFigures(group.number, group.name, requirement, rows)


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in code.split("."))
