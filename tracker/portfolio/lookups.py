"""Lookups for pages and commands: a measure or a 404, its page context, the example-data flag, the
programme's quarters, the programme of a command."""

import click
from flask import abort, has_request_context
from flask_login import current_user
from sqlalchemy import func, select

from tracker.accounts.permissions import SYSTEM, can_comment, can_edit_measure
from tracker.extensions import db
from tracker.periods import Quarter, begun_quarters, current_quarter
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import current_programme, has_example_data, measure_record
from tracker.text import NAME, text_problem


def measure_or_404(measure_id: int) -> Measure:
    """The measure a page shows, with its programme at hand (queries.measure_record), or 404."""
    return measure_record(measure_id) or abort(404, description="Fant ikke tiltaket.")


def page_context(measure: Measure, active: str) -> dict:
    """What every per-measure follow-up page needs: the measure, the sub-menu, the user's rights."""
    return {
        "measure": measure,
        "active": active,
        "can_edit": can_edit_measure(current_user, measure),
        "can_comment": can_comment(current_user) and not measure.programme.is_closed,
    }


def example_data_flag() -> bool:
    """Whether the database holds example data (shown as "Eksempeldata" on every page)."""
    return has_example_data()


def programme_quarters() -> list[Quarter]:
    """The quarters of the current programme that have begun, newest first: what quarter selects offer."""
    programme = current_programme(current_user if has_request_context() else None)
    now = current_quarter()
    return begun_quarters(programme.start_year if programme else now.year, now)


# Every command that works on one programme takes it the same way.
programme_option = click.option(
    "--programme",
    default=None,
    help="Programme id or name (default: the only programme, else the newest open one).",
)


def programme_or_exit(key: str | None = None) -> Programme:
    """The programme a command works on: --programme (id or name), else the default one, or a clear exit.

    With several programmes and no --programme, says on stderr which one it took (stdout stays the
    command's output, e.g. JSON).
    """
    problem = text_problem(key, NAME)
    if problem:
        raise click.BadParameter(problem, param_hint="--programme")
    programme = current_programme(SYSTEM, key)
    if programme is None and key and key.strip():
        raise click.BadParameter(
            f"Fant ikke programmet «{key.strip()}» (oppgi id eller navn).", param_hint="--programme"
        )
    if programme is None:
        raise click.ClickException("Ingen portefølje er importert ennå.")
    if not (key and key.strip()) and db.session.scalar(select(func.count()).select_from(Programme)) > 1:
        state = ", avsluttet" if programme.is_closed else ""
        click.echo(f"Program: «{programme.name}» (standard{state}; velg et annet med --programme).", err=True)
    return programme
