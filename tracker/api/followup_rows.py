"""The rows of the follow-up lists: status updates, milestones, KPIs, risks, employee consequences, the audit trail."""

import json

from tracker.api import queries
from tracker.api.fields import field, measure_ref, record_row
from tracker.api.params import ListQuery
from tracker.kpis.services import kpi_status
from tracker.risks.services import DEFAULT_INDICATORS

UPDATE_FIELDS = (
    field("id", "integer", "The status update's id."),
    *measure_ref(),
    field("year", "integer", "Year of the quarter reported on."),
    field("quarter", "integer", "The quarter reported on (1-4)."),
    field("period", "quarter", "Year and quarter, e.g. 2026-Q2."),
    field("confidence", "string", "Delivery confidence (traffic light): grønn, grønn/gul, gul, gul/rød, rød."),
    field("confidence_justification", "string", "Why that confidence."),
    field("progress", "string", "Progress in the quarter."),
    field("corrective_actions", "string", "Corrective actions."),
    field("decisions_needed", "string", "Decisions the owner needs."),
    field("submitted_dt", "date-time", "When it was submitted (UTC); drafts are not listed."),
    field("is_reviewed", "boolean", "Reviewed by the ledergruppe."),
    field("reviewed_dt", "date-time", "When it was reviewed (UTC).", nullable=True),
)


def update_rows(query: ListQuery) -> list[dict]:
    return [
        record_row(update, UPDATE_FIELDS, code, period=update.period.key)
        for update, code in queries.submitted_updates(query.programme)
    ]


MILESTONE_FIELDS = (
    field("id", "integer", "The milestone's id."),
    *measure_ref(),
    field("title", "string", "What is to be done."),
    field("when_text", "string", "The report's own wording of the time, e.g. «Høst 2026».", nullable=True),
    field("responsible", "string", "Who is responsible."),
    field("baseline_due_date", "date", "The first due date (kept when the date is moved).", nullable=True),
    field("due_date", "date", "The current due date.", nullable=True),
    field("done_date", "date", "When it was done.", nullable=True),
    field("state", "string", "As of today: planned, done or late."),
    field("is_moved", "boolean", "The due date differs from the first one."),
    field("source", "string", "plan (from the report), derived or manual."),
)


def milestone_rows(query: ListQuery) -> list[dict]:
    return [
        record_row(milestone, MILESTONE_FIELDS, code, state=milestone.state(query.today))
        for milestone, code in queries.milestones(query.programme)
    ]


KPI_FIELDS = (
    field("id", "integer", "The KPI's id."),
    *measure_ref(),
    field("name", "string", "What is measured."),
    field("unit", "string", "The unit."),
    field("direction", "string", "higher or lower: which way is better."),
    field("baseline_value", "number", "The starting value.", nullable=True),
    field("baseline_date", "date", "When the starting value was measured.", nullable=True),
    field("target_value", "number", "The target value.", nullable=True),
    field("target_date", "date", "When the target is to be reached.", nullable=True),
    field("latest_value", "number", "The latest measurement.", nullable=True),
    field("latest_period", "quarter", "The quarter of the latest measurement.", nullable=True),
    field("trend", "string", "bedre, verre or uendret since the measurement before.", nullable=True),
    field("progress_pct", "number", "Per cent of the way from baseline to target.", nullable=True),
)


def kpi_rows(query: ListQuery) -> list[dict]:
    rows = []
    for kpi, code in queries.kpis(query.programme):
        status = kpi_status(kpi)
        latest = status.latest
        computed = {
            "latest_value": latest.value if latest else None,
            "latest_period": latest.period.key if latest else None,
            "trend": status.trend,
            "progress_pct": status.progress_pct,
        }
        rows.append(record_row(kpi, KPI_FIELDS, code, **computed))
    return rows


KPI_MEASUREMENT_FIELDS = (
    field("id", "integer", "The measurement's id."),
    field("kpi_id", "integer", "The KPI's id (the `id` of /kpis)."),
    *measure_ref(),
    field("kpi_name", "string", "What is measured."),
    field("year", "integer", "Year."),
    field("quarter", "integer", "Quarter (1-4)."),
    field("period", "quarter", "Year and quarter, e.g. 2026-Q2."),
    field("value", "number", "The measured value."),
    field("note", "string", "A note on the measurement."),
)


def kpi_measurement_rows(query: ListQuery) -> list[dict]:
    return [
        record_row(
            measurement,
            KPI_MEASUREMENT_FIELDS,
            code,
            kpi_id=kpi.id,
            measure_id=kpi.measure_id,
            kpi_name=kpi.name,
            period=measurement.period.key,
        )
        for kpi, code in queries.kpis(query.programme)
        for measurement in kpi.measurements
    ]


