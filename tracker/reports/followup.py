"""Follow-up data for the reports: employee consequences, organisational risk, milestones.

Read-only queries on the follow-up packages' models (tracker.staff, tracker.risks,
tracker.milestones) and their pure rules.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tracker.extensions import db
from tracker.milestones import rules as milestone_rules
from tracker.milestones.models import Milestone
from tracker.milestones.rules import STATE_LABELS
from tracker.periods import format_date
from tracker.portfolio.models import Measure
from tracker.reports.asof import on_or_before
from tracker.reports.snapshot import IndicatorScore, LeaderLoad, MilestoneRow, OrgRiskRow, StaffRow
from tracker.risks import queries as risk_queries
from tracker.risks import rules as risk_rules
from tracker.risks.models import RiskIndicator
from tracker.risks.rules import HIGH, LEVEL_LABELS
from tracker.staff.models import EmployeeConsequence

NOT_RECORDED = "Ikke registrert"


def _fte(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _consultation(row, end: date) -> str:
    day = on_or_before(row.union_consultation_date, end) if row else None
    return f"Drøftet {format_date(day)}" if day else "Ikke drøftet"


def _assessment(row, end: date) -> str:
    day = on_or_before(row.work_env_assessment_date, end) if row else None
    if day is None:
        return "Ikke gjennomført"
    summary = (row.work_env_assessment_summary or "").strip()
    return f"{format_date(day)}: {summary}" if summary else format_date(day)


def staff_row(measure: Measure, row, end: date) -> StaffRow:
    """Consequences for employees of one measure as of `end`; `row` is its EmployeeConsequence or None.

    A drøfting or a risk assessment dated after `end` had not happened yet at the quarter's end.
    """
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
        consultation=_consultation(row, end),
        safety_representative=("Ja" if row.is_safety_rep_involved else "Nei") if row else NOT_RECORDED,
        risk_assessment=_assessment(row, end),
        description=(measure.consequences_employees or "").strip(),
        is_registered=row is not None,
        fte_effect=(measure.fte_effect or "").strip(),
    )


def staff_rows(measures: list[Measure], adopted: set[str], end: date) -> tuple[StaffRow, ...]:
    """Every adopted measure with registered consequences or the report's description of them."""
    ids = [measure.id for measure in measures]
    found = {
        row.measure_id: row
        for row in db.session.scalars(select(EmployeeConsequence).where(EmployeeConsequence.measure_id.in_(ids)))
    }
    return tuple(
        staff_row(measure, found.get(measure.id), end)
        for measure in measures
        if measure.code in adopted and (measure.id in found or measure.consequences_employees)
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


_MILESTONE_COLUMNS = (
    Milestone.measure_id,
    Milestone.title,
    Milestone.due_date,
    Milestone.done_date,
    Milestone.when_text,
)


def milestone_rows(measures: list[Measure], as_of: date, staff_codes: set[str]) -> tuple[MilestoneRow, ...]:
    """Every milestone of the measures with its state on `as_of`; `affects_staff` for measures with staff
    consequences. Read as plain rows of the programme's milestones (thousands of them in a large
    portfolio), not as objects."""
    if not measures:
        return ()
    by_id = {measure.id: measure for measure in measures}
    query = (
        select(*_MILESTONE_COLUMNS)
        .join(Measure, Measure.id == Milestone.measure_id)
        .where(Measure.programme_id == measures[0].programme_id)
        .order_by(Milestone.due_date, Milestone.id)
    )
    rows = []
    for measure_id, what, due_date, done_date, when_text in db.session.execute(query):
        measure = by_id.get(measure_id)
        if measure is None:
            continue
        state = milestone_rules.state(due_date, done_date, as_of)
        rows.append(
            MilestoneRow(
                code=measure.code,
                title=measure.title,
                what=what,
                due_date=format_date(due_date) or (when_text or ""),
                state=STATE_LABELS.get(state, state),
                affects_staff=measure.code in staff_codes or measure.has_significant_org_risk,
            )
        )
    return tuple(rows)


def collect_followup(measures: list[Measure], adopted: set[str], as_of: date):
    """(staff rows, (indicator names, org-risk rows), milestone rows) for a report, as of `as_of`."""
    staff = staff_rows(measures, adopted, as_of)
    risks = org_risks(measures, as_of)
    registered = {row.code for row in staff if row.is_registered}
    milestones = milestone_rows(measures, as_of, registered)
    return staff, risks, milestones


NO_OWNER = "Uten tiltaksansvarlig"


def leader_loads(measures: list[Measure], staff: tuple[StaffRow, ...], org_risks: tuple[OrgRiskRow, ...]) -> tuple:
    """Per leader (the measures' owner): measures with staff consequences, with significant and with high risk."""
    staff_codes = {row.code for row in staff}
    high = {row.code for row in org_risks if row.level == LEVEL_LABELS[HIGH]}
    loads: dict[str, list[int]] = {}
    for measure in measures:
        if measure.code not in staff_codes and not measure.has_significant_org_risk and measure.code not in high:
            continue
        leader = measure.owner.display_name if measure.owner else NO_OWNER
        counts = loads.setdefault(leader, [0, 0, 0])
        counts[0] += measure.code in staff_codes
        counts[1] += bool(measure.has_significant_org_risk)
        counts[2] += measure.code in high
    ordered = sorted(loads.items(), key=lambda item: (item[0] == NO_OWNER, -item[1][1] - item[1][2], item[0]))
    return tuple(LeaderLoad(leader, *counts) for leader, counts in ordered)
