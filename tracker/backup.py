"""Consistent backups while the tracker runs. No Flask: takes a database URL and a target path.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page of one consistent
snapshot, even while other processes write (WAL lets the writer go on meanwhile); a transaction
that has not committed is not in the copy. The copy is written next to the target and renamed
into place, so a half-written file never carries the target's name. PostgreSQL: use pg_dump.
"""

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


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
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # all pages in one step: one consistent snapshot
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"Kopien besto ikke integritetskontrollen: {result}")
    os.replace(partial, target)
    return target


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
