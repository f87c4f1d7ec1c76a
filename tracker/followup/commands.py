"""`flask measures show CODE --json [--as-of YYYY-MM-DD]`: one measure's follow-up."""

import json

import click
from flask.cli import AppGroup

from tracker.cli import parse_as_of
from tracker.followup import services
from tracker.portfolio.lookups import programme_option, programme_or_exit
from tracker.text import line, text_problem

measures_cli = AppGroup("measures", help="Show one measure with its follow-up.")


@measures_cli.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--as-of", "as_of", default=None, help="Milestone states as of this date (YYYY-MM-DD).")
@programme_option
def show_command(code: str, as_json: bool, as_of: str | None, programme: str | None) -> None:
    """Print a measure with milestones, KPIs, updates, risk, dependencies and employee consequences.

    Codes are unique within a programme: CODE is looked up in --programme, else the default one.
    """
    problem = text_problem(code, line(20))
    if problem:
        raise click.BadParameter(problem, param_hint="CODE")
    found = programme_or_exit(programme)
    measure = services.find_measure(code, found)
    if measure is None:
        raise click.ClickException(f"Fant ikke tiltak {code} i programmet «{found.name}».")
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
