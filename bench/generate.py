"""A generated portfolio for the scale benchmarks, written with SQLAlchemy Core bulk inserts.

On top of the imported Elverum programme (its programme, work groups and targets) we add measures
until there are `n_measures`, each with six years of plans, and for every measure 24 quarters of
figures and status updates and a few milestones, for the tables that exist in this build. The
values are random but seeded, so two runs generate the same portfolio. None of it is Elverum's.
"""

import random
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from tracker.extensions import db

YEARS = tuple(range(2025, 2031))
QUARTERS = tuple((year, quarter) for year in YEARS for quarter in range(1, 5))
STATUSES = ("vedtatt", "under gjennomføring", "gjennomført", "utredet", "ikke vedtatt")
CONFIDENCE = ("høy", "middels", "lav")
BATCH = 5_000


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
    for measure_id in measure_ids:
        for year, quarter in QUARTERS:
            submitted = datetime(year, 3 * quarter, 20, 12, tzinfo=UTC)
            yield {
                "measure_id": measure_id,
                "year": year,
                "quarter": quarter,
                "confidence": rng.choice(CONFIDENCE),
                "confidence_justification": "Generert.",
                "progress": "Generert fremdrift.",
                "corrective_actions": "",
                "decisions_needed": "",
                "submitted_dt": submitted,
                "created_dt": submitted,
                "updated_dt": submitted,
            }


def _milestones(table) -> Callable:
    columns = set(table.c.keys())

    def rows(measure_ids: list[int], rng: random.Random):
        now = datetime.now(UTC)
        for measure_id in measure_ids:
            for index in range(4):
                row = {"measure_id": measure_id, "created_dt": now, "updated_dt": now}
                candidates = {
                    "title": f"Milepæl {index + 1}",
                    "what": f"Milepæl {index + 1}",
                    "description": "",
                    "due_date": date(2026, 3, 31) + timedelta(days=182 * index + rng.randrange(0, 60)),
                    "completed_date": date(2026, 3, 1) if index == 0 else None,
                    "sort_order": index,
                    "source": "plan",
                    "when_text": "",
                }
                row.update({key: value for key, value in candidates.items() if key in columns})
                yield {key: value for key, value in row.items() if key in columns}

    return rows


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
    extra = {"benefit_figures": _figures, "status_updates": _updates}
    if "milestones" in tables:
        extra["milestones"] = _milestones(tables["milestones"])
    for name, rows in extra.items():
        if name in tables:
            counts[name] = _insert(tables[name], rows(all_ids, rng))
    db.session.commit()
    return counts
