"""Option parsing shared by the command-line groups."""

from datetime import date

import click

from tracker.periods import today_oslo


def parse_as_of(value: str | None) -> date:
    """--as-of as an ISO date; today in Europe/Oslo when not given."""
    if not value:
        return today_oslo()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"«{value}» er ikke en dato på formen ÅÅÅÅ-MM-DD.") from exc
