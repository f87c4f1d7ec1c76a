"""`flask backup PATH`: a consistent copy of the SQLite database while the tracker runs;
`flask restore PATH`: put a copy back in place (with the tracker stopped)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.backup import BackupError, backup_sqlite, postgres_instructions, restore_sqlite
from tracker.database import utcnow


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: str, overwrite: bool) -> None:
    """Copy the SQLite database to PATH with SQLite's online backup API (safe while running).

    On PostgreSQL it prints the pg_dump command to use instead and exits with status 1.
    """
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        click.echo(postgres_instructions(url, path), err=True)
        raise SystemExit(1)
    try:
        target = backup_sqlite(url, path, overwrite=overwrite)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Sikkerhetskopi skrevet til {target} ({target.stat().st_size:,} byte).".replace(",", " "))


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: str, yes: bool) -> None:
    """Replace the SQLite database by the backup PATH. Stop the tracker (web and scheduler) first.

    The old database is kept beside it as <name>.replaced-<time>, with its -wal and -shm files,
    so nothing it committed is lost. On PostgreSQL it prints the pg_restore command and exits 1.
    """
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        click.echo(postgres_instructions(url, path), err=True)
        raise SystemExit(1)
    if not yes:
        click.confirm("Er trackeren (web og planlegger) stoppet, og skal databasen erstattes?", abort=True)
    try:
        aside = restore_sqlite(url, path, utcnow())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Databasen er gjenopprettet fra {path}.")
    click.echo(f"Den gamle databasen er flyttet til {aside} (med eventuelle -wal- og -shm-filer).")
    click.echo("Kjør «flask --app wsgi db upgrade» hvis kopien er fra en eldre versjon, og start trackeren.")


COMMANDS = (backup_command, restore_command)
