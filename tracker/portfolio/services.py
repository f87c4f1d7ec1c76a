"""Changing measures: every change checks who, checks the version, and is audited.

Every write takes an explicit actor: the logged-in User, or SYSTEM for the command line; None is refused.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tracker.accounts import permissions
from tracker.accounts.models import ROLE_ADMIN, ROLE_OWNER, User
from tracker.accounts.permissions import SystemActor, require_actor
from tracker.audit import services as audit
from tracker.database import check_version, flush_or_conflict, utcnow
from tracker.errors import EditConflict, ServiceError
from tracker.extensions import db
from tracker.portfolio.figures import saving_from_net_change
from tracker.portfolio.models import DESCRIPTION_FIELDS, Measure, MenuEffect, PlannedEffect, PlanRevision, StatusChange
from tracker.portfolio.status import STATUS_LABELS, is_allowed_transition
from tracker.text import FREE_TEXT, NAME, NOTE, TITLE, check_texts, line

# --- changing a measure: every change checks who, checks the version, and is audited ----------

EDITABLE_FIELDS = (
    "title",
    "service",
    "effect_type",
    *DESCRIPTION_FIELDS,
    "kpi_suggestions",
    "risk_notes",
    "status_note",
    "affected_units",
)
# Fields holding a list of lines (one KPI, one unit per line in the edit form).
LIST_FIELDS = ("kpi_suggestions", "affected_units")
OWNER_ROLES = (ROLE_OWNER, ROLE_ADMIN)
# The rules of a measure's texts: the edit form, both imports and update_measure refuse the same.
MEASURE_TEXTS = {
    "title": TITLE,
    "service": NAME,
    "effect_type": line(100),
    **{name: FREE_TEXT for name in (*DESCRIPTION_FIELDS, "risk_notes", "status_note", "notes")},
    "source_section": line(40),
}
KPI_SUGGESTION = TITLE
# "Berørte enheter": the edit form's text area, and each unit (one line) as the service stores it.
AFFECTED_UNITS_TEXT = NOTE
AFFECTED_UNIT = NAME
DECISION_TEXTS = {"decision_reference": NAME, "decision_body": NAME, "comment": NOTE}
PLAN_REASON = NOTE


class MeasureChangeError(ServiceError):
    """A change the rules do not allow (Norwegian message for the user)."""


def require_edit(user: User, measure: Measure) -> None:
    """403 (and an audited refusal) unless the user may edit this measure."""
    permissions.require_measure_edit(user, measure, "measure.update")


def _check_version(measure: Measure, seen_version: int | None) -> None:
    # The measure's own forms always carry the version: a save without one is refused too.
    if seen_version is None:
        raise EditConflict("Measure")
    check_version(measure, seen_version)


def _flush(measure: Measure) -> None:
    """Write now, so a save racing another one fails here (version_id_col) instead of at commit."""
    measure.updated_dt = utcnow()  # always an UPDATE of the measure row, so the version is checked and bumped
    flush_or_conflict(db.session)


# --- the planned saving: one writer for the edit form, the ledger's plan form and both imports ----


@dataclass(frozen=True)
class PlanChange:
    """A planned saving that changed: positive kroner, None where the year had (or now has) no plan."""

    year: int
    old_saving_nok: int | None
    new_saving_nok: int | None

    def net_change_diff(self) -> dict:
        """The change as the audit trail shows it for the measure: the report's sign (negative = saving)."""
        return {"old": _net_change(self.old_saving_nok), "new": _net_change(self.new_saving_nok)}


def _net_change(saving_nok: int | None) -> int | None:
    return None if saving_nok is None else -saving_nok


def planned_saving_of(measure: Measure, year: int) -> int | None:
    """The measure's planned saving for a year (positive kroner), None when the plan has no such year."""
    effect = next((item for item in measure.planned_effects if item.year == year), None)
    return None if effect is None else saving_from_net_change(effect.net_cost_change_nok)


def set_planned_saving(
    measure: Measure, year: int, saving_nok: int | None, reason: str, actor: User | SystemActor
) -> PlanChange | None:
    """Set a year's planned saving: positive saving in, stored as net_cost_change_nok = -saving.

    None removes the year from the plan. With a reason the change is kept in the plan history
    (PlanRevision: old, new, who, why); an import passes none, its file is the record. Returns the
    change, or None when the plan already says so. Admins and SYSTEM only; the caller audits and
    flushes (flush_or_conflict).

    Atomic under concurrency: every change bumps the measure's version in `UPDATE measures … WHERE
    version = ?`, so of two changes made from the same plan the second updates no row and fails as an
    EditConflict at the flush, never silently. A form checks the version it showed first (check_version).
    """
    require_actor(actor)
    permissions.require_admin(actor, "measure.plan")
    effect = next((item for item in measure.planned_effects if item.year == year), None)
    old = planned_saving_of(measure, year)
    if old == saving_nok:
        return None
    if saving_nok is None:
        measure.planned_effects.remove(effect)
    elif effect is None:
        measure.planned_effects.append(PlannedEffect(year=year, net_cost_change_nok=-saving_nok))
    else:
        effect.net_cost_change_nok = -saving_nok
    # Touch the measure so its version moves on: an edit form opened earlier then gets a conflict
    # instead of silently putting the old plan back.
    measure.updated_dt = utcnow()
    if reason.strip():
        db.session.add(
            PlanRevision(
                measure_id=measure.id,
                year=year,
                old_saving_nok=old,
                new_saving_nok=saving_nok or 0,
                reason=reason.strip(),
                changed_by_id=actor.id,
            )
        )
    return PlanChange(year, old, saving_nok)


