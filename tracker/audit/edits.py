"""Audited writes of a record: add it, or change some of its fields, with one audit entry each."""

from tracker.audit import services
from tracker.database import flush_or_conflict
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
