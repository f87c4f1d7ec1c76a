"""Everything about the follow-up of one measure in one place.

Read by the measure panel, `flask measures show` and the reports: `measure_followup(measure, as_of)`
returns plain data.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tracker import confidence
from tracker.dependencies import services as dependencies
from tracker.extensions import db
from tracker.kpis import services as kpis
from tracker.milestones import rules as milestone_rules
from tracker.milestones import services as milestones
from tracker.periods import Quarter
from tracker.portfolio.models import Measure, Programme
from tracker.risks import rules as risk_rules
from tracker.risks import services as risks
from tracker.staff import services as staff
from tracker.updates import services as updates


def find_measure(code: str, programme: Programme) -> Measure | None:
    """The measure with `code` in the programme (codes are unique per programme, not across them)."""
    query = select(Measure).where(Measure.programme_id == programme.id, Measure.code == code)
    return db.session.scalar(query)


def update_data(measure: Measure, up_to: Quarter | None = None) -> list[dict]:
    """Submitted updates (in or before `up_to`), newest first."""
    rows = []
    for update in updates.updates_for(measure):
        if not update.is_submitted or (up_to is not None and update.period > up_to):
            continue
        rows.append(
            {
                "quarter": update.period.key,
                "confidence": update.confidence,
                "confidence_label": confidence.LABELS.get(update.confidence, update.confidence),
                "confidence_justification": update.confidence_justification,
                "progress": update.progress,
                "corrective_actions": update.corrective_actions,
                "decisions_needed": update.decisions_needed,
                "submitted_dt": update.submitted_dt.isoformat(),
                "reviewed": update.is_reviewed,
            }
        )
    return rows


def dependency_data(measure: Measure, as_of: date) -> dict:
    view = dependencies.dependency_view(measure, as_of)
    return {
        "depends_on": [d.depends_on.code for d in view.depends_on],
        "needed_by": [d.measure.code for d in view.needed_by],
        "late_upstream": [m.code for m in view.late_upstream],
        "is_flagged": bool(view.late_upstream),
    }


def measure_followup(measure: Measure, as_of: date) -> dict:
    """The object printed by `measures show --json`; keep its keys stable."""
    return {
        "code": measure.code,
        "title": measure.title,
        "status": measure.status,
        "owner": measure.owner.username if measure.owner else None,
        "as_of": as_of.isoformat(),
        "milestones": milestones.milestone_rows(measure, as_of),
        "kpis": kpis.kpi_data(measure),
        "updates": update_data(measure, Quarter.containing(as_of)),
        "risk": risks.risk_summary(measure, as_of),
        "dependencies": dependency_data(measure, as_of),
        "employee_consequences": staff.consequence_data(measure),
    }


@dataclass(frozen=True)
class PanelSummary:
    """What the measure page shows about follow-up (the numbers; links are in the template)."""

    milestone_counts: dict[str, int]
    next_milestone: object | None
    kpi_count: int
    latest_update: object | None
    risk: dict
    risk_items: int
    has_consequences: bool
    dependencies: dependencies.DependencyView

    @property
    def risk_level_label(self) -> str | None:
        return risk_rules.LEVEL_LABELS.get(self.risk["level"]) if self.risk["level"] else None

    @property
    def confidence_label(self) -> str | None:
        update = self.latest_update
        return confidence.LABELS.get(update.confidence, update.confidence) if update else None


def panel_summary(measure: Measure, today: date) -> PanelSummary:
    rows = milestones.milestones_for(measure)
    counts = {state: 0 for state in milestone_rules.STATES}
    for milestone in rows:
        counts[milestone.state(today)] += 1
    upcoming = [m for m in rows if m.state(today) == milestone_rules.PLANNED and m.due_date]
    return PanelSummary(
        milestone_counts=counts,
        next_milestone=upcoming[0] if upcoming else None,
        kpi_count=len(kpis.kpis_for(measure)),
        latest_update=updates.latest_submitted(measure),
        risk=risks.risk_summary(measure),
        risk_items=len(risks.register_for(measure)),
        has_consequences=staff.consequence_for(measure) is not None,
        dependencies=dependencies.dependency_view(measure, today),
    )
