"""Milestone state. Pure: no Flask, no database.

A milestone is `done` once its done date is on or before the day asked about, `late` when its
(current) due date is before that day and it is not done, otherwise `planned`. "Today" is the
Europe/Oslo date (tracker.periods.today_oslo), so a milestone due 31.03 turns late at midnight in
Oslo, not at midnight UTC.
"""

from datetime import date

PLANNED = "planned"
DONE = "done"
LATE = "late"
STATES = (PLANNED, DONE, LATE)
STATE_LABELS = {PLANNED: "Planlagt", DONE: "Fullført", LATE: "Forsinket"}


def state(due_date: date | None, done_date: date | None, today: date) -> str:
    """`planned`, `done` or `late` as of `today`; a done date after `today` is not yet done."""
    if done_date is not None and done_date <= today:
        return DONE
    if due_date is not None and due_date < today:
        return LATE
    return PLANNED
