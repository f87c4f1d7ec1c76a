"""A generated portfolio for the scale benchmarks, written with SQLAlchemy Core bulk inserts.

On top of the imported Elverum programme (its programme, work groups and targets) we add measures
until there are `n_measures`, each with six years of plans, and for every measure 24 quarters of
figures and status updates, milestones, risks, an organisational risk assessment and employee
consequences. The values are random but seeded, so two runs generate the same portfolio. None of
it is Elverum's: it exists only in a temporary database.
"""

import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from tracker.extensions import db

YEARS = tuple(range(2025, 2031))
QUARTERS = tuple((year, quarter) for year in YEARS for quarter in range(1, 5))
STATUSES = ("vedtatt", "under gjennomføring", "gjennomført", "utredet", "ikke vedtatt")
CONFIDENCE = ("høy", "middels", "lav")
BATCH = 5_000
# The quarter whose status updates ledergruppe has not reviewed yet.
UNREVIEWED_QUARTER = (2026, 4)
# The agenda of the generated meeting: (subject kind, outcome) per item, on the first measures.
MEETING_ITEMS = (("milepael", "beslutning"), ("milepael", "oppfolging"), ("milepael", "orientering"))
MEETING_WAITING_ITEMS = 3


def _insert(table, rows: Iterable[dict]) -> int:
    """Insert rows in batches; returns how many."""
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
        count += len(batch)
    return count


def _measure_rows(programme_id: int, groups: list[int], count: int, owner_id: int, rng: random.Random):
    now = datetime.now(UTC)
    for number in range(count):
        group_index = number % len(groups)
        serial = 100 + number // len(groups)
        code = f"{group_index + 1}.{serial}"
        yield {
            "programme_id": programme_id,
            "group_id": groups[group_index],
            "code": code,
            "sort_key": f"{group_index + 1:03d}.{serial:05d}",
            "title": f"Generert tiltak {code}",
            "service": "Generert tjeneste",
            "effect_type": None,
            "problem": "Generert for ytelsestest.",
            "solution": "Generert for ytelsestest.",
            "owner_id": owner_id if number % 3 == 0 else None,
            "status": rng.choice(STATUSES),
            "version": 1,
            "created_dt": now,
            "updated_dt": now,
            "is_recommended_by_report": False,
            "has_significant_org_risk": number % 7 == 0,
        }


def _plans(measure_ids: list[int], rng: random.Random):
    for measure_id in measure_ids:
        for year in YEARS:
            yield {"measure_id": measure_id, "year": year, "net_cost_change_nok": -rng.randrange(0, 2_000_000, 1000)}


def _figures(measure_ids: list[int], rng: random.Random):
    now = datetime.now(UTC)
    for measure_id in measure_ids:
        for year, quarter in QUARTERS:
            realised = rng.randrange(0, 500_000 * quarter, 1000)
            yield {
                "measure_id": measure_id,
                "year": year,
                "quarter": quarter,
                "realised_to_date_nok": realised,
                "forecast_year_nok": realised + rng.randrange(0, 1_000_000, 1000),
                "explanation": "",
                "corrective_action": "",
                "comment": "",
                "reported_dt": now,
                "is_approved": quarter % 2 == 0,
                "created_dt": now,
                "updated_dt": now,
            }


def _updates(measure_ids: list[int], rng: random.Random):
    """24 quarters of submitted status updates per measure; ledergruppe has reviewed all but those of
    UNREVIEWED_QUARTER (a whole round waiting: one work-queue item per measure), where every tenth
    measure asks for a decision."""
    for number, measure_id in enumerate(measure_ids):
        for year, quarter in QUARTERS:
            submitted = datetime(year, 3 * quarter, 20, 12, tzinfo=UTC)
            is_waiting = (year, quarter) == UNREVIEWED_QUARTER
            yield {
                "measure_id": measure_id,
                "year": year,
                "quarter": quarter,
                "confidence": rng.choice(CONFIDENCE),
                "confidence_justification": "Generert.",
                "progress": "Generert fremdrift.",
                "corrective_actions": "",
                "decisions_needed": "Generert beslutningsbehov." if is_waiting and number % 10 == 0 else "",
                "submitted_dt": submitted,
                "reviewed_dt": None if is_waiting else submitted + timedelta(days=14),
                "created_dt": submitted,
                "updated_dt": submitted,
            }


