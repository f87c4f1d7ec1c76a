"""The target trajectory: the programme's target per plan year and each work group's requirement per year.

Admins (and SYSTEM) change them with a reason; every change is in the audit trail (old, new, why).
The portfolio import writes the file's targets (2029 = 40 mill. kr for Elverum) without a reason.
"""

from tracker.accounts.models import User
from tracker.accounts.permissions import SystemActor, require_actor, require_admin
from tracker.audit import services as audit
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.portfolio.models import GroupRequirement, Programme, ProgrammeTarget, WorkGroup


class TargetError(ServiceError):
    """A target change the rules refuse."""


def _check(programme: Programme, year: int, reason: str) -> str:
    if year not in programme.plan_years:
        raise TargetError(
            f"{year} er ikke i planperioden.", {"year": f"Velg et år i {programme.start_year}-{programme.end_year}."}
        )
    if not (reason or "").strip():
        raise TargetError("Målet ble ikke endret.", {"reason": "Skriv hvorfor målet endres."})
    return reason.strip()


def set_target(programme: Programme, year: int, saving_nok: int | None, reason: str, actor: User | SystemActor) -> bool:
    """Set (or with None remove) the programme's target for a plan year; returns whether it changed."""
    require_actor(actor)
    require_admin(actor, "targets.set")
    reason = _check(programme, year, reason)
    target = next((item for item in programme.targets if item.year == year), None)
    old = target.savings_target_nok if target else None
    if old == saving_nok:
        return False
    if saving_nok is None:
        programme.targets.remove(target)
    elif target is None:
        programme.targets.append(ProgrammeTarget(year=year, savings_target_nok=saving_nok))
    else:
        target.savings_target_nok = saving_nok
    db.session.flush()
    changes = {f"target_{year}": {"old": old, "new": saving_nok}, "reason": {"old": None, "new": reason}}
    audit.record("targets.set", user=actor, obj=programme, changes=changes)
    return True


def set_group_requirement(
    group: WorkGroup, year: int, saving_nok: int | None, reason: str, actor: User | SystemActor
) -> bool:
    """Set (or with None remove) a work group's requirement for a plan year; returns whether it changed."""
    require_actor(actor)
    require_admin(actor, "targets.group")
    reason = _check(group.programme, year, reason)
    item = next((entry for entry in group.requirements if entry.year == year), None)
    old = item.requirement_nok if item else None
    if old == saving_nok:
        return False
    if saving_nok is None:
        group.requirements.remove(item)
    elif item is None:
        group.requirements.append(GroupRequirement(year=year, requirement_nok=saving_nok))
    else:
        item.requirement_nok = saving_nok
    db.session.flush()
    changes = {f"requirement_{year}": {"old": old, "new": saving_nok}, "reason": {"old": None, "new": reason}}
    audit.record("targets.group", user=actor, obj=group, label=group.label, changes=changes)
    return True
