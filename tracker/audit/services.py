"""Recording audit entries. Called by services inside the same transaction as the change."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, func, select

from tracker.audit.models import AuditEntry
from tracker.database import utcnow
from tracker.extensions import db
from tracker.periods import OSLO


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a changed value (dates as ISO text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": …, "new": …}} for the fields whose value changed."""
    return {
        key: {"old": _plain(before.get(key)), "new": _plain(after.get(key))}
        for key in after
        if before.get(key) != after.get(key)
    }


def deleted(obj) -> dict[str, dict[str, Any]]:
    """{column: {"old": value, "new": None}} for every column of an object about to be deleted."""
    values = {column.key: getattr(obj, column.key) for column in obj.__table__.columns if column.key != "id"}
    return diff(values, dict.fromkeys(values))


def record(
    action: str,
    user=None,
    obj=None,
    changes: dict | None = None,
    measure_id: int | None = None,
    label: str | None = None,
    ip_address: str | None = None,
    username: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit stores it with the change.

    Inside a request, the logged-in user and the client's address are filled in when not given.
    """
    if user is None and username is None:
        user = _request_user()
    if ip_address is None and has_request_context():
        ip_address = request.remote_addr
    if obj is not None and getattr(obj, "id", 0) is None and obj in db.session:
        db.session.flush()  # a new object gets its id, so the entry says which one it was
    if measure_id is None and obj is not None:
        measure_id = getattr(obj, "measure_id", None)
        if obj.__class__.__name__ == "Measure":
            measure_id = obj.id
    entry = AuditEntry(
        at_dt=utcnow(),
        user_id=getattr(user, "id", None),
        username=username or getattr(user, "username", None),
        action=action,
        object_type=obj.__class__.__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        object_label=label or (_label(obj) if obj is not None else None),
        measure_id=measure_id,
        changes=_plain(changes) if changes else None,
        ip_address=ip_address,
    )
    db.session.add(entry)
    return entry


def _label(obj) -> str:
    for attribute in ("audit_label", "code", "username", "title", "name"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)[:300]
    return f"{obj.__class__.__name__} {getattr(obj, 'id', '')}".strip()


def _request_user():
    if not has_request_context():
        return None
    return current_user if getattr(current_user, "is_authenticated", False) else None


@dataclass(frozen=True)
class AuditFilter:
    """What the global log page and `audit list` filter on; None means "any"."""

    username: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    measure_id: int | None = None
    from_date: date | None = None  # Oslo calendar days, both ends included
    to_date: date | None = None


def oslo_day_start(day: date) -> datetime:
    """The UTC moment an Oslo calendar day begins (23:00 or 22:00 UTC the day before)."""
    return datetime.combine(day, time.min, tzinfo=OSLO).astimezone(UTC)


def entries_query(audit_filter: AuditFilter) -> Select:
    """Entries matching the filter, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at_dt.desc(), AuditEntry.id.desc())
    if audit_filter.username:
        query = query.where(AuditEntry.username.in_(matching_usernames(audit_filter.username)))
    if audit_filter.action:
        query = query.where(AuditEntry.action == audit_filter.action)
    if audit_filter.object_type:
        query = query.where(AuditEntry.object_type == audit_filter.object_type)
    if audit_filter.object_id is not None:
        query = query.where(AuditEntry.object_id == audit_filter.object_id)
    if audit_filter.measure_id is not None:
        query = query.where(AuditEntry.measure_id == audit_filter.measure_id)
    if audit_filter.from_date:
        query = query.where(AuditEntry.at_dt >= oslo_day_start(audit_filter.from_date))
    if audit_filter.to_date:
        query = query.where(AuditEntry.at_dt < oslo_day_start(audit_filter.to_date + timedelta(days=1)))
    return query


def distinct_values(column) -> list[str]:
    """The values in use for a column (actions, object types, usernames), for filter menus.

    Read by skipping through the column's index from one value to the next, one index look-up per
    distinct value (a recursive query), instead of reading every entry: the log grows without end,
    the number of its users, actions and object types hardly at all.
    """
    found = select(func.min(column).label("value")).cte("found", recursive=True)
    following = select(func.min(column)).where(column > found.c.value).scalar_subquery()
    found = found.union_all(select(following).where(found.c.value.is_not(None)))
    values = db.session.scalars(select(found.c.value).where(found.c.value.is_not(None)).order_by(found.c.value))
    return [value for value in values if value]


def matching_usernames(username: str) -> list[str]:
    """The usernames in the log that match `username` ignoring case (so an index finds their entries)."""
    wanted = username.strip().lower()
    return [name for name in distinct_values(AuditEntry.username) if name.lower() == wanted]


def as_dict(entry: AuditEntry) -> dict:
    """The JSON form printed by `audit list --json`; keep its keys stable."""
    has_object = entry.object_type is not None
    return {
        "at": entry.at_dt.astimezone(UTC).isoformat(timespec="seconds"),
        "user": entry.username,
        "action": entry.action,
        "object": (
            {"type": entry.object_type, "id": entry.object_id, "label": entry.object_label} if has_object else None
        ),
        "changes": entry.changes,
    }
