"""Planned savings per year, work group and effect type. Pure: no Flask, no database.

Savings are positive kroner: the negation of the report's net cost change. A measure that adds
cost (2.11) has a negative saving; measures that are `ikke vedtatt` or `avbrutt` count nowhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.portfolio.status import counts_in_totals

# The report's four kinds of effect (section 1.3); a measure may also have none given.
EFFECT_TYPES = ("Høyere produktivitet", "Bedre strategi", "Lavere volum", "Økte inntekter")


@dataclass(frozen=True)
class MeasurePlan:
    code: str
    group_number: int
    status: str
    effect_type: str | None = None
    owner: str | None = None
    # {year: planned saving in kroner}, positive = saving.
    planned_savings_nok: dict[int, int] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        return counts_in_totals(self.status)


def saving_from_net_change(net_cost_change_nok: int) -> int:
    """The report's sign (negative = lower cost) flipped to a saving (positive = saving)."""
    return -net_cost_change_nok


def planned_by_year(plans: Iterable[MeasurePlan], years: Iterable[int]) -> dict[int, int]:
    """Total planned saving per year over the measures that count."""
    counted = [plan for plan in plans if plan.counts]
    return {year: sum(plan.planned_savings_nok.get(year, 0) for plan in counted) for year in years}
