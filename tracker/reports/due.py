"""Which quarterly reports are due. Pure: no Flask, no database."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from tracker.periods import Quarter

DEFAULT_DAYS_AFTER_QUARTER = 14
# A scheduler that was down catches up at most this many quarters per audience.
MAX_CATCH_UP_QUARTERS = 8


def due_date(quarter: Quarter, days_after: int = DEFAULT_DAYS_AFTER_QUARTER) -> date:
    """The day a quarter's reports fall due: `days_after` days after its last day."""
    return quarter.end_date + timedelta(days=days_after)


def latest_due_quarter(today: date, days_after: int = DEFAULT_DAYS_AFTER_QUARTER) -> Quarter:
    """The most recent quarter whose reports are due on `today`."""
    quarter = Quarter.containing(today).previous()
    while due_date(quarter, days_after) > today:
        quarter = quarter.previous()
    return quarter


def reports_due(
    today: date,
    last_built: Mapping[str, Quarter | None],
    days_after: int = DEFAULT_DAYS_AFTER_QUARTER,
    audiences: Iterable[str] | None = None,
) -> list[tuple[Quarter, str]]:
    """(quarter, audience) pairs the schedule must build, oldest first.

    `last_built` maps an audience to the latest quarter the schedule built for it (None: never).
    A first run builds only the latest due quarter; after a gap every missed quarter since the
    last one built is built (at most MAX_CATCH_UP_QUARTERS).
    """
    latest = latest_due_quarter(today, days_after)
    due: list[tuple[Quarter, str]] = []
    for audience in audiences if audiences is not None else last_built.keys():
        built = last_built.get(audience)
        missing = []
        quarter = latest
        while (built is None and not missing) or (built is not None and quarter > built):
            missing.insert(0, quarter)
            if len(missing) >= MAX_CATCH_UP_QUARTERS:
                break
            quarter = quarter.previous()
        due.extend((quarter, audience) for quarter in missing)
    return sorted(due, key=lambda item: (item[0], item[1]))
