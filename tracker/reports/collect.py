"""Collecting a report's snapshot: everything the report says, frozen, from one computation.

The snapshot shows the quarter as it stood at its end (tracker.reports.asof): measures' statuses
on its last day, figures and updates about it or earlier, records dated on or before its end.
"""

from dataclasses import dataclass, fields, replace

from tracker.accounting.services import programme_comparison
from tracker.benefits.programme import programme_figures
from tracker.benefits.queries import confidence_by_measure
from tracker.confidence import LABELS as CONFIDENCE_LABELS
from tracker.confidence import LEVELS as CONFIDENCE_LEVELS
from tracker.database import utcnow
from tracker.dependencies.services import forecast_at_risk
from tracker.periods import Quarter, today_oslo
from tracker.portfolio import queries as portfolio
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.status import STATUS_LABELS, is_adopted
from tracker.reports import followup, quarter_end
from tracker.reports.changes import changes_between
from tracker.reports.models import AUDIENCE_AMU, AUDIENCE_LABELS
from tracker.reports.snapshot import (
    CountRow,
    DecisionRow,
    DeviationRow,
    FteYear,
    GroupFigures,
    MeasureLine,
    ReportSnapshot,
    YearAmount,
    YearFigures,
)
from tracker.scenarios import queries as scenario_queries
from tracker.scenarios import rules as scenario_rules
from tracker.updates import services as updates
from tracker.updates.models import DECISION_AUDIENCE_LABELS, DECISION_LEDERGRUPPE

NO_UPDATE = "Ingen statusrapport"


@dataclass(frozen=True)
class PlanBasis:
    """What the report takes from the programme's plan model (issue 11): which measures are adopted, the
    menu, the targets per year, which adopted measures' forecasts are "i fare" (and why), and the
    adopted plan's change in årsverk per year. Built in one place, `plan_basis`."""

    adopted: frozenset[str]
    menu_by_year: dict[int, int]
    targets: dict[int, int]
    at_risk: dict[str, str]
    fte_years: tuple[FteYear, ...]


def plan_basis(programme: Programme, measures: list[Measure], summaries: list, figures, period: Quarter) -> PlanBasis:
    """The adopted plan (vedtatt, under gjennomføring, gjennomført on the quarter's last day), the menu
    (the report's figures of every measure, whatever is adopted), the programme's target per year,
    "prognose i fare" as of the quarter's end (a late milestone, or building on a late measure) and the
    årsverk of the adopted choices (the whole measure's, or the adopted variant's)."""
    adopted = frozenset(summary.code for summary in summaries if is_adopted(summary.status))
    menu = {row.year: row.menu_nok for row in figures.years}
    targets = {row.year: row.target_nok for row in figures.years if row.target_nok is not None}
    flagged = forecast_at_risk(programme, min(today_oslo(), period.end_date))
    at_risk = {code: " ".join(item.reasons) for code, item in flagged.items() if code in adopted}
    return PlanBasis(adopted, menu, targets, at_risk, adopted_fte_years(programme, measures, adopted))


def adopted_fte_years(programme: Programme, measures: list[Measure], adopted: frozenset[str]) -> tuple[FteYear, ...]:
    """The adopted plan's change in årsverk per plan year: the known numbers summed, the unknown counted."""
    variants = scenario_queries.programme_variants(programme)
    choices = [
        scenario_queries.choice_of(m, variants.get(m.id, {}).get(m.adopted_variant or ""), False)
        for m in measures
        if m.code in adopted
    ]
    if not choices:
        return ()
    return tuple(
        FteYear(
            row.year, None if row.fte_unknown_count == len(choices) else float(row.fte_change), row.fte_unknown_count
        )
        for row in scenario_rules.scenario_years(choices, programme.plan_years, {})
    )


def _frozen_copy(snapshot_class, row, **overrides):
    """A snapshot row filled from the same-named attributes of a computed row."""
    values = {f.name: getattr(row, f.name) for f in fields(snapshot_class) if hasattr(row, f.name)}
    return snapshot_class(**{**values, **overrides})


def _year(row, basis: PlanBasis | None = None, accounting=None) -> YearFigures:
    """A year's figures; the programme's years also carry the menu and the ledger's indication."""
    extra = {"accounting_indicated_nok": accounting.indicated_nok if accounting else None}
    if basis is not None:
        target = basis.targets.get(row.year)
        extra.update(
            menu_nok=basis.menu_by_year.get(row.year),
            target_nok=target,
            gap_nok=None if target is None else target - row.forecast_nok,
        )
    return _frozen_copy(YearFigures, row, **extra)


def _deviation(row) -> DeviationRow:
    texts = {"explanation": row.explanation or "", "corrective_action": row.corrective_action or ""}
    return _frozen_copy(DeviationRow, row, **texts)


def confidence_counts(measures: list[Measure], confidence: dict[int, str], adopted=None) -> tuple[CountRow, ...]:
    """How many adopted measures are at each delivery-confidence level (and without an update)."""
    counted = [m for m in measures if (m.code in adopted if adopted is not None else is_adopted(m.status))]
    rows = [
        CountRow(CONFIDENCE_LABELS[level], sum(confidence.get(m.id) == level for m in counted))
        for level in CONFIDENCE_LEVELS
    ]
    rows.append(CountRow(NO_UPDATE, sum(m.id not in confidence for m in counted)))
    return tuple(rows)


