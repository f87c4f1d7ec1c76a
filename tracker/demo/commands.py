"""`flask demo load`: example data so the dashboards can be shown (marked "Eksempeldata")."""

import click
from flask.cli import AppGroup

from tracker.accounts.permissions import SYSTEM
from tracker.database_setup import writes
from tracker.demo.services import DemoError, load_demo
from tracker.extensions import db
from tracker.periods import Quarter

demo_cli = AppGroup("demo", help="Example data for demonstrations (always marked Eksempeldata).")


@demo_cli.command("load")
@click.option("--as-of", "as_of", default=None, help="Latest quarter of example figures (default: the current one).")
@writes
def load_command(as_of: str | None) -> None:
    """Adopt measures, create example owners and report two quarters of example figures."""
    try:
        quarter = Quarter.parse(as_of) if as_of else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    try:
        result = load_demo(quarter, SYSTEM)
    except DemoError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Eksempeldata lastet i «{result.programme}»: {result.adopted} tiltak vedtatt, {result.rejected} ikke vedtatt,"
    )
    click.echo(f"{result.figures} kvartalsrapporter for {' og '.join(result.quarters)}.")
    click.echo(f"{result.ledger_lines} regnskapslinjer (eksempeldata, prosjekt EKSEMPEL) koblet til tiltakene.")
    follow_up = result.follow_up
    click.echo(
        f"{follow_up.assessments} risikovurderinger, {follow_up.consequences} registreringer av konsekvenser for ansatte,"
        f" {follow_up.kpis} KPI-er med målinger og {follow_up.updates} statusrapporter for siste kvartal."
    )
    click.echo("Alle sider og eksporter viser nå «Eksempeldata».")
    for username, password in result.owners.items():
        if password:
            click.echo(f"Eksempelbruker {username}, engangspassord: {password}")


COMMANDS = (demo_cli,)
