"""What the programme screens show: the header's switcher and the admin's list, built in Python."""

from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.portfolio import queries
from tracker.portfolio.models import Measure, Programme
from tracker.readmodel.cache import cached


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    is_current: bool


@dataclass(frozen=True)
class ProgrammeRef:
    """A programme as the header shows it."""

    id: int
    name: str
    label: str
    is_closed: bool


@dataclass(frozen=True)
class Switcher:
    """The programme a user works on and the ones they may switch to (newest first)."""

    current: ProgrammeRef | None
    choices: tuple[Choice, ...]

    @property
    def is_shown(self) -> bool:
        """The header shows the switcher only when there is something to switch to."""
        return len(self.choices) > 1


def label(programme: Programme | queries.ProgrammeRow) -> str:
    period = f"{programme.start_year}–{programme.end_year}"
    return f"{programme.name} ({period}, avsluttet)" if programme.is_closed else f"{programme.name} ({period})"


def switcher(user) -> Switcher:
    """The header's switcher, from the cached rows; the current programme as queries.current_programme
    chooses it (the user's choice, else the newest open programme, else the newest)."""
    current = queries.current_programme_row(user)
    current_id = current.id if current is not None else None
    return cached(("switcher", current_id), lambda: _switcher(current))


def _switcher(current: queries.ProgrammeRow | None) -> Switcher:
    current_id = current.id if current is not None else None
    return Switcher(
        _ref(current) if current is not None else None,
        tuple(Choice(row.id, label(row), row.id == current_id) for row in queries.programme_rows()),
    )


def _ref(row: queries.ProgrammeRow) -> ProgrammeRef:
    return ProgrammeRef(row.id, row.name, label(row), row.is_closed)


@dataclass(frozen=True)
class ListedProgramme:
    programme: Programme
    measures: int
    is_default: bool


def admin_rows() -> list[ListedProgramme]:
    """Every programme with its number of measures; which one is shown to users who chose none."""
    counts = dict(db.session.execute(select(Measure.programme_id, func.count()).group_by(Measure.programme_id)).all())
    default = queries.default_programme()
    return [
        ListedProgramme(programme, counts.get(programme.id, 0), default is not None and programme.id == default.id)
        for programme in queries.programmes()
    ]
