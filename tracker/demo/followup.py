"""Example follow-up for `demo load`: units, risk assessments, consequences, KPIs, the latest quarter's
status updates with decisions asked for, and a reporting round. Every text says "Eksempeldata".

The measures "under gjennomføring" are ready by the report's §4.2 (an assessment the owner made,
reviewed by the example ledergruppe, with strengthening actions); some adopted ones are not, so
the risk view and the status page have something to show.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from tracker.kpis import services as kpis
from tracker.periods import Quarter
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.status import UNDER_GJENNOMFORING
from tracker.risks import services as risks
from tracker.risks.rules import HIGH_INDICATOR_SCORE
from tracker.staff import services as staff
from tracker.updates import services as updates

EXAMPLE = "Eksempeldata"
# Scores of the five indicators (in the order of risks.DEFAULT_INDICATORS), cycled: lav, middels, høy.
SCORE_PATTERNS = ((1, 2, 2, 1, 2), (2, 4, 3, 2, 3), (3, 5, 4, 3, 2))
# Confidence of the latest quarter's updates, cycled; every fourth measure has not reported yet.
LATEST_CONFIDENCE = ("grønn", "grønn/gul", "gul", "gul/rød", "rød")
NOT_REPORTED_EVERY = 4
DECISION_EVERY = 7
DEADLINE_DAYS_AFTER_QUARTER = 15


@dataclass
class FollowUpCounts:
    assessments: int = 0
    consequences: int = 0
    kpis: int = 0
    updates: int = 0


def set_affected_units(measures: list[Measure]) -> None:
    """Each measure affects the unit of its service (else its work group), so the load per unit has data."""
    for measure in measures:
        measure.affected_units = [measure.service or measure.group.name]


def _scores(index: int) -> dict[str, int]:
    keys = [key for key, _, _ in risks.DEFAULT_INDICATORS]
    return dict(zip(keys, SCORE_PATTERNS[index % len(SCORE_PATTERNS)], strict=True))


def _actions(scores: dict[str, int]) -> dict[str, str]:
    return {
        key: f"{EXAMPLE}: ekstra ressurser og månedlig oppfølging i ledergruppa."
        for key, score in scores.items()
        if score >= HIGH_INDICATOR_SCORE
    }


def _assess(measure: Measure, index: int, leader, as_of: Quarter) -> bool:
    """An owner's assessment: reviewed with actions when the measure has started; for the others every
    third is awaiting review, every third lacks its actions, every third is not assessed at all."""
    scores, assessed = _scores(index), as_of.previous().start_date + timedelta(days=10)
    is_started = measure.status == UNDER_GJENNOMFORING
    if not is_started and index % 3 == 2:
        return False
    actions = _actions(scores) if is_started or index % 3 == 0 else {}
    note = f"{EXAMPLE}: vurdering laget for demonstrasjon."
    assessment = risks.create_assessment(measure, measure.owner, assessed, scores, note, actions)
    if is_started:
        risks.review_assessment(assessment, leader)
    return True


def _consequence(measure: Measure, index: int, as_of: Quarter, actor) -> None:
    planned = -Decimal(index % 4 + 1) / 2
    staff.save_consequence(
        measure,
        actor,
        {
            "affected_units": ", ".join(measure.affected_units or []),
            "affected_employees": 4 + (index * 7) % 40,
            "fte_change_planned": planned,
            "fte_change_realised": planned / 2,
            "fte_by_attrition": -planned,
            "union_consultation_date": as_of.previous().start_date + timedelta(days=5),
            "is_safety_rep_involved": index % 2 == 0,
            "work_env_assessment_date": as_of.previous().start_date + timedelta(days=20) if index % 3 else None,
            "work_env_assessment_summary": f"{EXAMPLE}: ingen faktisk risikovurdering." if index % 3 else "",
        },
    )


def _kpi(measure: Measure, index: int, as_of: Quarter, actor) -> None:
    baseline = Decimal(100 + index)
    values = {
        "name": measure.kpi_suggestions[0][:300],
        "unit": "",
        "direction": "lower",
        "baseline_value": baseline,
        "baseline_date": as_of.previous().previous().end_date,
        "target_value": baseline - 10,
        "target_date": as_of.end_date.replace(year=as_of.year + 1),
    }
    kpi = kpis.create_kpi(measure, actor, values)
    for step, quarter in enumerate((as_of.previous(), as_of), start=1):
        kpis.record_measurement(kpi, actor, quarter, baseline - 3 * step, f"{EXAMPLE}: ikke en faktisk måling.")


def _latest_update(measure: Measure, index: int, as_of: Quarter) -> bool:
    if index % NOT_REPORTED_EVERY == NOT_REPORTED_EVERY - 1:
        return False
    decision = f"{EXAMPLE}: ledergruppa må avgjøre om tiltaket skal utvides til flere enheter."
    values = {
        "confidence": LATEST_CONFIDENCE[index % len(LATEST_CONFIDENCE)],
        "confidence_justification": f"{EXAMPLE}: vurdering laget for demonstrasjon.",
        "progress": f"{EXAMPLE}: ingen faktisk framdrift.",
        "decisions_needed": decision if index % DECISION_EVERY == 0 else "",
    }
    updates.save_update(measure, as_of, measure.owner, values, submit=True)
    return True


def load_followup(programme: Programme, measures: list[Measure], leader, as_of: Quarter, actor) -> FollowUpCounts:
    """The example follow-up of the counted measures (owned, adopted or started); the caller flushes and marks."""
    counts = FollowUpCounts()
    set_affected_units(measures)
    for index, measure in enumerate(measures):
        counts.assessments += _assess(measure, index, leader, as_of)
        if measure.consequences_employees or index % 3 == 0:
            _consequence(measure, index, as_of, actor)
            counts.consequences += 1
        if measure.kpi_suggestions:
            _kpi(measure, index, as_of, actor)
            counts.kpis += 1
        counts.updates += _latest_update(measure, index, as_of)
    deadline = as_of.end_date + timedelta(days=DEADLINE_DAYS_AFTER_QUARTER)
    if updates.round_for(programme, as_of) is None:
        updates.create_round(programme, as_of, deadline, actor)
    return counts
