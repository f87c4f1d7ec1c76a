"""`flask backup PATH`: a consistent copy of the SQLite database while the tracker runs."""

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.backup import BackupError, backup_sqlite, postgres_instructions


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


COMMANDS = (backup_command,)
