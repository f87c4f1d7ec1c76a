"""`flask accounting …`: importing ledger lines (actuals and budgets) from the accounting system."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.accounting.importing import LedgerImportError, import_ledger
from tracker.accounting.rules import KIND_ACTUAL, KIND_BUDGET
from tracker.accounts.permissions import SYSTEM
from tracker.cli import import_or_exit

accounting_cli = AppGroup("accounting", help="Regnskap: import of ledger actuals and budgets.")
# The operator's own files may be far larger than a web upload.
CLI_MAX_XLSX_BYTES = 2 * 1024 * 1024 * 1024


@accounting_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice([KIND_ACTUAL, KIND_BUDGET]), default=KIND_ACTUAL, show_default=True)
def import_command(path: str, kind: str) -> None:
    """Import ledger lines (.csv or .xlsx); each (kind, year, period) in the file replaces the stored one."""
    started = time.perf_counter()
    max_xlsx_bytes = max(CLI_MAX_XLSX_BYTES, current_app.config["MAX_XLSX_UNCOMPRESSED_BYTES"])
    import_or_exit(lambda: import_ledger(path, kind, SYSTEM, max_xlsx_bytes), LedgerImportError)
    click.echo(f"Tid: {time.perf_counter() - started:.1f} s".replace(".", ","))


COMMANDS = (accounting_cli,)
