"""Recording audit entries. Called by services inside the same transaction as the change."""

from typing import Any

from tracker.audit.models import AuditEntry
from tracker.extensions import db


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
    """Add an audit entry to the session; the caller's commit stores it with the change."""
    if measure_id is None and obj is not None:
        measure_id = getattr(obj, "measure_id", None)
        if obj.__class__.__name__ == "Measure":
            measure_id = obj.id
    entry = AuditEntry(
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
