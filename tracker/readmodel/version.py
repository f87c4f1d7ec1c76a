"""The data version: which transactions change the data the read models are computed from.

Every write goes through a SQLAlchemy session. The session events below notice a change to any
table of the portfolio's data (ORM objects in a flush, or INSERT/UPDATE/DELETE statements run
through the session) and, when that transaction commits, add one to the version in the same
transaction. A reader that sees a version therefore sees the data committed with it, on every
worker and every host, and caches keyed by the version (readmodel.cache) are never stale.

The version is bumped at commit, not at the first flush: on PostgreSQL the UPDATE locks the one
row until the commit, and taking that lock last means two writers can never deadlock over it.
"""

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session

from tracker.readmodel.models import THE_ROW_ID, DataVersion

# Bookkeeping written on log-ins, requests, API calls, report runs and mail; no read model is
# computed from it. Every other table counts (the accounting ledger, its filters and deflators
# too: they change the figures shown), so a new table is covered without anyone remembering it.
BOOKKEEPING_TABLES = frozenset(
    {
        "audit_entries",
        "user_sessions",
        "login_attempts",
        "login_guards",
        "api_tokens",
        "reports",
        "report_runs",
        "report_outbox",
        "report_recipients",
        "update_reminders",
        "data_version",
    }
)
# Columns written on every log-in or password change (entra_tid: at the first Microsoft sign-in),
# and the programme a user chose in the header (a preference: every cached value that shows one
# programme's data has the programme's id in its key); a user's name and role do count (owners'
# names are on the pages).
BOOKKEEPING_COLUMNS = {
    "users": frozenset(
        {
            "last_login_dt",
            "password_hash",
            "session_epoch",
            "must_change_password",
            "entra_tid",
            "current_programme_id",
        }
    )
}
_PENDING_BUMP = "readmodel_pending_bump"  # changed data that the next commit must announce
_UNCOMMITTED = "readmodel_uncommitted"  # this transaction changed data: its reads bypass the caches
_VERSION = "readmodel_version"  # the version this transaction read
_NO_ROW = "no row"

_READ = select(DataVersion.version).where(DataVersion.id == bindparam("row_id"))
_BUMP = update(DataVersion).where(DataVersion.id == THE_ROW_ID).values(version=DataVersion.version + 1)


def _counts(table_name: str | None) -> bool:
    return table_name not in BOOKKEEPING_TABLES


def _table_name(obj) -> str | None:
    table = getattr(type(obj), "__table__", None)
    return getattr(table, "name", None)


def _counts_modified(session: Session, obj) -> bool:
    name = _table_name(obj)
    if not _counts(name) or not session.is_modified(obj):
        return False
    ignored = BOOKKEEPING_COLUMNS.get(name)
    if ignored is None:
        return True
    return any(attr.history.has_changes() for attr in inspect(obj).attrs if attr.key not in ignored)


def changes_data(session: Session) -> bool:
    """True if the session's pending changes touch a table the read models depend on."""
    if any(_counts(_table_name(obj)) for obj in session.new):
        return True
    if any(_counts(_table_name(obj)) for obj in session.deleted):
        return True
    return any(_counts_modified(session, obj) for obj in session.dirty)


def _mark_changed(session: Session) -> None:
    session.info[_PENDING_BUMP] = True
    session.info[_UNCOMMITTED] = True


def note_data_change(session: Session) -> None:
    """Count a write the session events cannot see (SQL run on the session's connection directly)."""
    _mark_changed(session)


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session, flush_context, instances) -> None:  # noqa: ARG001
    if not session.info.get(_PENDING_BUMP) and changes_data(session):
        _mark_changed(session)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if _counts(getattr(table, "name", None)):
            _mark_changed(state.session)


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session) -> None:
    """Announce the transaction's changes: one more version, committed with them."""
    session.flush()
    if session.info.pop(_PENDING_BUMP, False):
        session.connection().execute(_BUMP)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_transaction_end(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING_BUMP, None)
        session.info.pop(_UNCOMMITTED, None)
        session.info.pop(_VERSION, None)


def current_version(session: Session) -> int | None:
    """The committed data version, read once per transaction (one small SELECT).

    None means "do not cache": this transaction has changed data it has not committed (a cache
    entry must never hold what another transaction cannot see), or the row is missing.
    """
    if session.autoflush:
        session.flush()
    elif changes_data(session):
        return None
    if session.info.get(_UNCOMMITTED):
        return None
    version = session.info.get(_VERSION)
    if version is None:
        version = session.connection().execute(_READ, {"row_id": THE_ROW_ID}).scalar()
        session.info[_VERSION] = _NO_ROW if version is None else version
    return None if version == _NO_ROW else version


def forget_version(session: Session) -> None:
    """Read the version again at the next cached read (each request starts with this)."""
    session.info.pop(_VERSION, None)