def _milestones(measure_ids: list[int], rng: random.Random):
    now = datetime.now(UTC)
    for measure_id in measure_ids:
        for index in range(4):
            due = date(2026, 3, 31) + timedelta(days=182 * index + rng.randrange(0, 60))
            yield {
                "measure_id": measure_id,
                "title": f"Milepæl {index + 1}",
                "when_text": "",
                "baseline_due_date": due,
                "due_date": due + timedelta(days=rng.choice((0, 0, 30))),
                "done_date": due if index == 0 else None,
                "responsible": "Generert",
                "source": "plan",
                "sort_order": index,
                "created_dt": now,
                "updated_dt": now,
            }


def _consequences(measure_ids: list[int], rng: random.Random):
    now = datetime.now(UTC)
    for measure_id in measure_ids:
        yield {
            "measure_id": measure_id,
            "affected_units": "Generert enhet",
            "affected_employees": rng.randrange(0, 40),
            "fte_change_planned": Decimal(-rng.randrange(0, 50)) / 10,
            "fte_by_attrition": Decimal(rng.randrange(0, 20)) / 10,
            "is_safety_rep_involved": rng.random() < 0.5,
            "union_consultation_date": date(2026, 2, 1),
            "work_env_assessment_summary": "",
            "created_dt": now,
            "updated_dt": now,
        }


AUDIT_ACTIONS = (
    ("benefits.report", "QuarterlyFigure"),
    ("status_update.submit", "StatusUpdate"),
    ("measure.update", "Measure"),
    ("milestone.edit", "Milestone"),
    ("risk_item.edit", "RiskItem"),
    ("kpi.edit", "Kpi"),
)
AUDIT_PER_MEASURE = 48


