"""The programme's benefits totals per year, work group and effect type, from the rules for one measure.

Pure: no Flask, no database. `programme_figures` is the one computation behind the dashboard, the
exports, `portfolio summary --json` and the PDFs (through tracker.benefits.programme).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.benefits.rules import (
    DEFAULT_THRESHOLDS,
    NO_EFFECT_TYPE,
    Deviation,
    MeasureInput,
    MeasureYear,
    ReportedFigure,
    Thresholds,
    as_deviation,
    expects_report,
    latest_and_approved,
    measure_year,
    whole_nok,
)
from tracker.periods import Quarter


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
                deviations.append(as_deviation(row, latest_and_approved(of_year, year, as_of)[0]))
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
