"""The organisational-risk load per leader and per affected unit: every measure in change, weighted by its risk.

The weights and the sum are tracker.risks.rules (leader_and_unit_loads); this module reads the measures and
the threshold for the risk view. The work queue (tracker.meetings.queue) reads its own rows and sums them
with the same rule and the same threshold (`load_threshold`).
"""

from dataclasses import dataclass

from flask import current_app

from tracker.portfolio.models import Programme
from tracker.portfolio.queries import MeasureSummary
from tracker.risks import rules
from tracker.risks.services import ACTIVE_STATUSES, portfolio_risk


@dataclass(frozen=True)
class LoadView:
    threshold: int
    by_leader: tuple[rules.RiskLoad, ...]
    by_unit: tuple[rules.RiskLoad, ...]
    # Codes of measures in change that have no owner / name no affected unit.
    without_leader: tuple[str, ...]
    without_units: tuple[str, ...]


def load_threshold() -> int:
    """The load above which a leader or unit is flagged (RISK_LOAD_THRESHOLD)."""
    return int(current_app.config.get("RISK_LOAD_THRESHOLD", rules.DEFAULT_LOAD_THRESHOLD))


def load_item(measure: MeasureSummary, summary: rules.RiskSummary | None) -> rules.LoadItem:
    """A measure of the risk view as the load rules see it."""
    return rules.LoadItem(
        code=measure.code,
        leader=measure.owner.display_name if measure.owner else None,
        units=tuple(measure.affected_units or ()),
        level=summary.level if summary else None,
        is_in_change=measure.status in ACTIVE_STATUSES,
    )


def load_view(rows: list[tuple[MeasureSummary, rules.RiskSummary | None]], threshold: int | None = None) -> LoadView:
    """The load tables from the risk view's rows (services.portfolio_risk): per leader and per unit."""
    threshold = load_threshold() if threshold is None else threshold
    items = [load_item(measure, summary) for measure, summary in rows]
    by_leader, by_unit = rules.leader_and_unit_loads(items, threshold)
    in_change = [item for item in items if item.is_in_change]
    return LoadView(
        threshold=threshold,
        by_leader=tuple(by_leader),
        by_unit=tuple(by_unit),
        without_leader=tuple(item.code for item in in_change if not item.leader),
        without_units=tuple(item.code for item in in_change if not any(unit.strip() for unit in item.units)),
    )


def programme_load(programme: Programme) -> LoadView:
    """The programme's load per leader and per unit as of today."""
    return load_view(portfolio_risk(programme).rows)
