"""Audited writes of a record: add it, or change some of its fields, with one audit entry each."""

from tracker.audit import services
from tracker.database import flush_or_conflict, utcnow
from tracker.extensions import db


def add_audited(record, actor, action: str, measure_id: int, values: dict) -> None:
    """Add a new record and flush it (so it has an id), then audit the values it was made from."""
    db.session.add(record)
    db.session.flush()
    services.record(action, user=actor, obj=record, measure_id=measure_id, changes=services.diff({}, values))


def change_audited(record, actor, action: str, before: dict, after: dict, **entry) -> dict:
    """Set the fields whose value differs between `before` and `after`, audit them and flush; a save
    that raced another is an EditConflict. The changes by field, empty when nothing changed."""
    changes = services.diff(before, after)
    for name in changes:
        setattr(record, name, after[name])
    if changes:
        services.record(action, user=actor, obj=record, changes=changes, **entry)
        flush_or_conflict(db.session)
    return changes


def review_audited(record, actor, action: str) -> None:
    """Mark a record (with reviewed_dt, reviewed_by_id and measure_id) reviewed by the actor, once, audited.

    A record already reviewed keeps its first review, and nothing is audited again.
    """
    if record.is_reviewed:
        return
    record.reviewed_dt = utcnow()
    record.reviewed_by_id = actor.id
    services.record(action, user=actor, obj=record, measure_id=record.measure_id)
