"""Everything about the follow-up of one measure in one place.

Read by the measure panel, `flask measures show` and the reports: `measure_followup(measure, as_of)`
returns plain data. The owner's quarter on one page (`save_quarter`) writes through each part's own
service: benefits figures, the status update, employee consequences and the risk assessment.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tracker import confidence
from tracker.accounts.permissions import require_measure_edit
from tracker.benefits import queries as benefit_queries
from tracker.benefits import rules as benefit_rules
from tracker.benefits.services import FigureInput, record_figures
from tracker.dependencies import services as dependencies
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.followup import rules
from tracker.kpis import services as kpis
from tracker.milestones import rules as milestone_rules
from tracker.milestones import services as milestones
from tracker.periods import Quarter, today_oslo
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import measure_plan
from tracker.portfolio.status import reports_status_updates
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


# --- the owner's quarter on one page ----------------------------------------------------------------


class QuarterError(ServiceError):
    """A quarterly report that cannot be saved or submitted, with Norwegian messages by field."""


def affects_staff(measure: Measure) -> bool:
    """The report describes consequences for employees, or flags significant organisational risk."""
    return bool((measure.consequences_employees or "").strip()) or measure.has_significant_org_risk


def is_in_change(measure: Measure) -> bool:
    return measure.status in risks.ACTIVE_STATUSES


def reporting_period(programme: Programme, today: date) -> tuple[Quarter, date | None]:
    """The quarter owners report on now, and its round's deadline (None when no round is set up)."""
    now = Quarter.containing(today)
    previous = updates.round_for(programme, now.previous())
    quarter = rules.reporting_quarter(now, previous.deadline_date if previous else None, today)
    found = previous if quarter != now else updates.round_for(programme, now)
    return quarter, found.deadline_date if found else None


def due_states(measures: list[Measure], quarter: Quarter) -> dict[int, rules.DueState]:
    """Measure id → what its owner still owes for the quarter, in four queries for all the measures."""
    ids = [measure.id for measure in measures]
    figures = benefit_queries.figures_for_quarter(measures, quarter)
    submitted = updates.submitted_measure_ids(ids, quarter)
    with_record = staff.measures_with_consequences(ids)
    latest = risks.latest_assessments(ids)
    found = {}
    for measure in measures:
        assessment = latest.get(measure.id)
        summary = assessment.summary() if assessment else None
        found[measure.id] = rules.DueState(
            figures=benefit_rules.expects_report(measure_plan(measure), quarter) and measure.id not in figures,
            status_update=reports_status_updates(measure.status) and measure.id not in submitted,
            consequences=rules.consequences_due(
                is_in_change(measure), affects_staff(measure), measure.id in with_record
            ),
            risk=rules.risk_reassessment_due(
                is_in_change(measure),
                measure.has_significant_org_risk,
                summary.level if summary else None,
                assessment.assessed_date if assessment else None,
                quarter.start_date,
            ),
        )
    return found


@dataclass(frozen=True)
class QuarterInput:
    """What the owner typed on the page; a section the page did not show is None."""

    realised_nok: int | None
    forecast_nok: int | None
    # Of realised, the one-off part (None: not typed, 0); {later year: forecast} for the years typed.
    one_off_nok: int | None = None
    later_forecasts_nok: dict[int, int] = field(default_factory=dict)
    explanation: str = ""
    corrective_action: str = ""
    comment: str = ""
    correction_reason: str = ""
    status: dict | None = None
    staff: dict | None = None
    scores: dict[str, int | None] | None = None
    risk_note: str = ""
    # Strengthening actions by indicator key (report §4.2: needed for a score of 4 or 5 before the measure starts).
    actions: dict[str, str] | None = None
    # The versions of the figures ("tall"), status update ("statusrapport") and consequences ("ansatte") the
    # page showed (0: none yet); None where the input carries none.
    seen_versions: dict[str, int | None] | None = None

    def seen(self, key: str) -> int | None:
        return (self.seen_versions or {}).get(key)


