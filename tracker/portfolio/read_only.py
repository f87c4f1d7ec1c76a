"""A closed programme is read-only: one check before every flush, whoever writes.

Pages hide the buttons and services refuse early with the same message (`require_open`,
`accounts.permissions.require_measure_edit`); this guard is the door behind them: any row of a
closed programme that a flush would add, change or delete is refused with `ReadOnlyError`, so no
form, import, API or command that forgets the check can change a closed programme's history.

A row belongs to a programme through its `programme_id`, or through the first of PARENTS it has
(a measure, a quarterly figure, a KPI, a status update, a risk assessment, a budget alternative, a
measure's variant, a work group, a meeting of ledergruppe). Rows outside that chain
are not the programme's record and stay writable: the audit trail, users (their chosen programme),
the report outbox and claims, reminders already sent, the ledger and the closed quarters.
The programme row itself stays writable, so an admin can reopen it.
"""

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from tracker.errors import ReadOnlyError
from tracker.portfolio.models import Measure, Programme

PARENTS = ("programme", "measure", "figure", "kpi", "update", "assessment", "scenario", "variant", "group", "meeting")
MAX_DEPTH = 3


def is_read_only(record) -> bool:
    """True for a closed programme, or a measure (or any record with `.programme`) of one."""
    programme = record if isinstance(record, Programme) else getattr(record, "programme", None)
    return bool(programme is not None and programme.is_closed)


def require_open(programme: Programme | None) -> None:
    """Refuse (ReadOnlyError) any change to a closed programme."""
    if programme is not None and programme.is_closed:
        raise ReadOnlyError.closed(programme.name)


def _parent(session: Session, record, name: str):
    mapper = inspect(record).mapper
    if name in mapper.relationships:
        return getattr(record, name)
    if name == "measure" and "measure_id" in mapper.columns and record.measure_id is not None:
        return session.get(Measure, record.measure_id)
    return None


def _programme_id(session: Session, record, depth: int = 0) -> int | None:
    """The id of the programme a record belongs to, or None for a record of no programme."""
    if isinstance(record, Programme):
        return record.id
    if "programme_id" in inspect(record).mapper.columns and record.programme_id is not None:
        return record.programme_id
    if depth >= MAX_DEPTH:
        return None
    for name in PARENTS:
        parent = _parent(session, record, name)
        if parent is not None:
            return _programme_id(session, parent, depth + 1)
    return None


def refuse_closed_changes(session: Session, flush_context, instances) -> None:  # noqa: ARG001 - the event's signature
    """before_flush: refuse the flush if it would change any row of a closed programme."""
    changed = [*session.new, *session.deleted, *(row for row in session.dirty if session.is_modified(row))]
    ids = {_programme_id(session, row) for row in changed if not isinstance(row, Programme)}
    ids.discard(None)
    if not ids:
        return
    query = select(Programme.name).where(Programme.id.in_(ids), Programme.is_closed.is_(True)).limit(1)
    closed_name = session.scalar(query)
    if closed_name is not None:
        raise ReadOnlyError.closed(closed_name)


def install(session) -> None:
    """Guard every session made by `session` (the app's scoped session); once, however many apps."""
    if not event.contains(session, "before_flush", refuse_closed_changes):
        event.listen(session, "before_flush", refuse_closed_changes)
