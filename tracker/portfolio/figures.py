"""Planned savings per year, work group and effect type. Pure: no Flask, no database.

Savings are positive kroner: the negation of the report's net cost change. A measure that adds
cost (2.11) has a negative saving. The menu is every measure with the report's figures, whatever
its status; the plan is the adopted measures only (tracker.portfolio.status.is_adopted).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.portfolio.status import is_adopted, keeps_realised

# The report's four kinds of effect (section 1.3); a measure may also have none given.
EFFECT_TYPES = ("Høyere produktivitet", "Bedre strategi", "Lavere volum", "Økte inntekter")
# Where a measure's effect type comes from: named in the report, inferred from the report's
# Tabell 3 (the per-type totals), or set by a user in the tracker.
EFFECT_TYPE_BASES = {
    "report": "oppgitt i rapporten",
    "inferred": "utledet fra rapportens tabell 3",
    "manual": "satt i trackeren",
}


@dataclass(frozen=True)
class MeasurePlan:
    code: str
    group_number: int
    status: str
    effect_type: str | None = None
    owner: str | None = None
    # {year: planned saving in kroner}, positive = saving.
    planned_savings_nok: dict[int, int] = field(default_factory=dict)
    # {year: the report's figure (the menu), positive = saving}, whatever the status.
    menu_savings_nok: dict[int, int] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        """Whether the measure has a line in the ledger's figures: adopted, or stopped with what it realised."""
        return keeps_realised(self.status)

    @property
    def is_adopted(self) -> bool:
        """Adopted: counts as planned, forecast and against the targets."""
        return is_adopted(self.status)


def saving_from_net_change(net_cost_change_nok: int) -> int:
    """The report's sign (negative = lower cost) flipped to a saving (positive = saving)."""
    return -net_cost_change_nok


def planned_by_year(plans: Iterable[MeasurePlan], years: Iterable[int]) -> dict[int, int]:
    """Total planned saving per year over the adopted measures (the plan)."""
    adopted = [plan for plan in plans if plan.is_adopted]
    return {year: sum(plan.planned_savings_nok.get(year, 0) for plan in adopted) for year in years}


def menu_by_year(plans: Iterable[MeasurePlan], years: Iterable[int]) -> dict[int, int]:
    """Total of the report's figures per year over every measure, whatever its status (the menu)."""
    plans = list(plans)
    return {year: sum(plan.menu_savings_nok.get(year, 0) for plan in plans) for year in years}
