"""`flask updates …`: reporting rounds and reminder mails."""

import click
from flask.cli import AppGroup

from tracker.accounts.permissions import SYSTEM
from tracker.cli import parse_as_of
from tracker.database_setup import writes
from tracker.extensions import db
from tracker.periods import Quarter, parse_date
from tracker.portfolio.lookups import programme_option, programme_or_exit
from tracker.updates import services

updates_cli = AppGroup("updates", help="Quarterly status updates: rounds and reminders.")


@updates_cli.command("send-reminders")
@click.option("--as-of", "as_of", default=None, help="Treat this date (YYYY-MM-DD) as today.")
def send_reminders_command(as_of: str | None) -> None:
    """Mail each owner still missing an update in a round whose deadline is near (once per round)."""
    sent = services.send_due_reminders(parse_as_of(as_of), SYSTEM)
    click.echo(f"Påminnelser sendt: {sent}")


@updates_cli.command("create-round")
@click.argument("quarter")
@click.option("--deadline", required=True, help="Deadline, 31.03.2026 or 2026-03-31.")
@programme_option
@writes
def create_round_command(quarter: str, deadline: str, programme: str | None) -> None:
    """Open a reporting round for a quarter (e.g. 2026-Q2) with a deadline."""
    programme = programme_or_exit(programme)
    try:
        period, deadline_date = Quarter.parse(quarter), parse_date(deadline)
        reporting_round = services.create_round(programme, period, deadline_date, SYSTEM)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Rapporteringsrunde {reporting_round.period.key} opprettet, frist {deadline_date.isoformat()}.")


COMMANDS = (updates_cli,)
