"""Programmes: create one (the admin's form and the portfolio import), close or reopen it, and the
programme each user has chosen to work on.

Which programme a page shows is read by `portfolio.queries.current_programme`; this module writes.
Every write takes an explicit actor; creating, closing and reopening are for admins and audited.
"""

from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.accounts.permissions import PermissionDenied, is_authenticated, require_actor, require_admin
from tracker.audit import services as audit
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.money import MAX_ABS_NOK
from tracker.periods import MAX_YEAR, MIN_YEAR
from tracker.portfolio.models import Programme, ProgrammeTarget
from tracker.text import NAME, check_texts

MAX_PLAN_YEARS = 50
PROGRAMME_TEXTS = {"name": NAME, "municipality": NAME}


class ProgrammeError(ServiceError):
    """A programme the rules refuse (Norwegian messages by field)."""


def _year_problems(start_year: int | None, end_year: int | None) -> dict[str, str]:
    problems = {}
    for name, value, label in (("start_year", start_year, "Første"), ("end_year", end_year, "Siste")):
        if value is None or not MIN_YEAR <= value <= MAX_YEAR:
            problems[name] = f"{label} planår må være et årstall mellom {MIN_YEAR} og {MAX_YEAR}."
    if problems:
        return problems
    if not 0 <= end_year - start_year < MAX_PLAN_YEARS:
        return {
            "end_year": f"Siste planår må være likt eller etter første, og perioden kan ha høyst {MAX_PLAN_YEARS} år."
        }
    return {}


def check_programme(name: str, start_year: int | None, end_year: int | None, targets_nok: dict[int, int]) -> None:
    """Refuse a new programme's name, plan period or targets (ProgrammeError by field)."""
    check_texts({"name": name}, PROGRAMME_TEXTS, ProgrammeError)
    problems = {} if name.strip() else {"name": "Skriv et navn på programmet."}
    taken = db.session.scalar(select(Programme.id).where(func.lower(Programme.name) == name.strip().lower()))
    if taken is not None:
        problems["name"] = f"Det finnes allerede et program som heter «{name.strip()}»."
    problems.update(_year_problems(start_year, end_year))
    if any(not 0 <= amount <= MAX_ABS_NOK for amount in targets_nok.values()):
        problems["target"] = "Sparemålet må være et beløp i kroner, 0 eller mer."
    if problems:
        raise ProgrammeError(errors_by_field=problems)


def create_programme(
    actor, name: str, start_year: int, end_year: int, targets_nok: dict[int, int] | None = None, municipality: str = ""
) -> Programme:
    """A new, open programme with its savings targets ({year: kroner to save}); admins only, audited."""
    require_admin(actor, "programme.create")
    targets_nok = dict(targets_nok or {})
    check_texts({"municipality": municipality}, PROGRAMME_TEXTS, ProgrammeError)
    check_programme(name, start_year, end_year, targets_nok)
    programme = Programme(
        name=name.strip(),
        municipality=municipality.strip(),
        start_year=start_year,
        end_year=end_year,
        targets=[ProgrammeTarget(year=year, savings_target_nok=amount) for year, amount in sorted(targets_nok.items())],
    )
    db.session.add(programme)
    db.session.flush()
    changes = {
        "start_year": start_year,
        "end_year": end_year,
        "targets_nok": {str(y): a for y, a in targets_nok.items()},
    }
    audit.record("programme.create", user=actor, obj=programme, changes=changes)
    return programme


def set_closed(actor, programme: Programme, is_closed: bool) -> bool:
    """Close a programme (it stays readable, nothing of it changes) or reopen it; admins only, audited.
    False when it already was."""
    require_admin(actor, "programme.close" if is_closed else "programme.reopen")
    if programme.is_closed == is_closed:
        return False
    programme.is_closed = is_closed
    db.session.flush()
    action = "programme.close" if is_closed else "programme.reopen"
    audit.record(action, user=actor, obj=programme)
    return True


def choose_programme(user: User, programme: Programme) -> None:
    """Remember the programme a logged-in user works on (the switcher in the header); any role may."""
    require_actor(user)
    if not is_authenticated(user) or not isinstance(user, User):
        raise PermissionDenied()
    user.current_programme_id = programme.id
