"""Collecting a report's snapshot: everything the report says, frozen, from one computation."""

from dataclasses import fields, replace
from datetime import date

from tracker.accounting.services import programme_comparison
from tracker.benefits.programme import programme_figures
from tracker.benefits.queries import confidence_by_measure
from tracker.confidence import LABELS as CONFIDENCE_LABELS
from tracker.confidence import LEVELS as CONFIDENCE_LEVELS
from tracker.database import utcnow
from tracker.periods import Quarter
from tracker.portfolio import queries as portfolio
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.status import STATUS_LABELS, counts_in_totals
from tracker.reports import followup
from tracker.reports.changes import changes_between
from tracker.reports.models import AUDIENCE_LABELS
from tracker.reports.snapshot import (
    CountRow,
    DecisionRow,
    DeviationRow,
    GroupFigures,
    MeasureLine,
    ReportSnapshot,
    YearAmount,
    YearFigures,
)
from tracker.updates import services as updates

NO_UPDATE = "Ingen statusrapport"


def _frozen_copy(snapshot_class, row, **overrides):
    """A snapshot row filled from the same-named attributes of a computed row."""
    values = {f.name: getattr(row, f.name) for f in fields(snapshot_class) if hasattr(row, f.name)}
    return snapshot_class(**{**values, **overrides})


def _year(row, accounting=None) -> YearFigures:
    """A year's figures; the programme's years also carry the ledger's indication (`accounting`, a YearTotals)."""
    return _frozen_copy(YearFigures, row, accounting_indicated_nok=accounting.indicated_nok if accounting else None)


def _deviation(row) -> DeviationRow:
    texts = {"explanation": row.explanation or "", "corrective_action": row.corrective_action or ""}
    return _frozen_copy(DeviationRow, row, **texts)


def confidence_counts(measures: list[Measure], confidence: dict[int, str]) -> tuple[CountRow, ...]:
    """How many counted measures are at each delivery-confidence level (and without an update)."""
    counted = [measure for measure in measures if counts_in_totals(measure.status)]
    rows = [
        CountRow(CONFIDENCE_LABELS[level], sum(confidence.get(m.id) == level for m in counted))
        for level in CONFIDENCE_LEVELS
    ]
    rows.append(CountRow(NO_UPDATE, sum(m.id not in confidence for m in counted)))
    return tuple(rows)


def measure_lines(measures: list[Measure], figures, focus_year: int, confidence: dict, updates: dict) -> tuple:
    """One status line per measure, with its figures for the focus year."""
    by_code = {row.code: row for row in figures.measures if row.year == focus_year}
    lines = []
    for measure in measures:
        row = by_code.get(measure.code)
        level = confidence.get(measure.id)
        update = updates.get(measure.id)
        lines.append(
            MeasureLine(
                code=measure.code,
                title=measure.title,
                group_number=measure.group.number,
                status=measure.status,
                status_label=STATUS_LABELS.get(measure.status, measure.status),
                confidence=level,
                confidence_label=CONFIDENCE_LABELS.get(level, NO_UPDATE) if level else NO_UPDATE,
                planned_nok=row.planned_nok if row else 0,
                forecast_nok=row.forecast_nok if row else 0,
                realised_nok=row.realised_nok if row else 0,
                status_text=(getattr(update, "progress", "") or "").strip(),
                has_significant_org_risk=measure.has_significant_org_risk,
            )
        )
    return tuple(lines)


def decisions(measures: list[Measure], updates: dict) -> tuple[DecisionRow, ...]:
    """Decisions the owners ask for in their latest submitted update."""
    rows = []
    for measure in measures:
        text = (getattr(updates.get(measure.id), "decisions_needed", "") or "").strip()
        if text:
            rows.append(DecisionRow(measure.code, measure.title, text))
    return tuple(rows)


def report_title(programme: Programme, period: Quarter, audience: str) -> str:
    return f"Statusrapport {period.label} – {programme.name} – {AUDIENCE_LABELS[audience]}"


def collect(
    programme: Programme, period: Quarter, audience: str, previous: ReportSnapshot | None = None
) -> ReportSnapshot:
    """Everything the report for (period, audience) says, as a frozen snapshot."""
    measures = portfolio.load_measures(programme)
    figures = programme_figures(programme, period)
    confidence = confidence_by_measure(programme, period)
    latest_updates = updates.latest_submitted_by_measure(programme.id, period)
    targets = sorted(target.year for target in programme.targets)
    quarter_end: date = period.end_date
    staff, risks, milestones, notes = followup.collect_followup(programme, measures, quarter_end)
    accounting = programme_comparison(programme, figures.measures, [row.year for row in figures.years])
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
        years=tuple(_year(row, accounting.year(row.year)) for row in figures.years),
        groups=tuple(
            GroupFigures(g.number, g.name, g.savings_requirement_nok, tuple(_year(row) for row in g.years))
            for g in figures.groups
        ),
        confidence_counts=confidence_counts(measures, confidence),
        deviations=tuple(_deviation(row) for row in figures.deviations),
        decisions=decisions(measures, latest_updates),
        measures=measure_lines(measures, figures, period.year, confidence, latest_updates),
        staff=staff,
        risk_indicators=risks[0],
        org_risks=risks[1],
        milestones=milestones,
        changes=(),
        previous_period=previous.period if previous else None,
        notes=notes,
        accounting_mapped_share=accounting.mapped_share,
        accounting_reported_mapped=tuple(YearAmount(row.year, row.reported_mapped_nok) for row in accounting.years),
        accounting_indicated_to_date=tuple(
            YearAmount(row.year, row.indicated_to_date_nok)
            for row in accounting.years
            if row.indicated_to_date_nok is not None
        ),
    )
    return _with_changes(snapshot, previous)


def _with_changes(snapshot: ReportSnapshot, previous: ReportSnapshot | None) -> ReportSnapshot:
    return replace(snapshot, changes=changes_between(previous, snapshot))
