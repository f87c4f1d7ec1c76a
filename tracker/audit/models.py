"""The audit trail: append-only records of who changed what, and when."""

from datetime import datetime

from sqlalchemy import JSON, Connection, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.database import UTCDateTime, utcnow
from tracker.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id"),
        # The log page's filters (and their menus): newest first within one action or one user.
        Index("ix_audit_entries_action_at_dt", "action", "at_dt"),
        Index("ix_audit_entries_username_at_dt", "username", "at_dt"),
    )

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


class AuditImmutableError(RuntimeError):
    """Raised when code tries to change or delete an audit entry: the trail is append-only."""


@event.listens_for(Session, "before_flush")
def _refuse_changing_audit_entries(session, flush_context, instances) -> None:  # noqa: ARG001
    for entry in session.deleted:
        if isinstance(entry, AuditEntry):
            raise AuditImmutableError("Audit entries cannot be deleted.")
    for entry in session.dirty:
        if isinstance(entry, AuditEntry) and session.is_modified(entry):
            raise AuditImmutableError("Audit entries cannot be changed.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes_to_audit_entries(state) -> None:
    if (state.is_update or state.is_delete) and any(mapper.class_ is AuditEntry for mapper in state.all_mappers):
        raise AuditImmutableError("Audit entries cannot be changed or deleted.")


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditImmutableError("Audit entries cannot be changed.")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditImmutableError("Audit entries cannot be deleted.")


# --- the database's own guard -------------------------------------------------------------------
# The ORM hooks above stop the tracker's code; these triggers stop everything else that speaks SQL
# (a script, a console, a bug that bypasses the ORM). Migration 0005 creates them on a migrated
# database, `after_create` on one built by create_all (the tests). A table rebuilt by a SQLite
# batch migration loses its triggers: such a migration must create them again.
# PostgreSQL's TRUNCATE is not a DELETE and fires no row trigger: keep it from the app's role.

APPEND_ONLY = "audit_entries is append-only"
GUARD_DDL = {
    "sqlite": (
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: UPDATE refused'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: DELETE refused'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION USING MESSAGE = '{APPEND_ONLY}: ' || TG_OP || ' refused'; END $$",
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    ),
}
GUARD_DROP_DDL = {
    "sqlite": ("DROP TRIGGER IF EXISTS audit_entries_no_update", "DROP TRIGGER IF EXISTS audit_entries_no_delete"),
    "postgresql": (
        "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
        "DROP FUNCTION IF EXISTS audit_entries_append_only()",
    ),
}


def create_guard(connection: Connection) -> None:
    """Create the triggers that refuse UPDATE and DELETE of audit rows (SQLite and PostgreSQL)."""
    for statement in GUARD_DDL.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def drop_guard(connection: Connection) -> None:
    """Drop those triggers: only for emptying a test database; the tracker never calls it."""
    for statement in GUARD_DROP_DDL.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


@event.listens_for(AuditEntry.__table__, "after_create")
def _guard_new_table(target, connection, **kw) -> None:  # noqa: ARG001
    create_guard(connection)
