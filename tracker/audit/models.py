"""The audit trail: append-only records of who changed what, and when."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import UTCDateTime, utcnow
from tracker.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as text too, so the entry still says who it was if the account is renamed.
    username: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None]
    object_label: Mapped[str | None] = mapped_column(String(300))
    # The measure an entry belongs to, so a measure's history page is one query.
    measure_id: Mapped[int | None] = mapped_column(index=True)
    changes: Mapped[dict | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(64))