def _audit_entries(measure_ids: list[int], rng: random.Random):
    """48 audit entries per measure over two years (240 000 for 5 000 measures), by 40 users."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for measure_id in measure_ids:
        for index in range(AUDIT_PER_MEASURE):
            action, object_type = AUDIT_ACTIONS[index % len(AUDIT_ACTIONS)]
            yield {
                "at_dt": start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)),
                "user_id": None,
                "username": f"bruker{rng.randrange(40)}",
                "action": action,
                "object_type": object_type,
                "object_id": measure_id * 100 + index,
                "object_label": f"Generert {index}",
                "measure_id": measure_id,
                "changes": {"comment": {"old": None, "new": "Generert."}},
                "ip_address": "127.0.0.1",
            }


def _risk_items(measure_ids: list[int], rng: random.Random):
    now = datetime.now(UTC)
    for measure_id in measure_ids:
        for index in range(2):
            yield {
                "measure_id": measure_id,
                "description": f"Generert risiko {index + 1}",
                "probability_before": rng.randint(1, 5),
                "consequence_before": rng.randint(1, 5),
                "mitigation": "",
                "mitigation_owner": "",
                "created_dt": now,
                "updated_dt": now,
            }


def _assessments(measure_ids: list[int], rng: random.Random):  # noqa: ARG001
    now = datetime.now(UTC)
    for measure_id in measure_ids:
        yield {
            "measure_id": measure_id,
            "assessed_date": date(2026, 2, 1),
            "note": "",
            "created_dt": now,
            "updated_dt": now,
        }


def _scores(assessment_ids: list[int], indicator_ids: list[int], rng: random.Random):
    for assessment_id in assessment_ids:
        for indicator_id in indicator_ids:
            yield {"assessment_id": assessment_id, "indicator_id": indicator_id, "score": rng.randint(1, 5)}


def _org_risk(measure_ids: list[int], rng: random.Random) -> int:
    """One organisational risk assessment per measure, scored on every indicator."""
    from tracker.risks.services import indicators

    indicator_ids = [indicator.id for indicator in indicators()]
    tables = db.metadata.tables
    first = db.session.scalar(select(func.count()).select_from(tables["org_risk_assessments"]))
    count = _insert(tables["org_risk_assessments"], _assessments(measure_ids, rng))
    ids = list(db.session.scalars(select(tables["org_risk_assessments"].c.id).order_by("id").offset(first)))
    return count + _insert(tables["org_risk_scores"], _scores(ids, indicator_ids, rng))


def _meeting(programme_id: int, measure_ids: list[int], user_id: int | None) -> int:
    """One ledergruppe meeting a week from now: items with a decision, an open follow-up and a note
    on the first measures, and items still waiting (the same meeting at every size)."""
    tables = db.metadata.tables
    now = datetime.now(UTC)
    meeting_id = db.session.execute(
        insert(tables["meetings"]).returning(tables["meetings"].c.id),
        {
            "programme_id": programme_id,
            "meeting_date": now.date() + timedelta(days=7),
            "title": "Ledergruppemøte",
            "attendees": "Generert",
            "notes": "",
            "created_by_id": user_id,
            "version": 1,
            "created_dt": now,
            "updated_dt": now,
        },
    ).scalar_one()
    outcomes = [outcome for _, outcome in MEETING_ITEMS] + [""] * MEETING_WAITING_ITEMS
    rows = [
        {
            "meeting_id": meeting_id,
            "position": position,
            "kind": "milepael",
            "subject_key": f"milepael:{measure_id}",
            "measure_id": measure_id,
            "title": f"Forsinkede milepæler i generert tiltak {position + 1}",
            "detail": "Generert.",
            "link": "",
            "outcome": outcome,
            "decision": "Generert vedtak." if outcome else "",
            "responsible_id": user_id if outcome == "oppfolging" else None,
            "due_date": now.date() + timedelta(days=30) if outcome == "oppfolging" else None,
            "recorded_by_id": user_id if outcome else None,
            "recorded_dt": now if outcome else None,
            "version": 1,
            "created_dt": now,
            "updated_dt": now,
        }
        for position, (measure_id, outcome) in enumerate(zip(measure_ids, outcomes, strict=False))
    ]
    return _insert(tables["meeting_items"], rows)


def generate(n_measures: int, seed: int = 2026) -> dict[str, int]:
    """Add generated measures (and their rows) to the imported programme; returns rows per table."""
    from tracker.accounts.models import User
    from tracker.portfolio.models import Measure, PlannedEffect, Programme, WorkGroup

    rng = random.Random(seed)
    programme_id = db.session.scalar(select(Programme.id).order_by(Programme.id).limit(1))
    groups = list(db.session.scalars(select(WorkGroup.id).where(WorkGroup.programme_id == programme_id)))
    existing = db.session.scalar(select(func.count()).select_from(Measure))
    owner_id = db.session.scalar(select(User.id).order_by(User.id).limit(1))
    counts = {
        "measures": _insert(
            Measure.__table__, _measure_rows(programme_id, groups, n_measures - existing, owner_id, rng)
        )
    }
    new_ids = list(db.session.scalars(select(Measure.id).order_by(Measure.id)))[existing:]
    all_ids = list(db.session.scalars(select(Measure.id).order_by(Measure.id)))
    counts["planned_effects"] = _insert(PlannedEffect.__table__, _plans(new_ids, rng))
    tables = db.metadata.tables
    extra = {
        "benefit_figures": _figures,
        "status_updates": _updates,
        "milestones": _milestones,
        "employee_consequences": _consequences,
        "risk_items": _risk_items,
        "audit_entries": _audit_entries,
    }
    for name, rows in extra.items():
        if name in tables:
            counts[name] = _insert(tables[name], rows(all_ids, rng))
    if "org_risk_assessments" in tables:
        counts["org_risk_assessments+scores"] = _org_risk(all_ids, rng)
    if "meetings" in tables:
        counts["meeting_items"] = _meeting(
            programme_id, all_ids[: len(MEETING_ITEMS) + MEETING_WAITING_ITEMS], owner_id
        )
    db.session.commit()
    return counts
