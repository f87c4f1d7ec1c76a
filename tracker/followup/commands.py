"""`flask measures show CODE --json [--as-of YYYY-MM-DD]`: one measure's follow-up."""

import json
from datetime import date

import click
from flask.cli import AppGroup

from tracker.followup import services
from tracker.periods import today_oslo

measures_cli = AppGroup("measures", help="Show one measure with its follow-up.")


def parse_as_of(value: str | None) -> date:
    """--as-of as an ISO date; today in Europe/Oslo when not given."""
    if not value:
        return today_oslo()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"«{value}» er ikke en dato på formen ÅÅÅÅ-MM-DD.") from exc


@measures_cli.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--as-of", "as_of", default=None, help="Milestone states as of this date (YYYY-MM-DD).")
def show_command(code: str, as_json: bool, as_of: str | None) -> None:
    """Print a measure with milestones, KPIs, updates, risk, dependencies and employee consequences."""
    measure = services.find_measure(code)
    if measure is None:
        raise click.ClickException(f"Fant ikke tiltak {code}.")
    data = services.measure_followup(measure, parse_as_of(as_of))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['code']} {data['title']} ({data['status']}), ansvarlig: {data['owner'] or '–'}")
    for milestone in data["milestones"]:
        click.echo(
            f"  [{milestone['state']}] {milestone['due_date'] or milestone['when_text'] or '–'}: {milestone['title']}"
        )
    risk = data["risk"]
    click.echo(f"  Organisatorisk risiko: {risk['level'] or 'ikke vurdert'}")


COMMANDS = (measures_cli,)
