"""Consistent backups while the tracker runs. No Flask: takes a database URL and a target path.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page of one consistent
snapshot, even while other processes write (WAL lets the writer go on meanwhile); a transaction
that has not committed is not in the copy. The copy is written next to the target and renamed
into place, so a half-written file never carries the target's name; it is readable by its owner
only. Restoring moves the old database aside with its -wal and -shm files. PostgreSQL: use
pg_dump and pg_restore.
"""

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from tracker.files import create_owner_only, sqlite_files


class BackupError(RuntimeError):
    """A backup that cannot be made this way (Norwegian message)."""


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite database URL, or BackupError for other databases or in-memory ones."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(postgres_instructions(database_url))
    if not url.database or url.database == ":memory:":
        raise BackupError("Databasen ligger bare i minnet og kan ikke sikkerhetskopieres.")
    return Path(url.database)


def backup_sqlite(database_url: str, target: str | Path, overwrite: bool = False) -> Path:
    """Copy the live SQLite database to `target` and check the copy; returns the target path."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"Fant ikke databasefilen {source_path}.")
    target = Path(target).resolve()
    if target == source_path.resolve():
        raise BackupError("Sikkerhetskopien kan ikke skrives over selve databasen.")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} finnes allerede. Velg et annet filnavn eller bruk --overwrite.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    _checked_copy(source_path, partial)
    os.replace(partial, target)
    return target


def _checked_copy(source_path: Path, partial: Path) -> None:
    """Copy one consistent snapshot of `source_path` to a new owner-only file and check it."""
    for path in sqlite_files(partial):  # a -wal left by an earlier attempt would be replayed into the copy
        path.unlink(missing_ok=True)
    create_owner_only(partial)  # SQLite gives the copy's -wal and -shm the same mode
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # all pages in one step: one consistent snapshot
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    finally:
        copy.close()
        source.close()
    if result != "ok":
        for path in sqlite_files(partial):
            path.unlink(missing_ok=True)
        raise BackupError(f"Kopien besto ikke integritetskontrollen: {result}")


def restore_sqlite(database_url: str, backup: str | Path, now_dt: datetime) -> Path:
    """Put a backup in place of the SQLite database; returns where the old database was moved.

    The tracker must be stopped. The backup is copied and checked before anything is moved. The
    old database is moved aside together with its -wal and -shm files: rows it committed after
    the backup may still be only in its -wal, and SQLite reads them back when the moved database
    is opened. A -wal left beside the restored file would instead be replayed into it.
    """
    live = sqlite_path(database_url)
    backup = Path(backup).resolve()
    if not backup.is_file():
        raise BackupError(f"Fant ikke sikkerhetskopien {backup}.")
    if backup == live.resolve():
        raise BackupError("Sikkerhetskopien er selve databasen.")
    live.parent.mkdir(parents=True, exist_ok=True)
    partial = live.with_name(live.name + ".restore.part")
    _checked_copy(backup, partial)
    aside = _move_aside(live, now_dt)
    os.replace(partial, live)
    return aside


def _move_aside(live: Path, now_dt: datetime) -> Path:
    """Rename the database and its companion files to `<name>.replaced-<time>` (+ the same suffixes)."""
    stamp = now_dt.strftime("%Y%m%dT%H%M%SZ")
    aside = live.with_name(f"{live.name}.replaced-{stamp}")
    number = 1
    while any(path.exists() for path in sqlite_files(aside)):
        number += 1
        aside = live.with_name(f"{live.name}.replaced-{stamp}-{number}")
    for current, moved in zip(sqlite_files(live), sqlite_files(aside), strict=True):
        if current.exists():
            os.replace(current, moved)
    return aside


def _libpq_url(database_url: str) -> str:
    """The URL as pg_dump understands it (no "+psycopg" driver part), password hidden."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=True)


def postgres_instructions(database_url: str, target: str | None = None) -> str:
    """How to back up and restore a PostgreSQL database with its own tools."""
    url = _libpq_url(database_url)
    target = target or "tracker-$(date +%F).dump"
    return (
        "Databasen er PostgreSQL. Ta sikkerhetskopi med PostgreSQLs eget verktøy:\n"
        f"  pg_dump --format=custom --file={target} '{url}'\n"
        "Gjenopprett med:\n"
        f"  pg_restore --clean --if-exists --no-owner --dbname='{url}' {target}\n"
        "(Passordet er skjult; bruk PGPASSWORD eller ~/.pgpass.)"
    )
