"""Changing measures: every change checks who, checks the version, and is audited."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tracker.accounts import permissions
from tracker.accounts.models import ROLE_ADMIN, ROLE_OWNER, User
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.extensions import db
from tracker.portfolio import figures
from tracker.portfolio.models import Measure, PlannedEffect, PlanRevision, StatusChange
from tracker.portfolio.status import STATUS_LABELS, is_allowed_transition

# --- changing a measure: every change checks who, checks the version, and is audited ----------

EDITABLE_FIELDS = (
    "title",
    "service",
    "effect_type",
    "problem",
    "solution",
    "consequences_users",
    "consequences_employees",
    "investment",
    "fte_effect",
    "kpi_suggestions",
    "risk_notes",
    "status_note",
)
OWNER_ROLES = (ROLE_OWNER, ROLE_ADMIN)


class EditConflict(Exception):
    """Someone saved the measure after this user opened the form; nothing was stored."""

    def __init__(self, measure_id: int):
        super().__init__(f"Measure {measure_id} was changed by someone else.")
        self.measure_id = measure_id


class MeasureChangeError(ValueError):
    """A change the rules do not allow (Norwegian message for the user)."""


def require_edit(user: User, measure: Measure) -> None:
    """403 (and an audited refusal) unless the user may edit this measure."""
    permissions.require_measure_edit(user, measure, "measure.update")


def _check_version(measure: Measure, seen_version: int | None) -> None:
    if seen_version is None or seen_version != measure.version:
        raise EditConflict(measure.id)


def _flush(measure: Measure) -> None:
    """Write now, so a save racing another one fails here (version_id_col) instead of at commit."""
    measure_id = measure.id
    measure.updated_dt = utcnow()  # always an UPDATE of the measure row, so the version is checked and bumped
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise EditConflict(measure_id) from exc


def _apply_savings(measure: Measure, savings_nok: dict[int, int | None]) -> dict[str, dict]:
    """Set the plan from savings typed as positive numbers; stored with the report's sign."""
    changes = {}
    current = {effect.year: effect for effect in measure.planned_effects}
    for year, saving in sorted(savings_nok.items()):
        effect = current.get(year)
        new = None if saving is None else -saving
        old = effect.net_cost_change_nok if effect else None
        if new == old:
            continue
        changes[f"plan.{year}"] = {"old": old, "new": new}
        if new is None:
            measure.planned_effects.remove(effect)
        elif effect is None:
            measure.planned_effects.append(PlannedEffect(year=year, net_cost_change_nok=new))
        else:
            effect.net_cost_change_nok = new
    return changes


def _record_plan_revisions(measure: Measure, user: User, plan_changes: dict[str, dict], reason: str) -> None:
    """Keep old and new planned saving, who and why, as the ledger's plan history does."""
    if not reason:
        raise MeasureChangeError("Skriv en begrunnelse når planlagt innsparing endres.")
    for key, change in plan_changes.items():
        db.session.add(
            PlanRevision(
                measure_id=measure.id,
                year=int(key.split(".")[1]),
                old_saving_nok=None if change["old"] is None else figures.saving_from_net_change(change["old"]),
                new_saving_nok=0 if change["new"] is None else figures.saving_from_net_change(change["new"]),
                reason=reason,
                changed_by_id=user.id,
            )
        )


def update_measure(
    measure: Measure,
    user: User,
    seen_version: int | None,
    values: dict,
    savings_nok: dict[int, int | None],
    plan_reason: str = "",
) -> dict[str, dict]:
    """Save the edit form: texts, and (admins only) planned savings per year with a reason."""
    require_edit(user, measure)
    if savings_nok:
        permissions.require_admin(user, "measure.plan")
    _check_version(measure, seen_version)
    values = {name: values[name] for name in EDITABLE_FIELDS if name in values}
    if not (values.get("title") or "").strip():
        raise MeasureChangeError("Tittel er påkrevd.")
    # No autoflush: a racing save must surface in _flush as a conflict, not halfway through.
    with db.session.no_autoflush:
        measure.planned_effects  # noqa: B018 - load the plan before changing the measure
        before = {name: getattr(measure, name) for name in values}
        for name, value in values.items():
            if before[name] != value:
                setattr(measure, name, value)
        changes = audit.diff(before, values)
        plan_changes = _apply_savings(measure, savings_nok)
        if plan_changes:
            _record_plan_revisions(measure, user, plan_changes, plan_reason.strip())
        changes.update(plan_changes)
    if changes:
        audit.record("measure.update", user=user, obj=measure, changes=changes)
        _flush(measure)
    return changes


def change_status(
    measure: Measure,
    user: User,
    seen_version: int | None,
    to_status: str,
    decided_date: date,
    decision_reference: str = "",
    comment: str = "",
) -> StatusChange:
    """Record a decision (admin only): the new status, when, by which decision and who entered it."""
    permissions.require_admin(user, "measure.status")
    _check_version(measure, seen_version)
    if not is_allowed_transition(measure.status, to_status):
        raise MeasureChangeError(
            f"Status kan ikke endres fra «{STATUS_LABELS.get(measure.status, measure.status)}» "
            f"til «{STATUS_LABELS.get(to_status, to_status)}»."
        )
    change = StatusChange(
        from_status=measure.status,
        to_status=to_status,
        decided_date=decided_date,
        decision_reference=decision_reference.strip(),
        comment=comment.strip(),
        changed_by=user,
    )
    measure.status_changes.append(change)
    changes = {
        "status": {"old": measure.status, "new": to_status},
        "decided_date": {"old": None, "new": decided_date.isoformat()},
        "decision_reference": {"old": None, "new": change.decision_reference},
    }
    measure.status = to_status
    audit.record("measure.status", user=user, obj=measure, changes=changes)
    _flush(measure)
    return change


def owner_candidates() -> list[User]:
    """Enabled users who can own a measure: tiltaksansvarlige and administrators."""
    query = select(User).where(User.is_enabled.is_(True), User.role.in_(OWNER_ROLES))
    return sorted(db.session.scalars(query), key=lambda user: user.display_name.casefold())


def assign_owner(measure: Measure, user: User, seen_version: int | None, owner: User | None) -> None:
    """Make a user (tiltaksansvarlig or admin) responsible for a measure; admin only."""
    permissions.require_admin(user, "measure.owner")
    _check_version(measure, seen_version)
    if owner is not None and (owner.role not in OWNER_ROLES or not owner.is_enabled):
        raise MeasureChangeError(f"{owner.display_name} har ikke rollen tiltaksansvarlig og kan ikke eie tiltak.")
    if measure.owner_id == (owner.id if owner else None):
        return
    changes = {
        "owner": {
            "old": measure.owner.username if measure.owner else None,
            "new": owner.username if owner else None,
        }
    }
    measure.owner = owner
    audit.record("measure.owner", user=user, obj=measure, changes=changes)
    _flush(measure)
