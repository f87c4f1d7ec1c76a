"""`flask scenarios …`: budget alternatives from the command line (stable; documented in docs/benefits.md)."""

import json
from datetime import date
from decimal import Decimal

import click
from flask.cli import AppGroup

from tracker.accounts.permissions import SYSTEM
from tracker.database_setup import writes
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.money import NumberFormatError, parse_decimal, parse_nok, shown
from tracker.periods import parse_date
from tracker.portfolio.lookups import programme_option, programme_or_exit
from tracker.portfolio.models import Measure
from tracker.scenarios import queries, services, variants
from tracker.text import NAME, line, text_problem

scenarios_cli = AppGroup("scenarios", help="Budget alternatives: selections from the menu, compared and adopted.")


def _checked(value: str, rule, hint: str) -> str:
    """A name or code from the command line, refused with the reason when it breaks its text rule."""
    problem = text_problem(value, rule)
    if problem:
        raise click.BadParameter(problem, param_hint=hint)
    return value


def _scenario_or_exit(name: str, programme: str | None):
    """The scenario NAME of --programme (id or name; default the current one), or a clear exit."""
    scenario = queries.by_name(programme_or_exit(programme), _checked(name, NAME, "NAME"))
    if scenario is None:
        raise click.ClickException(f"Fant ikke budsjettalternativet «{shown(name)}».")
    return scenario


def _commit_or_exit(run):
    """Run a write as one transaction; a refused change stores nothing and exits with the reason."""
    try:
        result = run()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    return result


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@scenarios_cli.command("create")
@click.argument("name")
@click.option("--measures", required=True, help="Codes from the menu, e.g. 1.1,2.3,1.2:alt1 (a variant after ':').")
@click.option("--description", default="", help="What the alternative is about.")
@programme_option
@writes
def create_command(name: str, measures: str, description: str, programme: str | None) -> None:
    """Create a scenario NAME from the measures given."""
    found = programme_or_exit(programme)
    scenario = _commit_or_exit(lambda: services.create_scenario(found, name, measures, SYSTEM, description))
    click.echo(f"Budsjettalternativet «{scenario.name}» er laget med {len(scenario.choices)} tiltak.")


@scenarios_cli.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: name, measures and figures per year.")
@programme_option
def show_command(name: str, as_json: bool, programme: str | None) -> None:
    """Show a scenario's figures per plan year."""
    document = queries.as_json(queries.scenario_figures(_scenario_or_exit(name, programme)))
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    click.echo(f"{document['name']}: {', '.join(document['measures'])}")
    for year, row in document["years"].items():
        gap = "intet mål" if row["gap_nok"] is None else f"gap {row['gap_nok']} kr"
        click.echo(
            f"{year}: {row['savings_nok']} kr, {gap}, årsverk {row['fte_change']} "
            f"({row['fte_unknown_count']} ukjent), vesentlig organisatorisk risiko: {row['significant_org_risk_count']}"
        )


@scenarios_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@programme_option
def list_command(as_json: bool, programme: str | None) -> None:
    """List the scenarios (adopted first)."""
    found = queries.scenarios(programme_or_exit(programme))
    rows = [{"name": s.name, "measures": len(s.choices), "adopted": s.decision_reference or None} for s in found]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['name']}: {row['measures']} tiltak" + (f", vedtatt i {row['adopted']}" if row["adopted"] else "")
        )


@scenarios_cli.command("adopt")
@click.argument("name")
@click.option("--decision", required=True, help='The case number, e.g. "KS-sak 100/25".')
@click.option("--date", "decided", required=True, help="The date of the decision, e.g. 2025-12-15.")
@click.option("--body", default=services.DEFAULT_BODY, show_default=True, help="The body that decided.")
@programme_option
@writes
def adopt_command(name: str, decision: str, decided: str, body: str, programme: str | None) -> None:
    """Record the political decision adopting scenario NAME: its measures move to vedtatt."""
    scenario = _scenario_or_exit(name, programme)
    day = _date(decided)
    result = _commit_or_exit(lambda: services.adopt_scenario(scenario, decision, day, SYSTEM, body))
    click.echo("\n".join(result.summary_lines()))


@scenarios_cli.command("delete")
@click.argument("name")
@programme_option
@writes
def delete_command(name: str, programme: str | None) -> None:
    """Delete a scenario that is not adopted."""
    scenario = _scenario_or_exit(name, programme)
    _commit_or_exit(lambda: services.delete_scenario(scenario, SYSTEM))
    click.echo(f"Budsjettalternativet «{name}» er slettet.")


def _by_year(text: str, parse) -> dict:
    """ "2026=1100000,2027=2550000" → {2026: …}; an empty value is None (unknown)."""
    found = {}
    for part in (item.strip() for item in (text or "").split(",") if item.strip()):
        year, _, value = part.partition("=")
        if not (year.strip().isascii() and year.strip().isdigit()):
            raise click.BadParameter(f"«{shown(part)}» er ikke ÅÅÅÅ=verdi.")
        try:
            found[int(year)] = parse(value)
        except NumberFormatError as exc:
            raise click.BadParameter(str(exc)) from exc
    return found


def _measure_or_exit(code: str, programme: str | None) -> Measure:
    """The measure CODE of --programme (codes are unique per programme only), or a clear exit."""
    found = programme_or_exit(programme)
    _checked(code, line(20), "CODE")
    measure = db.session.scalar(db.select(Measure).where(Measure.programme_id == found.id, Measure.code == code))
    if measure is None:
        raise click.ClickException(f"Ukjent tiltakskode «{shown(code)}».")
    return measure


@scenarios_cli.command("set-variant")
@click.argument("code")
@click.option("--title", required=True, help="What the variant is, e.g. «Alt. 1: Sørskogbygda».")
@click.option("--savings", required=True, help="Savings in kroner per year: 2026=1100000,2027=2550000.")
@click.option("--fte", default="", help="Change in årsverk per year: 2026=-1.5 (left out = unknown).")
@programme_option
@writes
def set_variant_command(code: str, title: str, savings: str, fte: str, programme: str | None) -> None:
    """Add or change the variant CODE (e.g. 1.2:alt1) with its own yearly figures."""
    measure_code, _, key = code.partition(":")
    measure = _measure_or_exit(measure_code, programme)
    amounts = _by_year(savings, parse_nok)
    changes: dict[int, Decimal | None] = _by_year(fte, parse_decimal)
    _commit_or_exit(lambda: variants.set_variant(measure, key, title, amounts, changes, SYSTEM))
    click.echo(f"Alternativet {measure_code}:{key.lower()} er lagret.")


@scenarios_cli.command("set-fte")
@click.argument("code")
@click.option("--fte", required=True, help="Change in årsverk per year: 2026=-1.5,2027=-3 (empty = unknown).")
@programme_option
@writes
def set_fte_command(code: str, fte: str, programme: str | None) -> None:
    """Record the change in årsverk per year for measure CODE (the whole measure)."""
    measure = _measure_or_exit(code, programme)
    changes = _by_year(fte, parse_decimal)
    _commit_or_exit(lambda: variants.set_fte_change(measure, changes, SYSTEM))
    click.echo(f"Årsverk for {code} er lagret.")


COMMANDS = (scenarios_cli,)
