"""What the programme screens show: the header's switcher and the admin's list, built in Python."""

from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.portfolio import queries
from tracker.portfolio.models import Measure, Programme


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    is_current: bool


@dataclass(frozen=True)
class Switcher:
    """The programme a user works on and the ones they may switch to (newest first)."""

    current: Programme | None
    choices: tuple[Choice, ...]

    @property
    def is_shown(self) -> bool:
        """The header shows the switcher only when there is something to switch to."""
        return len(self.choices) > 1


def label(programme: Programme) -> str:
    period = f"{programme.start_year}–{programme.end_year}"
    return f"{programme.name} ({period}, avsluttet)" if programme.is_closed else f"{programme.name} ({period})"


def switcher(user) -> Switcher:
    current = queries.current_programme(user)
    current_id = current.id if current is not None else None
    choices = tuple(Choice(p.id, label(p), p.id == current_id) for p in queries.programmes())
    return Switcher(current, choices)


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    measures: int
    is_default: bool


def admin_rows() -> list[ProgrammeRow]:
    """Every programme with its number of measures; which one is shown to users who chose none."""
    counts = dict(db.session.execute(select(Measure.programme_id, func.count()).group_by(Measure.programme_id)).all())
    default = queries.default_programme()
    return [
        ProgrammeRow(programme, counts.get(programme.id, 0), default is not None and programme.id == default.id)
        for programme in queries.programmes()
    ]
