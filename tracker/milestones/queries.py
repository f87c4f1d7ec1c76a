"""A programme's late milestones as plain rows, read once per day and data version.

Why: "prognose i fare" (tracker.dependencies.queries) and ledergruppe's work queue
(tracker.meetings.queue) both need them, in one request on the dashboard, which shows the
queue's preview. A prepared statement (tracker.portfolio.queries.prepared_rows) kept in the read
model (tracker.readmodel) like the figures: lateness changes with the data and the day.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, or_, select

from tracker.milestones.models import Milestone
from tracker.portfolio.models import Measure
from tracker.portfolio.queries import prepared_rows
from tracker.readmodel.cache import cached


@dataclass(frozen=True)
class LateMilestoneRow:
    measure_id: int
    title: str
    due_date: date


def late_milestone_rows(programme_id: int, today: date) -> tuple[LateMilestoneRow, ...]:
    """The programme's milestones due before `today` and not done by then, earliest first."""
    return cached(
        ("late_milestones", programme_id, today),
        lambda: tuple(
            LateMilestoneRow(*row) for row in prepared_rows(_late_statement, programme_id=programme_id, today=today)
        ),
    )


def _late_statement():
    """Milestones of `programme_id` due before `today` and not done by then (rules.state's "late")."""
    return (
        select(Milestone.measure_id, Milestone.title, Milestone.due_date)
        .join(Measure, Measure.id == Milestone.measure_id)
        .where(
            Measure.programme_id == bindparam("programme_id"),
            Milestone.due_date < bindparam("today"),
            or_(Milestone.done_date.is_(None), Milestone.done_date > bindparam("today")),
        )
        .order_by(Milestone.due_date, Milestone.id)
    )