def set_menu(measure: Measure, net_changes_nok: dict[int, int | None], actor: User | SystemActor) -> dict[str, dict]:
    """Set the measure's menu (the report's figures, the report's sign) from a portfolio file; admins and SYSTEM.

    The one writer of the menu: plan changes never touch it. A year the file leaves out keeps its
    figure; the change in årsverk an administrator entered is kept. Returns the audit diff; the caller audits.
    """
    require_actor(actor)
    permissions.require_admin(actor, "measure.menu")
    existing = {effect.year: effect for effect in measure.menu_effects}
    changes = {}
    for year, amount in sorted(net_changes_nok.items()):
        effect = existing.get(year)
        old = effect.net_cost_change_nok if effect else None
        if old == amount:
            continue
        if effect is None:
            measure.menu_effects.append(MenuEffect(year=year, net_cost_change_nok=amount))
        else:
            effect.net_cost_change_nok = amount
        changes[f"menu.{year}"] = {"old": old, "new": amount}
    return changes


def _apply_savings(
    measure: Measure, savings_nok: dict[int, int | None], reason: str, actor: User | SystemActor
) -> dict[str, dict]:
    """Set the plan from savings typed as positive numbers; a change needs a reason."""
    if not reason and any(planned_saving_of(measure, year) != saving for year, saving in savings_nok.items()):
        raise MeasureChangeError("Skriv en begrunnelse når planlagt innsparing endres.")
    changes = {}
    for year, saving in sorted(savings_nok.items()):
        change = set_planned_saving(measure, year, saving, reason, actor)
        if change is not None:
            changes[f"plan.{year}"] = change.net_change_diff()
    return changes


def update_measure(
    measure: Measure,
    actor: User | SystemActor,
    seen_version: int | None,
    values: dict,
    savings_nok: dict[int, int | None],
    plan_reason: str = "",
) -> dict[str, dict]:
    """Save the edit form: texts, and (admins only) planned savings per year with a reason."""
    require_actor(actor)
    require_edit(actor, measure)
    if savings_nok:
        permissions.require_admin(actor, "measure.plan")
    _check_version(measure, seen_version)
    values = {name: values[name] for name in EDITABLE_FIELDS if name in values}
    if not (values.get("title") or "").strip():
        raise MeasureChangeError("Tittel er påkrevd.")
    _check_texts(values, plan_reason)
    # No autoflush: a racing save must surface in _flush as a conflict, not halfway through.
    with db.session.no_autoflush:
        measure.planned_effects  # noqa: B018 - load the plan before changing the measure
        # A list never set (None) and an empty one are the same: saving an untouched form changes nothing.
        before = {
            name: (getattr(measure, name) or []) if name in LIST_FIELDS else getattr(measure, name) for name in values
        }
        for name, value in values.items():
            if before[name] != value:
                setattr(measure, name, value)
        changes = audit.diff(before, values)
        if "effect_type" in changes:
            changes["effect_type_basis"] = {"old": measure.effect_type_basis, "new": "manual"}
            measure.effect_type_basis = "manual"
        changes.update(_apply_savings(measure, savings_nok, plan_reason.strip(), actor))
    if changes:
        audit.record("measure.update", user=actor, obj=measure, changes=changes)
        _flush(measure)
    return changes


def _check_texts(values: dict, plan_reason: str) -> None:
    suggestions = {f"kpi_suggestions[{n}]": text for n, text in enumerate(values.get("kpi_suggestions") or [])}
    units = {f"affected_units[{n}]": text for n, text in enumerate(values.get("affected_units") or [])}
    rules = {
        **MEASURE_TEXTS,
        **dict.fromkeys(suggestions, KPI_SUGGESTION),
        **dict.fromkeys(units, AFFECTED_UNIT),
        "plan_reason": PLAN_REASON,
    }
    check_texts({**values, **suggestions, **units, "plan_reason": plan_reason}, rules, MeasureChangeError)


def change_status(
    measure: Measure,
    actor: User | SystemActor,
    seen_version: int | None,
    to_status: str,
    decided_date: date,
    decision_reference: str = "",
    comment: str = "",
    decision_body: str = "",
) -> StatusChange:
    """Record a decision (admin only): the new status, when, by which decision and body, and who entered it."""
    require_actor(actor)
    permissions.require_admin(actor, "measure.status")
    _check_version(measure, seen_version)
    texts = {"decision_reference": decision_reference, "decision_body": decision_body, "comment": comment}
    check_texts(texts, DECISION_TEXTS, MeasureChangeError)
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
        decision_body=decision_body.strip(),
        comment=comment.strip(),
        changed_by=actor if isinstance(actor, User) else None,
    )
    measure.status_changes.append(change)
    changes = {
        "status": {"old": measure.status, "new": to_status},
        "decided_date": {"old": None, "new": decided_date.isoformat()},
        "decision_reference": {"old": None, "new": change.decision_reference},
    }
    if change.decision_body:
        changes["decision_body"] = {"old": None, "new": change.decision_body}
    measure.status = to_status
    audit.record("measure.status", user=actor, obj=measure, changes=changes)
    _flush(measure)
    return change


def owner_candidates() -> list[User]:
    """Enabled users who can own a measure: tiltaksansvarlige and administrators."""
    query = select(User).where(User.is_enabled.is_(True), User.role.in_(OWNER_ROLES))
    return sorted(db.session.scalars(query), key=lambda user: user.display_name.casefold())


def assign_owner(measure: Measure, actor: User | SystemActor, seen_version: int | None, owner: User | None) -> None:
    """Make a user (tiltaksansvarlig or admin) responsible for a measure; admin only."""
    require_actor(actor)
    permissions.require_admin(actor, "measure.owner")
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
    audit.record("measure.owner", user=actor, obj=measure, changes=changes)
    _flush(measure)
