"""What the command-line groups share: option parsing and running an import."""

from datetime import date

import click

from tracker.extensions import db
from tracker.periods import parse_iso_date, today_oslo


def parse_as_of(value: str | None) -> date:
    """--as-of as an ISO date between 1900 and 2100; today in Europe/Oslo when not given."""
    if not value:
        return today_oslo()
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from exc


def import_or_exit(run_import, rejected: type[Exception]) -> None:
    """Run an import as one transaction and print its summary; a rejected file stores nothing."""
    try:
        result = run_import()
    except rejected as exc:
        db.session.rollback()
        raise click.ClickException("Filen ble avvist, ingenting er lagret:\n" + "\n".join(exc.messages)) from exc
    db.session.commit()
    click.echo("\n".join(result.summary_lines()))


def commit_or_exit(run, refused: type[Exception], message: str) -> None:
    """Run one service call as SYSTEM's transaction: commit and print `message`, or exit with its refusal."""
    try:
        run()
    except refused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(message)
