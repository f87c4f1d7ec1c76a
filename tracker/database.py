"""Declarative base with a constraint naming convention, and shared column helpers."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, and_, or_
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

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


def in_quarter(year_column, quarter_column, quarter):
    """SQL condition: a (year, quarter) row is about exactly `quarter` (a tracker.periods.Quarter)."""
    return and_(year_column == quarter.year, quarter_column == quarter.number)


def up_to_quarter(year_column, quarter_column, quarter):
    """SQL condition: a (year, quarter) row lies in or before `quarter` (a tracker.periods.Quarter)."""
    return up_to_year_quarter(year_column, quarter_column, quarter.year, quarter.number)


def up_to_year_quarter(year_column, quarter_column, year, number):
    """SQL condition: a (year, quarter) row lies in or before quarter `number` of `year` (values or bindparams)."""
    return or_(year_column < year, and_(year_column == year, quarter_column <= number))
