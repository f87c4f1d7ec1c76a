"""Reading the portfolio for pages, exports and the summary; changing measures."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from tracker.accounts import permissions
from tracker.accounts.models import ROLE_ADMIN, ROLE_OWNER, User
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.extensions import db
from tracker.portfolio import figures
from tracker.portfolio.importing import ImportResult, import_file
from tracker.portfolio.models import Measure, PlannedEffect, Programme, StatusChange, WorkGroup
from tracker.portfolio.status import STATUS_LABELS, STATUSES, is_allowed_transition


def get_programme(name: str | None = None) -> Programme | None:
    """The programme by name, or the first (the tracker holds one programme per database)."""
    query = select(Programme).order_by(Programme.id)
    if name:
        query = query.where(Programme.name == name)
    return db.session.scalars(query.limit(1)).first()


def load_measures(programme: Programme) -> list[Measure]:
    """All measures of a programme in code order, with what the overview needs loaded."""
    query = (
        select(Measure)
        .where(Measure.programme_id == programme.id)
        .options(selectinload(Measure.planned_effects), selectinload(Measure.group), selectinload(Measure.owner))
        .order_by(Measure.sort_key)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class GroupRef:
    """The work group of a listed measure: what the listing pages show of it."""

    id: int
    number: int
    name: str


@dataclass(frozen=True)
class OwnerRef:
    """The owner of a listed measure (a plain copy of the user's name, not the account)."""

    id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class MeasureSummary:
    """A read-only row of a measure for listings and computations, loaded without the ORM."""

    id: int
    code: str
    sort_key: str
    title: str
    service: str
    effect_type: str | None
    status: str
    owner_id: int | None
    group: GroupRef
    owner: OwnerRef | None
    plan: figures.MeasurePlan


def plain_rows(statement, parameters: dict | None = None):
    """The rows of a query of columns only, read straight from the session's connection.

    For thousands of rows this is about a third faster than `db.session.execute`, which runs
    them through the ORM's result processing. Pending changes are flushed first, as
    `db.session.execute` would (unless autoflush is off).
    """
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection().execute(statement, parameters or {})


@cache
def _summary_statements():
    """The two statements of measure_summaries, built once with the programme as a parameter.

    Building a statement and working out its cache key cost more than running it on a small
    portfolio; a statement built once is looked up in SQLAlchemy's compiled cache at once.
    """
    programme_id = bindparam("programme_id")
    effects = (
        select(PlannedEffect.measure_id, PlannedEffect.year, PlannedEffect.net_cost_change_nok)
        .join(Measure, Measure.id == PlannedEffect.measure_id)
        .where(Measure.programme_id == programme_id)
        .order_by(PlannedEffect.measure_id, PlannedEffect.year)
    )
    measures = (
        select(
            Measure.id,
            Measure.code,
            Measure.sort_key,
            Measure.title,
            Measure.service,
            Measure.effect_type,
            Measure.status,
            Measure.owner_id,
            WorkGroup.id,
            WorkGroup.number,
            WorkGroup.name,
            User.username,
            User.full_name,
        )
        .join(WorkGroup, WorkGroup.id == Measure.group_id)
        .outerjoin(User, User.id == Measure.owner_id)
        .where(Measure.programme_id == programme_id)
        .order_by(Measure.sort_key)
    )
    return effects, measures


def measure_summaries(programme: Programme) -> list[MeasureSummary]:
    """Every measure of a programme in code order with its plan, in two queries whatever its size.

    Both queries are filtered by the programme (no lists of ids), so the number of statements does
    not grow with the portfolio; plain rows, no ORM objects, so 5 000 measures load quickly.
    """
    effects_query, measures_query = _summary_statements()
    parameters = {"programme_id": programme.id}
    effects: dict[int, dict[int, int]] = {}
    for measure_id, year, net_cost_change_nok in plain_rows(effects_query, parameters):
        effects.setdefault(measure_id, {})[year] = figures.saving_from_net_change(net_cost_change_nok)
    rows = plain_rows(measures_query, parameters)
    groups: dict[int, GroupRef] = {}
    owners: dict[int, OwnerRef] = {}
    found = []
    for (
        measure_id,
        code,
        sort_key,
        title,
        service,
        effect_type,
        status,
        owner_id,
        group_id,
        group_number,
        group_name,
        username,
        full_name,
    ) in rows:
        group = groups.get(group_id) or groups.setdefault(group_id, GroupRef(group_id, group_number, group_name))
        owner = None
        if owner_id is not None:
            owner = owners.get(owner_id) or owners.setdefault(
                owner_id, OwnerRef(owner_id, username, full_name or username)
            )
        plan = figures.MeasurePlan(
            code=code,
            group_number=group_number,
            status=status,
            effect_type=effect_type,
            owner=username if owner_id is not None else None,
            planned_savings_nok=effects.get(measure_id, {}),
        )
        found.append(
            MeasureSummary(
                measure_id, code, sort_key, title, service, effect_type, status, owner_id, group, owner, plan
            )
        )
    return found


def plan_years(programme: Programme, plans: list[figures.MeasurePlan]) -> list[int]:
    """The years shown: every year any plan has a saving for, and the programme period."""
    years = set(programme.plan_years)
    for plan in plans:
        years.update(plan.planned_savings_nok)
    return sorted(years)


def measure_plan(measure: Measure) -> figures.MeasurePlan:
    """The pure view of one measure used by every computation."""
    return figures.MeasurePlan(
        code=measure.code,
        group_number=measure.group.number,
        status=measure.status,
        effect_type=measure.effect_type,
        owner=measure.owner.username if measure.owner else None,
        planned_savings_nok={
            effect.year: figures.saving_from_net_change(effect.net_cost_change_nok)
            for effect in measure.planned_effects
        },
    )


def summary_years(programme: Programme, measures: list[Measure]) -> list[int]:
    """The years shown: every year any measure has a plan for, and the programme period."""
    years = set(programme.plan_years)
    for measure in measures:
        years.update(effect.year for effect in measure.planned_effects)
    return sorted(years)


def portfolio_summary(programme: Programme, as_of=None) -> dict:
    """The object printed by `portfolio summary --json`; keep its keys stable.

    Figures come from the benefits computation (tracker.benefits.services.programme_figures) as of
    the given quarter (default: the current one), so they match the dashboard and the exports.
    """
    from tracker.benefits.services import programme_figures
    from tracker.periods import current_quarter

    as_of = as_of or current_quarter()
    computed = programme_figures(programme, as_of)

    def _row(row) -> dict:
        return {
            "planned_savings_nok": row.planned_nok,
            "forecast_nok": row.forecast_nok,
            "risk_adjusted_forecast_nok": row.risk_adjusted_forecast_nok,
            "realised_nok": row.realised_nok,
            "realised_approved_nok": row.realised_approved_nok,
            "taken_out_nok": row.taken_out_nok,
            "target_nok": row.target_nok,
            "gap_nok": row.gap_nok,
        }

    summary = {
        "programme": programme.name,
        "measures": len(load_measures(programme)),
        "as_of": as_of.key,
        "has_example_data": bool(programme.has_example_data),
        "years": {str(row.year): _row(row) for row in computed.years},
        "groups": {
            str(group.number): {
                "name": group.name,
                "savings_requirement_nok": group.savings_requirement_nok,
                "years": {str(row.year): _row(row) for row in group.years},
            }
            for group in computed.groups
        },
    }
    if programme.has_example_data:
        summary["note"] = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."
    return summary


# --- the overview: filtering, sorting, totals that follow the filter ---------------------------


@dataclass(frozen=True)
class OverviewFilter:
    """What the user chose on the overview page; None means "all"."""

    group_number: int | None = None
    service: str | None = None
    status: str | None = None
    effect_type: str | None = None
    # A user id as text, or NO_OWNER for measures nobody owns yet.
    owner: str | None = None
    sort: str = "kode"
    is_descending: bool = False


NO_OWNER = "ingen"
NO_EFFECT_TYPE = "ingen"
SORTS = ("kode", "tittel", "gruppe", "status", "ansvarlig")


@dataclass(frozen=True)
class OverviewRow:
    measure: MeasureSummary
    plan: figures.MeasurePlan
    # plan.counts, worked out once per row (the template asks twice per row, for thousands of rows).
    counts: bool


@dataclass(frozen=True)
class Overview:
    years: list[int]
    rows: list[OverviewRow]
    totals_nok: dict[int, int]
    services: list[str]
    owners: list[OwnerRef]


def _matches(measure: MeasureSummary, chosen: OverviewFilter) -> bool:
    if chosen.group_number is not None and measure.group.number != chosen.group_number:
        return False
    if chosen.service and measure.service != chosen.service:
        return False
    if chosen.status and measure.status != chosen.status:
        return False
    if chosen.effect_type == NO_EFFECT_TYPE:
        if measure.effect_type:
            return False
    elif chosen.effect_type and measure.effect_type != chosen.effect_type:
        return False
    if chosen.owner == NO_OWNER:
        return measure.owner_id is None
    return not chosen.owner or str(measure.owner_id) == chosen.owner


def _sort_key(sort: str):
    """A key function for OverviewRow; "innsparing-2029" sorts by that year's planned saving."""
    if sort.startswith("innsparing-") and sort[11:].isdigit():
        year = int(sort[11:])
        return lambda row: (row.plan.planned_savings_nok.get(year, 0), row.measure.sort_key)
    keys = {
        "tittel": lambda row: (row.measure.title.casefold(), row.measure.sort_key),
        "gruppe": lambda row: (row.measure.group.number, row.measure.sort_key),
        "status": lambda row: (STATUSES.index(row.measure.status), row.measure.sort_key),
        "ansvarlig": lambda row: (
            row.measure.owner is None,
            row.measure.owner.display_name.casefold() if row.measure.owner else "",
            row.measure.sort_key,
        ),
    }
    return keys.get(sort, lambda row: row.measure.sort_key)


def portfolio_overview(programme: Programme, chosen: OverviewFilter) -> Overview:
    """The overview table: filtered and sorted rows, and totals per year over the rows shown."""
    measures = measure_summaries(programme)
    years = plan_years(programme, [measure.plan for measure in measures])
    rows = [
        OverviewRow(measure, measure.plan, measure.plan.counts) for measure in measures if _matches(measure, chosen)
    ]
    rows.sort(key=_sort_key(chosen.sort), reverse=chosen.is_descending)
    owners = {measure.owner.id: measure.owner for measure in measures if measure.owner is not None}
    return Overview(
        years=years,
        rows=rows,
        totals_nok=figures.planned_by_year([row.plan for row in rows], years),
        services=sorted({measure.service for measure in measures if measure.service}, key=str.casefold),
        owners=sorted(owners.values(), key=lambda user: user.display_name.casefold()),
    )


def measure_years(measure: Measure) -> list[int]:
    """The years a measure's plan is edited and shown for: the programme period and its plan."""
    years = set(measure.programme.plan_years)
    years.update(effect.year for effect in measure.planned_effects)
    return sorted(years)


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
    from tracker.benefits.models import PlanRevision  # the ledger owns the plan history

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


def import_upload(path: str, user: User) -> ImportResult:
    """Import an uploaded .json or .xlsx portfolio file (admin only); the caller commits."""
    permissions.require_admin(user, "portfolio.import")
    return import_file(path, user=user)
