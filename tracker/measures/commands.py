"""`flask portfolio …` commands: import, export and summary."""

import json

import click
from flask.cli import AppGroup

from tracker.accounts.permissions import SYSTEM
from tracker.benefits.summary import portfolio_summary
from tracker.cli import import_or_exit
from tracker.database_setup import writes
from tracker.measures.excel import write_portfolio_workbook
from tracker.measures.importing import PortfolioImportError, import_file
from tracker.money import format_mnok
from tracker.periods import Quarter
from tracker.portfolio import queries
from tracker.portfolio.lookups import programme_option, programme_or_exit

portfolio_cli = AppGroup("portfolio", help="Import, export and summarise the portfolio.")


@portfolio_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@writes
def import_command(path: str) -> None:
    """Import a portfolio from JSON (the data file format) or the tracker's Excel export."""
    import_or_exit(lambda: import_file(path, SYSTEM), PortfolioImportError)


@portfolio_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@programme_option
def export_command(path: str, programme: str | None) -> None:
    """Write the portfolio to an Excel file (.xlsx) that `portfolio import` reads back."""
    found = programme_or_exit(programme)
    measures = queries.load_measures(found)
    write_portfolio_workbook(found, measures, path)
    click.echo(f"Eksporterte {len(measures)} tiltak til {path}.")


@portfolio_cli.command("summary")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@programme_option
@click.option("--as-of", "as_of", default=None, help="Quarter of the figures, e.g. 2026-Q2 (default: the current one).")
def summary_command(as_json: bool, programme: str | None, as_of: str | None) -> None:
    """Planned, forecast and realised savings per year and work group (positive kroner = saving)."""
    try:
        quarter = Quarter.parse(as_of) if as_of else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from exc
    found = programme_or_exit(programme)
    summary = portfolio_summary(found, quarter)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    if summary.get("note"):
        click.echo(summary["note"])
    click.echo(f"{summary['programme']}: {summary['measures']} tiltak, per {summary['as_of']} (mill. kr)")
    for year, row in summary["years"].items():
        target = f", mål {format_mnok(row['target_nok'])}" if row["target_nok"] is not None else ""
        click.echo(
            f"  {year}: planlagt {format_mnok(row['planned_savings_nok'])}, prognose {format_mnok(row['forecast_nok'])}, "
            f"realisert {format_mnok(row['realised_nok'])}{target}"
        )


COMMANDS = (portfolio_cli,)
