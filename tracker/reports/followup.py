"""Follow-up data for the reports: employee consequences, organisational risk, milestones.

Read-only queries on the follow-up packages' models (tracker.staff, tracker.risks,
tracker.milestones) and their pure rules.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tracker.extensions import db
from tracker.milestones.models import Milestone
from tracker.milestones.rules import STATE_LABELS
from tracker.periods import format_date
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.status import counts_in_totals
from tracker.reports.snapshot import IndicatorScore, MilestoneRow, OrgRiskRow, StaffRow
from tracker.risks import queries as risk_queries
from tracker.risks import rules as risk_rules
from tracker.risks.models import RiskIndicator
from tracker.risks.rules import LEVEL_LABELS
from tracker.staff.models import EmployeeConsequence

NOT_RECORDED = "Ikke registrert"


def _fte(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _consultation(row) -> str:
    day = row.union_consultation_date if row else None
    return f"Drøftet {format_date(day)}" if day else "Ikke drøftet"


def _assessment(row) -> str:
    if row is None or row.work_env_assessment_date is None:
        return "Ikke gjennomført"
    summary = (row.work_env_assessment_summary or "").strip()
    return (
        f"{format_date(row.work_env_assessment_date)}: {summary}"
        if summary
        else format_date(row.work_env_assessment_date)
    )


def staff_row(measure: Measure, row) -> StaffRow:
    """Consequences for employees of one measure; `row` is its EmployeeConsequence or None."""
    return StaffRow(
        code=measure.code,
        title=measure.title,
        units=(row.affected_units or "").strip() if row else "",
        employees=row.affected_employees if row else None,
        fte_planned=_fte(row.fte_change_planned if row else None),
        fte_realised=_fte(row.fte_change_realised if row else None),
        attrition=_fte(row.fte_by_attrition if row else None),
        redeployment=_fte(row.fte_by_redeployment if row else None),
        downsizing=_fte(row.fte_by_downsizing if row else None),
        consultation=_consultation(row),
        safety_representative=("Ja" if row.is_safety_rep_involved else "Nei") if row else NOT_RECORDED,
        risk_assessment=_assessment(row),
        description=(measure.consequences_employees or "").strip(),
        is_registered=row is not None,
    )


def staff_rows(measures: list[Measure]) -> tuple[StaffRow, ...]:
    """Every counted measure with registered consequences or the report's description of them."""
    ids = [measure.id for measure in measures]
    found = {
        row.measure_id: row
        for row in db.session.scalars(select(EmployeeConsequence).where(EmployeeConsequence.measure_id.in_(ids)))
    }
    return tuple(
        staff_row(measure, found.get(measure.id))
        for measure in measures
        if counts_in_totals(measure.status) and (measure.id in found or measure.consequences_employees)
    )


def org_risks(measures: list[Measure], as_of: date) -> tuple[tuple[str, ...], tuple[OrgRiskRow, ...]]:
    """Indicator names and, per measure, its latest assessment on or before `as_of`."""
    indicators = list(db.session.scalars(select(RiskIndicator).order_by(RiskIndicator.sort_order)))
    names = {indicator.key: indicator.name for indicator in indicators}
    # Every measure of the programme is asked about: its latest scores come in one query of plain rows.
    latest = risk_queries.latest_scores(measures[0].programme_id, as_of) if measures else {}
    rows = []
    for measure in measures:
        summary = risk_rules.summarise(latest.get(measure.id) or {})
        if summary is None:
            continue
        rows.append(
            OrgRiskRow(
                code=measure.code,
                title=measure.title,
                indicators=tuple(IndicatorScore(ind.name, summary.scores.get(ind.key)) for ind in indicators),
                average=float(summary.average),
                weakest=", ".join(names.get(key, key) for key in summary.weakest),
                level=LEVEL_LABELS.get(summary.level, summary.level),
            )
        )
    return tuple(indicator.name for indicator in indicators), tuple(rows)


def milestone_rows(measures: list[Measure], as_of: date, staff_codes: set[str]) -> tuple[MilestoneRow, ...]:
    """Every milestone with its state on `as_of`; `affects_staff` for measures with staff consequences."""
    by_id = {measure.id: measure for measure in measures}
    query = select(Milestone).where(Milestone.measure_id.in_(list(by_id))).order_by(Milestone.due_date, Milestone.id)
    rows = []
    for milestone in db.session.scalars(query):
        measure = by_id[milestone.measure_id]
        rows.append(
            MilestoneRow(
                code=measure.code,
                title=measure.title,
                what=milestone.title,
                due_date=format_date(milestone.due_date) or (milestone.when_text or ""),
                state=STATE_LABELS.get(milestone.state(as_of), milestone.state(as_of)),
                affects_staff=measure.code in staff_codes or measure.has_significant_org_risk,
            )
        )
    return tuple(rows)


def collect_followup(programme: Programme, measures: list[Measure], as_of: date):  # noqa: ARG001
    """(staff rows, (indicator names, org-risk rows), milestone rows, notes) for a report."""
    staff = staff_rows(measures)
    risks = org_risks(measures, as_of)
    registered = {row.code for row in staff if row.is_registered}
    milestones = milestone_rows(measures, as_of, registered)
    return staff, risks, milestones, ()
