"""`flask accounting …`: importing ledger lines (actuals and budgets) from the accounting system."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.accounting.importing import LedgerImportError, import_ledger
from tracker.accounting.rules import KIND_ACTUAL, KIND_BUDGET
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db

accounting_cli = AppGroup("accounting", help="Regnskap: import of ledger actuals and budgets.")
# The operator's own files may be far larger than a web upload.
CLI_MAX_XLSX_BYTES = 2 * 1024 * 1024 * 1024


@accounting_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice([KIND_ACTUAL, KIND_BUDGET]), default=KIND_ACTUAL, show_default=True)
def import_command(path: str, kind: str) -> None:
    """Import ledger lines (.csv or .xlsx); each (kind, year, period) in the file replaces the stored one."""
    started = time.perf_counter()
    try:
        result = import_ledger(
            path, kind, SYSTEM, max(CLI_MAX_XLSX_BYTES, current_app.config["MAX_XLSX_UNCOMPRESSED_BYTES"])
        )
    except LedgerImportError as exc:
        db.session.rollback()
        raise click.ClickException("Filen ble avvist, ingenting er lagret:\n" + "\n".join(exc.errors)) from exc
    db.session.commit()
    click.echo("\n".join(result.summary_lines()))
    click.echo(f"Tid: {time.perf_counter() - started:.1f} s".replace(".", ","))


COMMANDS = (accounting_cli,)
