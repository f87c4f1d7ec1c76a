"""The overview page's rules: filtering, sorting, and totals that follow the filter."""

from dataclasses import dataclass, field

from tracker.portfolio import figures
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import MeasureSummary, OwnerRef, measure_summaries, plan_years
from tracker.portfolio.status import STATUSES, counts_in_totals


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
    # Not rejected or stopped, worked out once per row (the template asks twice per row, for thousands of rows).
    counts: bool
    is_adopted: bool = False


@dataclass(frozen=True)
class Overview:
    years: list[int]
    rows: list[OverviewRow]
    # The adopted plan over the rows shown ("Vedtatt").
    totals_nok: dict[int, int]
    services: list[str]
    owners: list[OwnerRef]
    # The report's figures over the rows shown, whatever their status ("Meny").
    menu_totals_nok: dict[int, int] = field(default_factory=dict)


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
    """The overview table: filtered and sorted rows; the adopted plan and the menu per year over the rows shown."""
    measures = measure_summaries(programme)
    years = plan_years(programme, [measure.plan for measure in measures])
    rows = [
        OverviewRow(measure, measure.plan, counts_in_totals(measure.status), measure.plan.is_adopted)
        for measure in measures
        if _matches(measure, chosen)
    ]
    rows.sort(key=_sort_key(chosen.sort), reverse=chosen.is_descending)
    owners = {measure.owner.id: measure.owner for measure in measures if measure.owner is not None}
    return Overview(
        years=years,
        rows=rows,
        totals_nok=figures.planned_by_year([row.plan for row in rows], years),
        menu_totals_nok=figures.menu_by_year([row.plan for row in rows], years),
        services=sorted({measure.service for measure in measures if measure.service}, key=str.casefold),
        owners=sorted(owners.values(), key=lambda user: user.display_name.casefold()),
    )
