"""The programme's benefits totals per year, work group and effect type, from the rules for one measure.

Pure: no Flask, no database. `programme_figures` is the one computation behind the dashboard, the
exports, `portfolio summary --json` and the PDFs (through tracker.benefits.programme).
Planned, forecast and the targets count adopted measures only; realised and take-outs also count
a stopped (avbrutt) measure; the menu (`menu_nok`) counts every measure, whatever its status.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.benefits.rules import (
    DEFAULT_THRESHOLDS,
    NO_EFFECT_TYPE,
    Deviation,
    LaterForecast,
    MeasureInput,
    MeasureYear,
    ReportedFigure,
    Thresholds,
    YearInput,
    as_deviation,
    carried_gap,
    deviation_source,
    expects_report,
    measure_year,
    whole_nok,
)
from tracker.periods import Quarter


@dataclass(frozen=True)
class GroupInput:
    number: int
    name: str
    savings_requirement_nok: int | None = None
    # {year: the group's requirement that year}; a year without one has no group target or gap.
    requirements_nok: Mapping[int, int] = field(default_factory=dict)


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
    # The report's figures of every measure (the menu), whatever the decisions.
    menu_nok: int = 0
    # The previous year's shortfall once that year is closed (its Q4 closed); None before.
    carried_gap_nok: int | None = None
    # Of realised, the one-off part.
    one_off_nok: int = 0
    taken_out_approved_nok: int = 0

    @property
    def taken_out_share(self) -> float | None:
        """Approved take-out as a share of planned (None when nothing is planned)."""
        return self.taken_out_approved_nok / self.planned_nok if self.planned_nok > 0 else None


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
    taken_out_approved: int = 0
    one_off: int = 0
    menu: int = 0

    def add(self, row: MeasureYear, risk: Decimal) -> None:
        self.planned += row.planned_nok
        self.forecast += row.forecast_nok
        self.risk += risk
        self.realised += row.realised_nok
        self.approved += row.realised_approved_nok
        self.taken_out += row.taken_out_nok
        self.taken_out_approved += row.taken_out_approved_nok
        self.one_off += row.one_off_nok

    def row(self, year: int, target_nok: int | None, carried_gap_nok: int | None = None) -> FigureRow:
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
            menu_nok=self.menu,
            carried_gap_nok=carried_gap_nok,
            one_off_nok=self.one_off,
            taken_out_approved_nok=self.taken_out_approved,
        )


@dataclass(frozen=True)
class LedgerInput:
    """Everything besides the measures and their reports that the figures are computed from."""

    taken_out: Mapping[tuple[str, int], int] = field(default_factory=dict)
    taken_out_approved: Mapping[tuple[str, int], int] = field(default_factory=dict)
    later: tuple[LaterForecast, ...] = ()
    # Years whose Q4 is closed (and not after the quarter looked at): their shortfall is carried.
    closed_years: frozenset[int] = frozenset()
    thresholds: Thresholds = DEFAULT_THRESHOLDS


def measure_rows(
    measures: Iterable[MeasureInput],
    reports: Iterable[ReportedFigure],
    years: list[int],
    as_of: Quarter,
    ledger: LedgerInput | None = None,
) -> tuple[list[tuple[MeasureYear, Decimal]], list[Deviation], list[str]]:
    """Per counted measure and year: its figures and unrounded risk; the deviations; missing reports."""
    ledger = ledger or LedgerInput()
    by_code: dict[str, list[ReportedFigure]] = {}
    for report in reports:
        by_code.setdefault(report.code, []).append(report)
    later_by_code: dict[str, list[LaterForecast]] = {}
    for item in ledger.later:
        later_by_code.setdefault(item.code, []).append(item)
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
        later = tuple(later_by_code.get(code, ()))
        previous = None
        for year in years:
            of_year = own_by_year.get(year, [])
            extra = YearInput(
                taken_out_nok=ledger.taken_out.get((code, year), 0),
                taken_out_approved_nok=ledger.taken_out_approved.get((code, year), 0),
                later=later,
                closed_previous=previous if year - 1 in ledger.closed_years else None,
            )
            row, risk = measure_year(measure, of_year, year, as_of, extra, ledger.thresholds)
            rows.append((row, risk))
            previous = row
            if row.is_deviation:
                deviations.append(as_deviation(row, deviation_source(of_year, later, year, as_of)))
    return rows, deviations, missing


def _sum_by(rows: list[tuple[MeasureYear, Decimal]], years: list[int], key) -> dict:
    """{key(row): {year: sums}} over the measure rows."""
    sums: dict = {}
    for row, risk in rows:
        _sums_of(sums, key(row), years)[row.year].add(row, risk)
    return sums


def _sums_of(sums: dict, key, years: list[int]) -> dict[int, _Sums]:
    by_year = sums.get(key)
    if by_year is None:
        by_year = sums[key] = {year: _Sums() for year in years}
    return by_year


def _add_menu(sums: dict, measures: list[MeasureInput], years: list[int], key) -> None:
    """Add every measure's menu figures (whatever its status) to the sums by key(measure)."""
    for measure in measures:
        by_year = _sums_of(sums, key(measure), years)
        for year in years:
            by_year[year].menu += measure.plan.menu_savings_nok.get(year, 0)