INDICATOR_KEYS = tuple(key for key, _name, _guidance in DEFAULT_INDICATORS)
ASSESSMENT_FIELDS = (
    field("id", "integer", "The assessment's id."),
    *measure_ref(),
    field("assessed_date", "date", "The day of the assessment."),
    field("is_latest", "boolean", "The measure's latest assessment (the one the web and /measures show)."),
    field("level", "string", "Organisational risk: lav, middels or høy.", nullable=True),
    field("average", "number", "Average score (1-5, two decimals).", nullable=True),
    field("weakest_score", "integer", "The highest (weakest) score.", nullable=True),
    *(
        field(f"score_{key}", "integer", f"Score 1 (low risk) to 5 (high risk) on «{key}».", True)
        for key in INDICATOR_KEYS
    ),
    field("note", "string", "Note on the assessment."),
)


def assessment_rows(query: ListQuery) -> list[dict]:
    """Every organisational-risk assessment (history kept), with its summary by the risk rules."""
    rows = []
    latest: dict[int, int] = {}
    for assessment, code in queries.risk_assessments(query.programme):
        summary = assessment.summary()
        scores = assessment.scores_by_key()
        latest[assessment.measure_id] = assessment.id  # ordered by date, so the last one wins
        computed = {
            "level": summary.level if summary else None,
            "average": summary.average if summary else None,
            "weakest_score": summary.weakest_score if summary else None,
            **{f"score_{key}": scores.get(key) for key in INDICATOR_KEYS},
        }
        rows.append(record_row(assessment, ASSESSMENT_FIELDS, code, is_latest=False, **computed))
    for row in rows:
        row["is_latest"] = latest.get(row["measure_id"]) == row["id"]
    return rows


RISK_ITEM_FIELDS = (
    field("id", "integer", "The risk's id."),
    *measure_ref(),
    field("description", "string", "The uncertainty."),
    field("probability_before", "integer", "Probability before mitigation (1-5)."),
    field("consequence_before", "integer", "Consequence before mitigation (1-5)."),
    field("score_before", "integer", "Probability × consequence before mitigation (1-25)."),
    field("level_before", "string", "lav, middels or høy before mitigation."),
    field("mitigation", "string", "What is done to reduce it."),
    field("mitigation_owner", "string", "Who does it."),
    field("probability_after", "integer", "Probability after mitigation (1-5).", nullable=True),
    field("consequence_after", "integer", "Consequence after mitigation (1-5).", nullable=True),
    field("score_after", "integer", "Probability × consequence after mitigation.", nullable=True),
    field("level_after", "string", "lav, middels or høy after mitigation.", nullable=True),
)


def risk_item_rows(query: ListQuery) -> list[dict]:
    return [record_row(item, RISK_ITEM_FIELDS, code) for item, code in queries.risk_items(query.programme)]


CONSEQUENCE_FIELDS = (
    *measure_ref(),
    field("affected_units", "string", "Units affected."),
    field("affected_employees", "integer", "Number of employees affected.", nullable=True),
    field("fte_change_planned", "number", "Planned change in årsverk (negative: fewer).", nullable=True),
    field("fte_change_realised", "number", "Realised change in årsverk.", nullable=True),
    field("fte_by_attrition", "number", "Årsverk taken out by natural attrition.", nullable=True),
    field("fte_by_redeployment", "number", "Årsverk taken out by redeployment.", nullable=True),
    field("fte_by_downsizing", "number", "Årsverk taken out by downsizing.", nullable=True),
    field("union_consultation_date", "date", "When the unions were consulted (drøfting).", nullable=True),
    field("is_safety_rep_involved", "boolean", "The safety representative (verneombud) is involved."),
    field("work_env_assessment_date", "date", "When the work environment was risk-assessed.", nullable=True),
    field("work_env_assessment_summary", "string", "What that assessment found."),
)


def consequence_rows(query: ListQuery) -> list[dict]:
    """Consequences for employees (what AMU sees), one row per measure that has them."""
    consequences = queries.employee_consequences(query.programme)
    return [record_row(record, CONSEQUENCE_FIELDS, code) for record, code in consequences]


AUDIT_FIELDS = (
    field("id", "integer", "The entry's id."),
    field("at", "date-time", "When (UTC)."),
    field("user", "string", "Who (user name; «system» for the command line and scheduler).", nullable=True),
    field("action", "string", "What, e.g. measure.status or login.failed."),
    field("object_type", "string", "The kind of record changed.", nullable=True),
    field("object_id", "integer", "Its id.", nullable=True),
    field("object_label", "string", "Its name when it was changed.", nullable=True),
    field("measure_id", "integer", "The measure it belongs to.", nullable=True),
    field("changes", "string", "The changes as JSON text: {field: {old, new}}.", nullable=True),
)


def audit_rows(query: ListQuery) -> list[dict]:
    """One page of the audit trail (as `audit list --json`, flat), read from the database page by page."""
    entries = queries.audit_entries(query.offset, None if query.limit is None else query.limit + 1)
    return [
        record_row(
            entry,
            AUDIT_FIELDS,
            at=entry.at_dt,
            user=entry.username,
            changes=json.dumps(entry.changes, ensure_ascii=False) if entry.changes else None,
        )
        for entry in entries
    ]
