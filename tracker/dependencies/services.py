"""Dependencies between measures and the flag a late milestone upstream raises downstream."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from tracker.accounts.permissions import require_measure_edit
from tracker.audit import services as audit
from tracker.database import flush_or_conflict
from tracker.dependencies import queries, rules
from tracker.dependencies.models import MeasureDependency
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.milestones.services import late_measure_ids
from tracker.portfolio.models import Measure, Programme
from tracker.text import check_texts, line

NOTE_RULE = line(500)


class DependencyError(ServiceError):
    """A dependency that cannot be added (self, duplicate, other programme, a cycle)."""


def _refused(message: str) -> DependencyError:
    return DependencyError(message, {"depends_on": message})


@dataclass(frozen=True)
class DependencyView:
    depends_on: list[MeasureDependency]  # measures this one builds on
    needed_by: list[MeasureDependency]  # measures that build on this one
    late_upstream: list[Measure]  # measures this one builds on that have a late milestone


def _upstream_ids(measure_id: int) -> set[int]:
    """Every measure `measure_id` builds on, directly or through others."""
    seen: set[int] = set()
    frontier = {measure_id}
    while frontier:
        rows = db.session.scalars(
            select(MeasureDependency.depends_on_id).where(MeasureDependency.measure_id.in_(frontier))
        )
        frontier = set(rows) - seen
        seen |= frontier
    return seen


def candidates_for(measure: Measure) -> list[Measure]:
    """The measures `measure` may build on: the programme's others, in the overview's order."""
    return list(
        db.session.scalars(
            select(Measure)
            .where(Measure.programme_id == measure.programme_id, Measure.id != measure.id)
            .order_by(Measure.sort_key)
        )
    )


def add_dependency(measure: Measure, depends_on: Measure, actor, note: str = "") -> MeasureDependency:
    """Record that `measure` builds on `depends_on`; refuses self, duplicates and cycles."""
    require_measure_edit(actor, measure, "dependency.create")
    check_texts({"note": note}, {"note": NOTE_RULE}, DependencyError)
    if depends_on.id == measure.id:
        raise _refused("Et tiltak kan ikke bygge på seg selv.")
    if depends_on.programme_id != measure.programme_id:
        raise _refused("Tiltakene hører til ulike programmer.")
    duplicate = db.session.scalar(
        select(MeasureDependency.id).where(
            MeasureDependency.measure_id == measure.id, MeasureDependency.depends_on_id == depends_on.id
        )
    )
    if duplicate:
        raise _refused(f"{measure.code} bygger allerede på {depends_on.code}.")
    if measure.id in _upstream_ids(depends_on.id):
        raise _refused(f"{depends_on.code} bygger allerede (direkte eller indirekte) på {measure.code}.")
    dependency = MeasureDependency(measure=measure, depends_on=depends_on, note=note)
    db.session.add(dependency)
    flush_or_conflict(db.session)  # the same dependency added at the same moment: a conflict, not a 500
    audit.record("dependency.create", user=actor, obj=dependency, measure_id=measure.id)
    return dependency


def remove_dependency(dependency: MeasureDependency, actor) -> None:
    require_measure_edit(actor, dependency.measure, "dependency.delete")
    audit.record(
        "dependency.delete",
        user=actor,
        obj=dependency,
        measure_id=dependency.measure_id,
        changes=audit.deleted(dependency),
    )
    db.session.delete(dependency)


def dependency_view(measure: Measure, today: date) -> DependencyView:
    """Both directions of a measure's dependencies and the late measures it builds on."""
    rows = list(
        db.session.scalars(
            select(MeasureDependency).where(
                or_(MeasureDependency.measure_id == measure.id, MeasureDependency.depends_on_id == measure.id)
            )
        )
    )
    depends_on = sorted((d for d in rows if d.measure_id == measure.id), key=lambda d: d.depends_on.sort_key)
    needed_by = sorted((d for d in rows if d.depends_on_id == measure.id), key=lambda d: d.measure.sort_key)
    late = late_measure_ids([d.depends_on_id for d in depends_on], today) if depends_on else set()
    return DependencyView(depends_on, needed_by, [d.depends_on for d in depends_on if d.depends_on_id in late])


def flagged_measure_ids(programme_id: int, today: date) -> dict[int, list[int]]:
    """Dependent measure id → ids of the measures it builds on that have a late milestone."""
    rows = list(
        db.session.execute(
            select(MeasureDependency.measure_id, MeasureDependency.depends_on_id)
            .join(Measure, Measure.id == MeasureDependency.measure_id)
            .where(Measure.programme_id == programme_id)
        )
    )
    late = late_measure_ids(sorted({upstream for _, upstream in rows}), today) if rows else set()
    flagged: dict[int, list[int]] = {}
    for dependent, upstream in rows:
        if upstream in late:
            flagged.setdefault(dependent, []).append(upstream)
    return flagged


def forecast_at_risk(programme: Programme, today: date) -> Mapping[str, rules.AtRisk]:
    """{code: AtRisk} of every measure whose forecast is at risk ("prognose i fare") as of `today`.

    At risk: a late milestone of its own, or building (directly or through others) on a measure
    with a late milestone. The dashboard, the overview, the work queue, the API and the reports call
    this; computed once per programme, day and data version (tracker.dependencies.queries).
    """
    return queries.forecast_at_risk(programme, today)
