"""Migrations build the whole schema on an empty SQLite file and an empty PostgreSQL database."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from tests.helpers import postgres_url
from tracker import create_app
from tracker.extensions import db


def _is_audit_guarded() -> bool:
    """Whether the database refuses a raw UPDATE of an audit row (inserting one if there is none)."""
    with db.engine.begin() as connection:
        if not connection.scalar(sa.text("SELECT count(*) FROM audit_entries")):
            connection.execute(sa.text("INSERT INTO audit_entries (at_dt, action) VALUES (CURRENT_TIMESTAMP, 'x')"))
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE audit_entries SET action = 'endret'"))
    except sa.exc.DBAPIError as exc:
        assert "append-only" in str(exc)
        return True
    return False


def _assert_upgrade_matches_models(url: str) -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        tables = set(sa.inspect(db.engine).get_table_names())
        # The audit guard: created by the migration, gone after a downgrade, back after an upgrade.
        guarded = [_is_audit_guarded()]
        downgrade(revision="0007-1")  # the revision before the guard
        guarded.append(_is_audit_guarded())
        upgrade()
        guarded.append(_is_audit_guarded())
        db.engine.dispose()
    assert differences == []
    assert set(db.metadata.tables) <= tables
    assert guarded == [True, False, True]


def test_migrations_upgrade_an_empty_sqlite_file(tmp_path):
    _assert_upgrade_matches_models(f"sqlite:///{tmp_path / 'empty.sqlite'}")


def test_migrations_upgrade_an_empty_postgresql_database():
    base_url = postgres_url()
    if base_url is None:
        pytest.skip("PostgreSQL is not reachable")
    name = f"tracker_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        _assert_upgrade_matches_models(base_url.rsplit("/", 1)[0] + "/" + name)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