def measure_lines(
    measures: list[Measure], figures, focus_year: int, confidence: dict, updates: dict, context: dict | None = None
) -> tuple:
    """One status line per measure, with its figures for the focus year; `context` carries the quarter's-end
    statuses, the plan basis and the target year."""
    context = context or {}
    statuses, basis = context.get("statuses", {}), context.get("basis")
    target_year = context.get("target_year") or focus_year
    by_code = {row.code: row for row in figures.measures if row.year == focus_year}
    lines = []
    for measure in measures:
        row = by_code.get(measure.code)
        level = confidence.get(measure.id)
        status = statuses.get(measure.id, measure.status)
        menu = portfolio.menu_savings(measure)
        lines.append(
            MeasureLine(
                code=measure.code,
                title=measure.title,
                group_number=measure.group.number,
                status=status,
                status_label=STATUS_LABELS.get(status, status),
                confidence=level,
                confidence_label=CONFIDENCE_LABELS.get(level, NO_UPDATE) if level else NO_UPDATE,
                planned_nok=row.planned_nok if row else 0,
                forecast_nok=row.forecast_nok if row else 0,
                realised_nok=row.realised_nok if row else 0,
                status_text=(getattr(updates.get(measure.id), "progress", "") or "").strip(),
                has_significant_org_risk=measure.has_significant_org_risk,
                is_adopted=measure.code in basis.adopted if basis else is_adopted(status),
                menu_nok=menu.get(target_year, 0),
                owner=measure.owner.display_name if measure.owner else "",
                at_risk_reason=basis.at_risk.get(measure.code, "") if basis else "",
            )
        )
    return tuple(lines)


def decisions(measures: list[Measure], updates: dict) -> tuple[DecisionRow, ...]:
    """Decisions the owners ask for in their latest submitted update, with who must decide."""
    rows = []
    for measure in measures:
        update = updates.get(measure.id)
        text = (getattr(update, "decisions_needed", "") or "").strip()
        if text:
            audience = getattr(update, "decisions_audience", None) or DECISION_LEDERGRUPPE
            rows.append(DecisionRow(measure.code, measure.title, text, audience, DECISION_AUDIENCE_LABELS[audience]))
    return tuple(rows)


def report_title(programme: Programme, period: Quarter, audience: str) -> str:
    return f"Statusrapport {period.label} – {programme.name} – {AUDIENCE_LABELS[audience]}"


def _at_quarter_end(programme: Programme, measures: list[Measure], period: Quarter):
    """The measures' statuses on the quarter's last day, and the summaries the figures are computed from."""
    statuses = quarter_end.statuses_at_end(programme, {m.id: m.status for m in measures}, period)
    summaries = [
        replace(s, status=statuses[s.id], plan=replace(s.plan, status=statuses[s.id]))
        if statuses[s.id] != s.status
        else s
        for s in portfolio.measure_summaries(programme)
    ]
    return statuses, summaries


def collect(
    programme: Programme,
    period: Quarter,
    audience: str,
    previous: ReportSnapshot | None = None,
    is_preview: bool = False,
) -> ReportSnapshot:
    """Everything the report for (period, audience) says, as a frozen snapshot of the quarter's end."""
    measures = portfolio.load_measures(programme)
    statuses, summaries = _at_quarter_end(programme, measures, period)
    figures = programme_figures(programme, period, summaries)
    basis = plan_basis(programme, measures, summaries, figures, period)
    confidence = confidence_by_measure(programme, period)
    latest_updates = updates.latest_submitted_by_measure(programme.id, period)
    targets = sorted(basis.targets)
    staff, risks, milestones = followup.collect_followup(measures, set(basis.adopted), period.end_date)
    accounting = programme_comparison(
        programme, figures.measures, [row.year for row in figures.years], through=(period.year, period.end_date.month)
    )
    deviations = tuple(_deviation(row) for row in figures.deviations)
    kpi_codes = {row.code for row in staff} if audience == AUDIENCE_AMU else {row.code for row in deviations}
    snapshot = ReportSnapshot(
        audience=audience,
        audience_label=AUDIENCE_LABELS[audience],
        period=period.key,
        period_label=period.label,
        programme_name=programme.name,
        municipality=programme.municipality,
        title=report_title(programme, period, audience),
        is_example_data=programme.has_example_data,
        collected_at=utcnow().isoformat(timespec="seconds"),
        focus_year=period.year,
        target_year=targets[-1] if targets else None,
        years=tuple(_year(row, basis, accounting.year(row.year)) for row in figures.years),
        groups=tuple(
            GroupFigures(g.number, g.name, g.savings_requirement_nok, tuple(_year(row) for row in g.years))
            for g in figures.groups
        ),
        confidence_counts=confidence_counts(measures, confidence, basis.adopted),
        deviations=deviations,
        decisions=decisions(measures, latest_updates),
        measures=measure_lines(
            measures,
            figures,
            period.year,
            confidence,
            latest_updates,
            {"statuses": statuses, "basis": basis, "target_year": targets[-1] if targets else None},
        ),
        staff=staff,
        risk_indicators=risks[0],
        org_risks=risks[1],
        milestones=milestones,
        changes=(),
        previous_period=previous.period if previous else None,
        accounting_mapped_share=accounting.mapped_share,
        accounting_reported_mapped=tuple(YearAmount(row.year, row.reported_mapped_nok) for row in accounting.years),
        accounting_indicated_to_date=tuple(
            YearAmount(row.year, row.indicated_to_date_nok)
            for row in accounting.years
            if row.indicated_to_date_nok is not None
        ),
        as_of_date=period.end_date.isoformat(),
        left_out=quarter_end.left_out(programme, period),
        is_preview=is_preview,
        kpis=quarter_end.kpi_rows(measures, kpi_codes, period),
        leader_loads=followup.leader_loads(measures, staff, risks[1]),
        fte_years=basis.fte_years,
    )
    return _with_changes(snapshot, previous)


def _with_changes(snapshot: ReportSnapshot, previous: ReportSnapshot | None) -> ReportSnapshot:
    return replace(snapshot, changes=changes_between(previous, snapshot))
