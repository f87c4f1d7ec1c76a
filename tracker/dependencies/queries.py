"""The "prognose i fare" flags of a programme, read once per day and data version.

Why: the dashboard, the overview, ledergruppe's work queue and the API each show the flag, often in
one request (the dashboard shows the work queue's preview); the flags change only with the data and
the day lateness is judged on, so they are kept in the read model (tracker.readmodel) like the figures.
"""

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from sqlalchemy import select

from tracker.dependencies import rules
from tracker.dependencies.models import MeasureDependency
from tracker.extensions import db
from tracker.milestones.queries import late_milestone_rows
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import measure_summaries
from tracker.readmodel.cache import cached


def forecast_at_risk(programme: Programme, today: date) -> Mapping[str, rules.AtRisk]:
    """{code: AtRisk} as of `today` (read-only: one value is shared by every request of the worker)."""
    return cached(("forecast_at_risk", programme.id, today), lambda: MappingProxyType(_computed(programme, today)))


def _computed(programme: Programme, today: date) -> dict[str, rules.AtRisk]:
    """The dependencies of the programme, its late milestones and the codes, each read once (plain rows)."""
    edges = db.session.execute(
        select(Measure.code, MeasureDependency.depends_on_id)
        .join(Measure, Measure.id == MeasureDependency.measure_id)
        .where(Measure.programme_id == programme.id)
    ).all()
    codes = {measure.id: measure.code for measure in measure_summaries(programme)}
    depends_on: dict[str, set[str]] = {}
    for code, upstream_id in edges:
        depends_on.setdefault(code, set()).add(codes[upstream_id])
    late = [
        rules.LateMilestone(codes[m.measure_id], m.title, m.due_date) for m in late_milestone_rows(programme.id, today)
    ]
    return rules.at_risk(late, depends_on, codes.values())
