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


def label(programme: Programme) -> str:
    period = f"{programme.start_year}–{programme.end_year}"
    return f"{programme.name} ({period}, avsluttet)" if programme.is_closed else f"{programme.name} ({period})"


def _programme_refs() -> tuple[ProgrammeRef, ...]:
    """Every programme, newest first, as plain rows: once per data version, since every page's header asks."""
    return cached(
        ("programme_refs",),
        lambda: tuple(ProgrammeRef(p.id, p.name, label(p), p.is_closed) for p in queries.programmes()),
    )


def switcher(user) -> Switcher:
    """The header's switcher; the current programme is chosen as queries.current_programme chooses it
    (the user's choice, else the newest open programme, else the newest), from the cached rows."""
    refs = _programme_refs()
    chosen_id = getattr(user, "current_programme_id", None)
    default = next((ref for ref in refs if not ref.is_closed), refs[0] if refs else None)
    current = next((ref for ref in refs if ref.id == chosen_id), default)
    current_id = current.id if current is not None else None
    return Switcher(current, tuple(Choice(ref.id, ref.label, ref.id == current_id) for ref in refs))


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
