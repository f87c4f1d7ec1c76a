"""The target trajectory: the programme's target per plan year and each work group's requirement per year.

Admins (and SYSTEM) change them with a reason; every change is in the audit trail (old, new, why).
The portfolio import writes the file's targets (2029 = 40 mill. kr for Elverum) without a reason.
"""

from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.database import check_version, flush_or_conflict
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.money import MAX_ABS_NOK, NumberFormatError, within
from tracker.portfolio.models import GroupRequirement, Programme, ProgrammeTarget, WorkGroup
from tracker.portfolio.read_only import require_open
from tracker.text import NOTE, check_texts

PROGRAMME_SCOPE = "program"


class TargetError(ServiceError):
    """A target change the rules refuse."""


def target_key(scope: str | int, year: int) -> str:
    """The key of a target in the target form's versions: "program-2029", or a group's id and the year."""
    return f"{scope}-{year}"


def target_versions(programme: Programme) -> dict[str, int]:
    """The version of every stored target and requirement, by target_key (a form sends back what it saw)."""
    versions = {target_key(PROGRAMME_SCOPE, item.year): item.version for item in programme.targets}
    for group in programme.groups:
        versions.update({target_key(group.id, item.year): item.version for item in group.requirements})
    return versions


def _check(programme: Programme, year: int, saving_nok: int | None, reason: str) -> str:
    if year not in programme.plan_years:
        raise TargetError(
            f"{year} er ikke i planperioden.", {"year": f"Velg et år i {programme.start_year}-{programme.end_year}."}
        )
    check_texts({"reason": reason}, {"reason": NOTE}, TargetError)
    if not (reason or "").strip():
        raise TargetError("Målet ble ikke endret.", {"reason": "Skriv hvorfor målet endres."})
    try:
        within(saving_nok or 0, MAX_ABS_NOK, saving_nok, " kr")
    except NumberFormatError as exc:
        raise TargetError(str(exc), {"amount": str(exc)}) from exc
    return reason.strip()


def _set_year(rows: list, model: type, attr: str, year: int, saving_nok: int | None, seen_version: int | None):
    """Set, add or (with None) remove the row of `year` in a per-year list; returns (changed, old amount).

    The row's version must be the one the form showed (check_version); the change is flushed.
    """
    item = next((entry for entry in rows if entry.year == year), None)
    check_version(item, seen_version)
    old = getattr(item, attr) if item else None
    if old == saving_nok:
        return False, old
    if saving_nok is None:
        rows.remove(item)
    elif item is None:
        rows.append(model(year=year, **{attr: saving_nok}))
    else:
        setattr(item, attr, saving_nok)
    flush_or_conflict(db.session)  # a first target racing another: a conflict, not a 500
    return True, old


def set_target(
    programme: Programme,
    year: int,
    saving_nok: int | None,
    reason: str,
    actor: User | SystemActor,
    seen_version: int | None = None,
) -> bool:
    """Set (or with None remove) the programme's target for a plan year; returns whether it changed.

    `seen_version` is the version of the year's target the form showed (0: none); a change made from
    another one, or a first target racing another, is an EditConflict.
    """
    require_actor(actor)
    require_admin(actor, "targets.set")
    require_open(programme)
    reason = _check(programme, year, saving_nok, reason)
    changed, old = _set_year(programme.targets, ProgrammeTarget, "savings_target_nok", year, saving_nok, seen_version)
    if not changed:
        return False
    changes = {f"target_{year}": {"old": old, "new": saving_nok}, "reason": {"old": None, "new": reason}}
    audit.record("targets.set", user=actor, obj=programme, changes=changes)
    return True


def set_group_requirement(
    group: WorkGroup,
    year: int,
    saving_nok: int | None,
    reason: str,
    actor: User | SystemActor,
    seen_version: int | None = None,
) -> bool:
    """Set (or with None remove) a work group's requirement for a plan year; returns whether it changed
    (`seen_version` as for set_target)."""
    require_actor(actor)
    require_admin(actor, "targets.group")
    require_open(group.programme)
    reason = _check(group.programme, year, saving_nok, reason)
    changed, old = _set_year(group.requirements, GroupRequirement, "requirement_nok", year, saving_nok, seen_version)
    if not changed:
        return False
    changes = {f"requirement_{year}": {"old": old, "new": saving_nok}, "reason": {"old": None, "new": reason}}
    audit.record("targets.group", user=actor, obj=group, label=group.label, changes=changes)
    return True
