"""`flask backup PATH`: a consistent SQLite copy while others write; PostgreSQL points to pg_dump."""

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from tracker import create_app
from tracker.accounts.models import User
from tracker.accounts.permissions import SYSTEM
from tracker.accounts.services import create_user
from tracker.backup import BackupError, backup_sqlite, postgres_instructions
from tracker.extensions import db


@pytest.fixture()
def sqlite_app(tmp_path):
    """A running tracker on its own SQLite file (whatever backend the suite is on)."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    with app.app_context():
        db.create_all()
        create_user("kari", "riktig-passord-123", "leser", actor=SYSTEM)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _usernames(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT username FROM users")}


def test_backup_skips_an_open_write_transaction_and_the_copy_restores(sqlite_app, tmp_path):
    live = tmp_path / "live.sqlite"
    writer = sqlite3.connect(live, isolation_level=None, timeout=5)
    writer.execute("BEGIN IMMEDIATE")  # another worker in the middle of a write
    writer.execute(
        "INSERT INTO users (username, full_name, role, password_hash, is_enabled, session_epoch, "
        "must_change_password, created_dt, updated_dt) VALUES ('uferdig', '', 'leser', 'x', 1, 0, 0, "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    try:
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "kopi.sqlite")])
    finally:
        writer.execute("COMMIT")
        writer.close()

    assert result.exit_code == 0, result.output
    assert "Sikkerhetskopi skrevet til" in result.output
    assert _usernames(tmp_path / "kopi.sqlite") == {"kari"}  # committed data, not the open transaction

    restored = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'kopi.sqlite'}")
    with restored.app_context():
        assert db.session.scalar(select(User.username)) == "kari"
        db.engine.dispose()


def test_backup_while_another_thread_keeps_writing_is_consistent(sqlite_app, tmp_path):
    stop = threading.Event()
    written = []

    def keep_writing():
        with sqlite_app.app_context():
            number = 0
            while not stop.is_set():
                number += 1
                create_user(f"bruker{number}", "riktig-passord-123", "leser", actor=SYSTEM)
                db.session.commit()
                written.append(number)

    worker = threading.Thread(target=keep_writing)
    worker.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        backup_sqlite(sqlite_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "kopi.sqlite")
    finally:
        stop.set()
        worker.join()

    with sqlite3.connect(tmp_path / "kopi.sqlite") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        users = copy.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        entries = copy.execute("SELECT COUNT(*) FROM audit_entries WHERE action = 'user.create'").fetchone()[0]
    # Every user in the copy came with its audit entry: the copy is one committed moment.
    assert users >= 6
    assert entries == users
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == len(written) + 1


def test_backup_refuses_to_overwrite_unless_asked(sqlite_app, tmp_path):
    target = tmp_path / "kopi.sqlite"
    target.write_text("gammel kopi")
    runner = sqlite_app.test_cli_runner()

    refused = runner.invoke(args=["backup", str(target)])
    assert refused.exit_code != 0 and "finnes allerede" in refused.output
    assert target.read_text() == "gammel kopi"

    assert runner.invoke(args=["backup", "--overwrite", str(target)]).exit_code == 0
    assert _usernames(target) == {"kari"}


def test_backup_of_an_in_memory_database_is_refused():
    with pytest.raises(BackupError, match="minnet"):
        backup_sqlite("sqlite://", "/tmp/ingenting.sqlite")


def test_on_postgresql_backup_prints_the_pg_dump_command_and_fails(tmp_path):
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://tracker:hemmelig@db.example:5432/tracker"
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "kopi.dump")])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output
    assert "postgresql://tracker:***@db.example:5432/tracker" in result.output
    assert "hemmelig" not in result.output
    assert "pg_restore" in postgres_instructions("postgresql+psycopg://u@h/d")