def _rows(sums: dict[int, _Sums], years: list[int], targets: Mapping[int, int], closed: frozenset) -> tuple:
    """The yearly rows of one scope; a closed year's shortfall against its target (else its plan) carries."""
    rows = []
    for year in years:
        previous = sums.get(year - 1)
        carried = None
        if previous is not None and year - 1 in closed:
            required = targets.get(year - 1, previous.planned)
            carried = carried_gap(required, previous.realised, previous.one_off)
        rows.append(sums[year].row(year, targets.get(year), carried))
    return tuple(rows)


def programme_figures(
    measures: Iterable[MeasureInput],
    reports: Iterable[ReportedFigure],
    years: Iterable[int],
    as_of: Quarter,
    targets: Mapping[int, int] | None = None,
    groups: Iterable[GroupInput] = (),
    ledger: LedgerInput | None = None,
) -> ProgrammeFigures:
    """Every figure of the benefits dashboard, per year, work group, effect type and measure.

    `targets` is {year: target saving}; a group's target is its requirement for the year.
    """
    years = sorted(years)
    targets = dict(targets or {})
    ledger = ledger or LedgerInput()
    measures = list(measures)
    rows, deviations, missing = measure_rows(measures, reports, years, as_of, ledger)
    totals = _sum_by(rows, years, lambda _row: "all")
    _add_menu(totals, measures, years, lambda _measure: "all")
    group_sums = _sum_by(rows, years, lambda row: row.group_number)
    _add_menu(group_sums, measures, years, lambda measure: measure.plan.group_number)
    type_sums = _sum_by(rows, years, lambda row: row.effect_type)
    _add_menu(type_sums, measures, years, lambda measure: measure.plan.effect_type or NO_EFFECT_TYPE)
    group_list = list(groups) or [GroupInput(number, f"Gruppe {number}") for number in sorted(group_sums)]
    empty = {year: _Sums() for year in years}
    closed = ledger.closed_years
    return ProgrammeFigures(
        as_of=as_of,
        years=_rows(totals.get("all", empty), years, targets, closed),
        groups=tuple(
            GroupFigures(
                group.number,
                group.name,
                group.savings_requirement_nok,
                _rows(group_sums.get(group.number, empty), years, group.requirements_nok, closed),
            )
            for group in group_list
        ),
        effect_types=tuple(
            EffectTypeFigures(name, _rows(sums, years, {}, closed))
            for name, sums in sorted(type_sums.items(), key=lambda item: (item[0] == NO_EFFECT_TYPE, item[0]))
        ),
        deviations=tuple(sorted(deviations, key=lambda item: (item.year, _code_key(item.code)))),
        measures=tuple(row for row, _ in rows),
        missing_updates=tuple(missing),
    )


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in code.split("."))
