"""Consequences for employees: one record per measure, edited by its owner, read by AMU."""

from sqlalchemy import select

from tracker.accounts.permissions import require_measure_edit
from tracker.audit import services as audit
from tracker.database import check_version, flush_or_conflict
from tracker.extensions import db
from tracker.money import plain_decimal
from tracker.portfolio.models import Measure
from tracker.staff.models import EmployeeConsequence
from tracker.text import NOTE, check_texts, lines

STAFF_TEXTS = {"affected_units": lines(2000), "work_env_assessment_summary": NOTE}

FIELDS = (
    "affected_units",
    "affected_employees",
    "fte_change_planned",
    "fte_change_realised",
    "fte_by_attrition",
    "fte_by_redeployment",
    "fte_by_downsizing",
    "union_consultation_date",
    "is_safety_rep_involved",
    "work_env_assessment_date",
    "work_env_assessment_summary",
)


def consequence_for(measure: Measure) -> EmployeeConsequence | None:
    return db.session.scalar(select(EmployeeConsequence).where(EmployeeConsequence.measure_id == measure.id))


def measures_with_consequences(measure_ids: list[int]) -> set[int]:
    """Of the given measures, those with employee consequences registered."""
    if not measure_ids:
        return set()
    query = select(EmployeeConsequence.measure_id).where(EmployeeConsequence.measure_id.in_(measure_ids))
    return set(db.session.scalars(query))


def save_consequence(measure: Measure, actor, values: dict, seen_version: int | None = None) -> dict:
    """Create or change the measure's employee consequences; returns the audited changes.

    `seen_version` is the version the form showed (0: there was no record yet); a save made from
    another one, or a first save racing another first save, is an EditConflict.
    """
    require_measure_edit(actor, measure, "employee_consequence.edit")
    check_texts(values, STAFF_TEXTS)
    record = consequence_for(measure)
    check_version(record, seen_version)
    if record is None:
        record = EmployeeConsequence(measure=measure)
        db.session.add(record)
        before = {}
    else:
        before = {name: getattr(record, name) for name in FIELDS}
    after = {name: values.get(name) for name in FIELDS}
    after["affected_units"] = after["affected_units"] or ""
    after["work_env_assessment_summary"] = after["work_env_assessment_summary"] or ""
    after["is_safety_rep_involved"] = bool(after["is_safety_rep_involved"])
    changes = audit.diff(before, after)
    for name in FIELDS:
        setattr(record, name, after[name])
    flush_or_conflict(db.session)
    if changes:
        audit.record("employee_consequence.edit", user=actor, obj=record, measure_id=measure.id, changes=changes)
    return changes


def consequence_data(measure: Measure) -> dict | None:
    """Plain data for `measures show` and the AMU report (årsverk as decimal text)."""
    record = consequence_for(measure)
    if record is None:
        return None
    return {
        "affected_units": record.affected_units,
        "affected_employees": record.affected_employees,
        "fte_change_planned": plain_decimal(record.fte_change_planned),
        "fte_change_realised": plain_decimal(record.fte_change_realised),
        "fte_by_attrition": plain_decimal(record.fte_by_attrition),
        "fte_by_redeployment": plain_decimal(record.fte_by_redeployment),
        "fte_by_downsizing": plain_decimal(record.fte_by_downsizing),
        "union_consultation_date": record.union_consultation_date.isoformat()
        if record.union_consultation_date
        else None,
        "is_safety_rep_involved": record.is_safety_rep_involved,
        "work_env_assessment_date": record.work_env_assessment_date.isoformat()
        if record.work_env_assessment_date
        else None,
        "work_env_assessment_summary": record.work_env_assessment_summary,
    }
