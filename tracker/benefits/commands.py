"""`flask benefits …` (import and export of figures) and `flask periods …` (closing quarters)."""

from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.accounts.permissions import SYSTEM
from tracker.benefits import queries, services
from tracker.benefits.export import figures_workbook
from tracker.benefits.importing import FiguresImportError, import_figures
from tracker.benefits.pages import quarter_template_bytes
from tracker.benefits.programme import programme_figures
from tracker.cli import commit_or_exit, import_or_exit
from tracker.database_setup import writes
from tracker.periods import Quarter, current_quarter, format_datetime
from tracker.portfolio.lookups import example_data_flag, programme_option, programme_or_exit

benefits_cli = AppGroup("benefits", help="Quarterly savings figures: import and export.")
periods_cli = AppGroup("periods", help="Reporting quarters: list and close.")


def _quarter(text: str | None) -> Quarter:
    try:
        return Quarter.parse(text) if text else current_quarter()
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@benefits_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@programme_option
@writes
def import_command(path: str, programme: str | None) -> None:
    """Import quarterly figures from an .xlsx file; a file with any bad row stores nothing."""
    found = programme_or_exit(programme)
    import_or_exit(lambda: import_figures(found, Path(path).read_bytes(), SYSTEM), FiguresImportError)


@benefits_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--as-of", "as_of", default=None, help="Quarter, e.g. 2026-Q2 (default: the current quarter).")
@programme_option
def export_command(path: str, as_of: str | None, programme: str | None) -> None:
    """Write the benefits figures (per year, group, effect type, measure, deviations) to .xlsx."""
    programme = programme_or_exit(programme)
    quarter = _quarter(as_of)
    data = figures_workbook(programme.name, programme_figures(programme, quarter), example_data_flag())
    Path(path).write_bytes(data)
    click.echo(f"Skrev gevinsttallene per {quarter.label} til {path}")


@benefits_cli.command("export-quarter")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--quarter", "quarter_key", default=None, help="Quarter, e.g. 2026-Q3 (default: the current quarter).")
@programme_option
def export_quarter_command(path: str, quarter_key: str | None, programme: str | None) -> None:
    """Write a quarter's figures in the import's format (a «Prognose ÅÅÅÅ (kr)» column per later year)."""
    programme = programme_or_exit(programme)
    quarter = _quarter(quarter_key)
    Path(path).write_bytes(quarter_template_bytes(programme, quarter))
    click.echo(f"Skrev kvartalstallene for {quarter.label} til {path}")


@periods_cli.command("close")
@click.argument("quarter")
@writes
def close_command(quarter: str) -> None:
    """Close a quarter (e.g. 2026-Q2): its figures then change only by correction with a reason."""
    period = _quarter(quarter)
    commit_or_exit(lambda: services.close_quarter(period, SYSTEM), services.BenefitsError, f"{period.label} er lukket.")


@periods_cli.command("list")
def list_command() -> None:
    """List the closed quarters and the current one."""
    click.echo(f"Nåværende kvartal: {current_quarter().key}")
    closed = queries.closed_quarters()
    if not closed:
        click.echo("Ingen lukkede kvartaler.")
    for item in closed:
        who = item.closed_by.username if item.closed_by else "kommandolinjen"
        click.echo(f"{item.period.key} lukket {format_datetime(item.closed_dt)} av {who}")


COMMANDS = (benefits_cli, periods_cli)
