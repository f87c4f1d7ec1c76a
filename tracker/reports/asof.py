"""A report shows its quarter as it stood at the quarter's end. Pure: no Flask, no database.

What counts: records about the quarter or an earlier one (figures, status updates, KPI
measurements), and records dated on or before the quarter's last day (decisions, drøftinger,
risk assessments, completed milestones), whenever they were registered before the build. Records
dated after the end are left out, in every section alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.periods import Quarter, format_date
from tracker.reports.words import plural


@dataclass(frozen=True)
class Decision:
    """A dated status change of a measure."""

    decided_date: date
    from_status: str | None
    to_status: str


def status_on(current: str, decisions: Iterable[Decision], day: date, initial: str) -> str:
    """The status a measure had on `day`: undo the decisions dated after it (oldest of them first)."""
    later = sorted((d for d in decisions if d.decided_date > day), key=lambda d: d.decided_date)
    if not later:
        return current
    return later[0].from_status or initial


def on_or_before(day: date | None, end: date) -> date | None:
    """`day` if it is on or before `end`, else None (a record dated after the end does not count)."""
    return day if day is not None and day <= end else None


def is_after(day: date | None, end: date) -> bool:
    return day is not None and day > end


def is_later_quarter(year: int, number: int, period: Quarter) -> bool:
    return (year, number) > (period.year, period.number)


def as_of_note(period: Quarter, left_out: int, is_preview: bool) -> str:
    """What the report says about its point in time."""
    end = format_date(period.end_date)
    text = (
        f"Rapporten viser stillingen per {end}: tall, statusrapporter og målinger for {period.label} og tidligere "
        f"teller, også når de er registrert etter kvartalsslutt, og alt som er datert senest {end}. "
    )
    if left_out:
        text += f"{plural(left_out, 'registrering', 'registreringer')} datert etter {end} er ikke med."
    else:
        text += f"Ingen registreringer datert etter {end} er utelatt."
    if is_preview:
        text += f" UTKAST: {period.label} er ikke slutt ennå, så tallene kan endre seg."
    return text
