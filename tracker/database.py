"""Declarative base with a constraint naming convention, shared column helpers and optimistic locking."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, MetaData, and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from tracker.errors import EditConflict

# The largest id of an Integer primary key (32-bit on PostgreSQL): a larger one names no row.
MAX_ID = 2**31 - 1

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Timezone-aware current UTC time; every *_dt column stores UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """DateTime stored as UTC that always comes back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ARG002
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):  # noqa: ARG002
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class TimestampMixin:
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


# --- optimistic locking: a save made from an older version of a record is refused --------------


class VersionMixin:
    """A version on an editable record: every UPDATE of the row says `WHERE version = ?` and bumps it
    (SQLAlchemy's version_id_col), so a write racing another one updates no row and fails. A row
    inserted by plain SQL (an operator's script) starts at 1 too."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


def check_version(record, seen_version: int | None) -> None:
    """Refuse a save made from another version of `record` than the stored one (EditConflict).

    `seen_version` is the version the form was opened at: 0 when the record did not exist yet, None
    when the input carries no version (imports, scripts), which leaves only the check in the UPDATE.
    """
    if seen_version is not None and seen_version != (record.version if record is not None else 0):
        raise EditConflict(type(record).__name__ if record is not None else "The record")


def lock_and_check_version(session: Session, record, seen_version: int | None) -> None:
    """Read the record's row again and hold it until commit (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    writers are serialised already), then check_version: for a record whose data spans tables (a
    measure and its plan), so the version checked and the rows read after it are one state.

    Without a seen version the one this session loaded counts: a change based on what was read
    before the lock is still refused if someone saved in between. Call it before changing the record.
    """
    expected = record.version if seen_version is None else seen_version
    # OF the record's own table: a relation loaded with it by a join (a risk assessment's indicator) is
    # read, not locked, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    session.refresh(record, with_for_update={"of": type(record)})
    check_version(record, expected)


def flush_or_conflict(session: Session) -> None:
    """Write now, so a save that lost a race fails here as an EditConflict instead of at commit.

    Lost races: the UPDATE … WHERE version = ? hit no row (StaleDataError), or another transaction
    inserted the same new row first (a unique violation, as eight first saves of one quarter do).
    """
    try:
        session.flush()
    except StaleDataError as exc:
        raise EditConflict() from exc
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        raise EditConflict() from exc


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the database refused a row because its unique key is taken (PostgreSQL or SQLite)."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def bump_version(session: Session, record, seen_version: int | None) -> None:
    """For a versioned row that is not version_id_col (users: logins update them concurrently):
    `UPDATE … SET version = version + 1 WHERE id = ? AND version = ?`; no row updated is a conflict."""
    check_version(record, seen_version)
    model = type(record)
    result = session.execute(
        update(model)
        .where(model.id == record.id, model.version == record.version)
        .values(version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise EditConflict(model.__name__)
    set_committed_value(record, "version", record.version + 1)


def in_quarter(year_column, quarter_column, quarter):
    """SQL condition: a (year, quarter) row is about exactly `quarter` (a tracker.periods.Quarter)."""
    return and_(year_column == quarter.year, quarter_column == quarter.number)


def up_to_quarter(year_column, quarter_column, quarter):
    """SQL condition: a (year, quarter) row lies in or before `quarter` (a tracker.periods.Quarter)."""
    return up_to_year_quarter(year_column, quarter_column, quarter.year, quarter.number)


def up_to_year_quarter(year_column, quarter_column, year, number):
    """SQL condition: a (year, quarter) row lies in or before quarter `number` of `year` (values or bindparams)."""
    return or_(year_column < year, and_(year_column == year, quarter_column <= number))
