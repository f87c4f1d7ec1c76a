"""What the work queue reads: a fixed number of statements, each filtered by the programme.

The queue is shown on the dashboard, so these are prepared statements returning plain rows
(tracker.portfolio.queries.prepared_rows): their number does not grow with the portfolio.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, func, literal, select, union_all

from tracker.accounts.models import User
from tracker.benefits.models import QuarterlyFigure
from tracker.extensions import db
from tracker.meetings.models import Meeting, MeetingItem
from tracker.milestones.queries import late_milestone_rows
from tracker.periods import Quarter
from tracker.portfolio.models import Measure
from tracker.portfolio.queries import prepared_rows
from tracker.updates.models import ReportingRound, StatusUpdate

_UPDATE_COLUMNS = (
    StatusUpdate.id,
    StatusUpdate.measure_id,
    StatusUpdate.year,
    StatusUpdate.quarter,
    StatusUpdate.confidence,
    StatusUpdate.decisions_needed,
    StatusUpdate.decisions_audience,
)


@dataclass(frozen=True)
class UpdateRow:
    id: int
    measure_id: int
    year: int
    quarter: int
    confidence: str
    decisions_needed: str
    decisions_audience: str

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


def _submitted(kind: str, *conditions):
    return (
        select(literal(kind).label("kind"), *_UPDATE_COLUMNS)
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(Measure.programme_id == bindparam("programme_id"), StatusUpdate.submitted_dt.is_not(None), *conditions)
    )


def _updates_statement():
    """For `programme_id`: submitted status updates not yet reviewed ("review"), and per measure its
    latest submitted update when it asks for a decision ("decision")."""
    latest = (
        select(StatusUpdate.measure_id, func.max(StatusUpdate.year * 10 + StatusUpdate.quarter).label("period"))
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(Measure.programme_id == bindparam("programme_id"), StatusUpdate.submitted_dt.is_not(None))
        .group_by(StatusUpdate.measure_id)
        .subquery()
    )
    decisions = _submitted("decision", StatusUpdate.decisions_needed != "").join(
        latest,
        and_(
            latest.c.measure_id == StatusUpdate.measure_id,
            latest.c.period == StatusUpdate.year * 10 + StatusUpdate.quarter,
        ),
    )
    both = union_all(_submitted("review", StatusUpdate.reviewed_dt.is_(None)), decisions).subquery()
    return select(both).order_by(both.c.year, both.c.quarter, both.c.measure_id)


def updates_to_handle(programme_id: int) -> tuple[list[UpdateRow], list[UpdateRow]]:
    """(submitted updates not reviewed, latest updates asking for a decision) of the programme, oldest first."""
    found: dict[str, list[UpdateRow]] = {"review": [], "decision": []}
    for kind, *row in prepared_rows(_updates_statement, programme_id=programme_id):
        found[kind].append(UpdateRow(*row))
    return found["review"], found["decision"]


def late_milestones(programme_id: int, today: date) -> dict[int, list[tuple[str, date]]]:
    """Measure id → its late milestones as (title, due date), earliest first (the rows "prognose i fare" reads)."""
    found: dict[int, list[tuple[str, date]]] = {}
    for row in sorted(late_milestone_rows(programme_id, today), key=lambda row: row.measure_id):
        found.setdefault(row.measure_id, []).append((row.title, row.due_date))
    return found


@dataclass(frozen=True)
class RoundRow:
    """A reporting round as the queue needs it (plain data: the queue is cached and shared between requests)."""

    id: int
    year: int
    quarter: int
    deadline_date: date

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


def _passed_round_statement():
    """The newest reporting round of `programme_id` whose deadline is before `today`."""
    return (
        select(ReportingRound.id, ReportingRound.year, ReportingRound.quarter, ReportingRound.deadline_date)
        .where(
            ReportingRound.programme_id == bindparam("programme_id"), ReportingRound.deadline_date < bindparam("today")
        )
        .order_by(ReportingRound.year.desc(), ReportingRound.quarter.desc())
        .limit(1)
    )


def latest_passed_round(programme_id: int, today: date) -> RoundRow | None:
    """The newest reporting round whose deadline has passed: the one whose missing reports are late."""
    found = prepared_rows(_passed_round_statement, programme_id=programme_id, today=today).first()
    return None if found is None else RoundRow(*found)


def _reported_statement():
    """Ids of the measures of `programme_id` with figures ("figures") or a submitted status update
    ("update") for quarter `quarter` of `year`."""
    in_programme = Measure.programme_id == bindparam("programme_id")
    figures = (
        select(literal("figures").label("kind"), QuarterlyFigure.measure_id)
        .join(Measure, Measure.id == QuarterlyFigure.measure_id)
        .where(in_programme, QuarterlyFigure.year == bindparam("year"), QuarterlyFigure.quarter == bindparam("quarter"))
    )
    updates = (
        select(literal("update").label("kind"), StatusUpdate.measure_id)
        .join(Measure, Measure.id == StatusUpdate.measure_id)
        .where(
            in_programme,
            StatusUpdate.year == bindparam("year"),
            StatusUpdate.quarter == bindparam("quarter"),
            StatusUpdate.submitted_dt.is_not(None),
        )
    )
    return union_all(figures, updates)


def reported_measure_ids(programme_id: int, quarter: Quarter) -> tuple[set[int], set[int]]:
    """(measures with figures, measures with a submitted status update) for the quarter."""
    found: dict[str, set[int]] = {"figures": set(), "update": set()}
    rows = prepared_rows(_reported_statement, programme_id=programme_id, year=quarter.year, quarter=quarter.number)
    for kind, measure_id in rows:
        found[kind].add(measure_id)
    return found["figures"], found["update"]


@dataclass(frozen=True)
class ItemRow:
    """A meeting item as the queue needs it: what it was about and how it was handled."""

    id: int
    meeting_id: int
    meeting_date: date
    subject_key: str
    measure_id: int | None
    outcome: str
    decision: str
    due_date: date | None
    done_dt: datetime | None
    responsible: str | None


def _items_statement():
    """Every meeting item of the programme `programme_id`, oldest meeting first."""
    return (
        select(
            MeetingItem.id,
            MeetingItem.meeting_id,
            Meeting.meeting_date,
            MeetingItem.subject_key,
            MeetingItem.measure_id,
            MeetingItem.outcome,
            MeetingItem.decision,
            MeetingItem.due_date,
            MeetingItem.done_dt,
            func.coalesce(func.nullif(User.full_name, ""), User.username),
        )
        .join(Meeting, Meeting.id == MeetingItem.meeting_id)
        .outerjoin(User, User.id == MeetingItem.responsible_id)
        .where(Meeting.programme_id == bindparam("programme_id"))
        .order_by(Meeting.meeting_date, Meeting.id, MeetingItem.position, MeetingItem.id)
    )


def meeting_items(programme_id: int) -> list[ItemRow]:
    return [ItemRow(*row) for row in prepared_rows(_items_statement, programme_id=programme_id)]


def meetings(programme_id: int) -> list[Meeting]:
    """The programme's meetings, newest first."""
    query = select(Meeting).where(Meeting.programme_id == programme_id)
    return list(db.session.scalars(query.order_by(Meeting.meeting_date.desc(), Meeting.id.desc())))


def upcoming_meetings(programme_id: int, today: date) -> list[Meeting]:
    """Meetings today or later, soonest first: where queue items can be put on the agenda."""
    query = select(Meeting).where(Meeting.programme_id == programme_id, Meeting.meeting_date >= today)
    return list(db.session.scalars(query.order_by(Meeting.meeting_date, Meeting.id)))


def recorded_items(programme_id: int) -> list[MeetingItem]:
    """Every item with a recorded outcome (the decision log), newest meeting first."""
    query = (
        select(MeetingItem)
        .join(Meeting, Meeting.id == MeetingItem.meeting_id)
        .where(Meeting.programme_id == programme_id, MeetingItem.outcome != "")
        .order_by(Meeting.meeting_date.desc(), Meeting.id.desc(), MeetingItem.position)
    )
    return list(db.session.scalars(query))


def enabled_users() -> list[User]:
    """Who can be made responsible for a follow-up: every enabled account, by name."""
    query = select(User).where(User.is_enabled.is_(True))
    return sorted(db.session.scalars(query), key=lambda user: user.display_name.lower())
