"""Lookups for pages and commands: a measure or a 404, its page context, the example-data flag, the programme and its quarters."""

import click
from flask import abort
from flask_login import current_user

from tracker.accounts.permissions import can_comment, can_edit_measure
from tracker.extensions import db
from tracker.periods import Quarter, begun_quarters, current_quarter
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import get_programme, has_example_data
from tracker.text import NAME, text_problem


def measure_or_404(measure_id: int) -> Measure:
    return db.session.get(Measure, measure_id) or abort(404)


def page_context(measure: Measure, active: str) -> dict:
    """What every per-measure follow-up page needs: the measure, the sub-menu, the user's rights."""
    return {
        "measure": measure,
        "active": active,
        "can_edit": can_edit_measure(current_user, measure),
        "can_comment": can_comment(current_user),
    }


def example_data_flag() -> bool:
    """Whether the database holds example data (shown as "Eksempeldata" on every page)."""
    return has_example_data()


def programme_quarters() -> list[Quarter]:
    """The quarters of the programme that have begun, newest first: what quarter selects offer."""
    programme = get_programme()
    now = current_quarter()
    return begun_quarters(programme.start_year if programme else now.year, now)


def programme_or_exit(name: str | None = None) -> Programme:
    """The programme a command works on (the first when no name is given), or a clear exit."""
    problem = text_problem(name, NAME)
    if problem:
        raise click.BadParameter(problem, param_hint="--programme")
    programme = get_programme(name)
    if programme is None:
        raise click.ClickException("Ingen portefølje er importert ennå.")
    return programme