def save_quarter(measure: Measure, quarter: Quarter, data: QuarterInput, actor, submit: bool) -> None:
    """Save the owner's quarter as a draft, or submit it, through each part's own service.

    A draft saves what is filled in; submitting requires everything due and locks the status update,
    as the status-update page does. One transaction: any refusal leaves nothing saved (the caller
    rolls back), and every refusal is reported by field. A part saved by someone else since the page
    showed it is an EditConflict (raised, not reported by field): nothing is saved.
    """
    require_measure_edit(actor, measure, "quarter_report.save")
    due = due_states([measure], quarter)[measure.id]
    errors: dict[str, str] = {}
    for part in (_save_figures, _save_status, _save_staff, _save_risk):
        errors.update(part(measure, quarter, data, actor, submit, due))
    if errors:
        raise QuarterError("Kvartalsrapporten ble ikke sendt inn." if submit else "Utkastet ble ikke lagret.", errors)


def _refusals(action, *args) -> dict[str, str]:
    """Run a part's service; its refusal as {field: message} (a message without a field under "rapport")."""
    try:
        action(*args)
    except ServiceError as exc:
        return exc.errors_by_field or {"rapport": exc.message}
    return {}


def _save_figures(measure, quarter, data: QuarterInput, actor, submit: bool, due: rules.DueState) -> dict[str, str]:
    amounts = {"realised": data.realised_nok, "forecast": data.forecast_nok}
    typed = [*amounts.values(), data.one_off_nok, *data.later_forecasts_nok.values()]
    if all(value is None for value in typed) and not (submit and due.figures):
        return {}
    missing = {name: MISSING_AMOUNT[name] for name, value in amounts.items() if value is None}
    if missing:
        return missing
    figures = FigureInput(
        realised_to_date_nok=data.realised_nok,
        forecast_year_nok=data.forecast_nok,
        explanation=data.explanation,
        corrective_action=data.corrective_action,
        comment=data.comment,
        correction_reason=data.correction_reason,
        one_off_nok=data.one_off_nok or 0,
        later_forecasts_nok=dict(data.later_forecasts_nok),
        seen_version=data.seen("tall"),
    )
    return _refusals(record_figures, measure, quarter, figures, actor)


MISSING_AMOUNT = {
    "realised": "Skriv realisert beløp, 0 om ingenting er realisert.",
    "forecast": "Skriv prognosen for hele året.",
}


def _save_status(measure, quarter, data: QuarterInput, actor, submit: bool, due: rules.DueState) -> dict[str, str]:  # noqa: ARG001
    values = data.status
    # The audience select always has a value: only the confidence and the texts count as typed.
    typed = [value for name, value in (values or {}).items() if name != "decisions_audience"]
    if values is None or not (submit or any(typed)):
        return {}
    errors = {}
    if values.get("confidence") not in confidence.LEVELS:
        errors["confidence"] = "Velg leveransesikkerhet."
    if submit and not values.get("confidence_justification"):
        errors["confidence_justification"] = "Begrunn vurderingen."
    return errors or _refusals(updates.save_update, measure, quarter, actor, values, submit, data.seen("statusrapport"))


def _save_staff(measure, quarter, data: QuarterInput, actor, submit: bool, due: rules.DueState) -> dict[str, str]:  # noqa: ARG001
    if data.staff is None:
        return {}
    record = staff.consequence_for(measure)
    # 0 employees is an answer; only blanks and an unticked box are "nothing typed".
    typed = [value for value in data.staff.values() if value is not None and value != "" and value is not False]
    if record is None and not typed:
        return {"affected_employees": MISSING_STAFF} if submit and due.consequences else {}
    if submit and due.consequences and data.staff.get("affected_employees") is None:
        return {"affected_employees": MISSING_STAFF}
    stored = {name: getattr(record, name) for name in staff.FIELDS} if record else {}
    return _refusals(staff.save_consequence, measure, actor, {**stored, **data.staff}, data.seen("ansatte"))


MISSING_STAFF = "Skriv antall berørte ansatte, 0 om ingen er berørt."


def _save_risk(measure, quarter, data: QuarterInput, actor, submit: bool, due: rules.DueState) -> dict[str, str]:  # noqa: ARG001
    if data.scores is None:
        return {}
    chosen = {key: score for key, score in data.scores.items() if score is not None}
    if not chosen and not (submit and due.risk):
        return {}
    names = risks.indicator_names()
    missing = {
        f"score_{key}": f"Gi {names.get(key, key)} en score." for key, score in data.scores.items() if score is None
    }
    if missing:
        return missing
    return _refusals(risks.create_assessment, measure, actor, today_oslo(), chosen, data.risk_note, data.actions)
