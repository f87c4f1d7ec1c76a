"""`flask backup` and `flask restore`: consistent SQLite copies, nothing lost on restore, files 0600."""

import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from tracker import create_app, ensure_secret_key
from tracker.accounts.models import User
from tracker.accounts.permissions import SYSTEM
from tracker.accounts.services import create_user
from tracker.backup import BackupError, backup_sqlite, postgres_instructions
from tracker.extensions import db
from tracker.files import sqlite_files


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


# --- restore ------------------------------------------------------------------------------------

# A tracker process that commits and is then killed: its committed rows are still only in the
# -wal (no checkpoint ran), as after a crash or a `kill -9` during the night.
_WRITE_THEN_DIE = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint=0")
for number in range(1, 5):
    connection.execute(
        "INSERT INTO users (username, full_name, role, password_hash, is_enabled, session_epoch, "
        "must_change_password, created_dt, updated_dt) VALUES (?, '', 'leser', 'x', 1, 0, 0, "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        (f"etter-kopien-{number}",),
    )
os._exit(0)
"""
AFTER_BACKUP = {f"etter-kopien-{number}" for number in range(1, 5)}


def _files_of(path) -> list:
    return [candidate for candidate in sqlite_files(path) if candidate.exists()]


def test_restore_keeps_rows_committed_after_the_backup_in_the_moved_aside_database(sqlite_app, tmp_path):
    live, backup = tmp_path / "live.sqlite", tmp_path / "kopi.sqlite"
    backup_sqlite(sqlite_app.config["SQLALCHEMY_DATABASE_URI"], backup)
    with sqlite_app.app_context():
        db.engine.dispose()  # the tracker is stopped before a restore
    subprocess.run([sys.executable, "-c", _WRITE_THEN_DIE, str(live)], check=True)
    assert Path(f"{live}-wal").stat().st_size > 0
    main_file_only = tmp_path / "uten-wal.sqlite"
    shutil.copyfile(live, main_file_only)
    assert _usernames(main_file_only) == {"kari"}  # the four rows are only in the -wal

    result = sqlite_app.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])

    assert result.exit_code == 0, result.output
    aside = Path(result.output.split("flyttet til ")[1].split(" (")[0])
    assert aside.name.startswith("live.sqlite.replaced-")
    assert {path.name for path in _files_of(aside)} >= {aside.name, f"{aside.name}-wal"}
    assert _files_of(live) == [live]  # no -wal of the old database beside the restored one
    assert _usernames(live) == {"kari"}
    assert _usernames(aside) == {"kari"} | AFTER_BACKUP  # nothing committed is lost
    with sqlite3.connect(live) as restored:
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stat.S_IMODE(live.stat().st_mode) == 0o600


def test_restore_asks_before_it_replaces_the_database(sqlite_app, tmp_path):
    backup = tmp_path / "kopi.sqlite"
    backup_sqlite(sqlite_app.config["SQLALCHEMY_DATABASE_URI"], backup)
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code != 0
    assert not list(tmp_path.glob("live.sqlite.replaced-*"))


def test_restore_refuses_a_broken_backup_and_leaves_the_database_alone(sqlite_app, tmp_path):
    broken = tmp_path / "ødelagt.sqlite"
    broken.write_bytes(b"ikke en database" * 100)
    with sqlite_app.app_context():
        db.engine.dispose()

    result = sqlite_app.test_cli_runner().invoke(args=["restore", "--yes", str(broken)])

    assert result.exit_code != 0 and "integritetskontrollen" in result.output
    assert _usernames(tmp_path / "live.sqlite") == {"kari"}
    assert not list(tmp_path.glob("live.sqlite.replaced-*"))
    assert not list(tmp_path.glob("*.part"))


def test_on_postgresql_restore_prints_the_pg_restore_command_and_fails(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://tracker@db.example:5432/tracker")
    backup = tmp_path / "kopi.dump"
    backup.write_bytes(b"")
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code == 1
    assert "pg_restore --clean" in result.output


# --- files only the tracker's user can read ----------------------------------------------------


def test_database_files_and_backups_are_readable_by_the_owner_only(sqlite_app, tmp_path):
    with sqlite_app.app_context():
        db.session.execute(select(User.id))  # a connection is open: -wal and -shm exist
        backup = backup_sqlite(sqlite_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "kopi.sqlite")
        live_files = _files_of(tmp_path / "live.sqlite")
        db.session.rollback()
    assert len(live_files) >= 2
    for path in [*live_files, backup]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_existing_world_readable_database_is_narrowed_when_opened(tmp_path):
    path = tmp_path / "gammel.sqlite"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_generated_secret_key_is_readable_by_the_owner_only(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    app.instance_path = str(tmp_path / "instance")
    app.config["SECRET_KEY"] = None
    ensure_secret_key(app)
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text() and len(key_file.read_text()) == 64
