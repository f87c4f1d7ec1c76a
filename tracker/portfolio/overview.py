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
    # The year of the follow-up columns (None: the current year), and SHOW_DEVIATION, SHOW_MISSING or SHOW_AT_RISK.
    year: int | None = None
    show: str | None = None


NO_OWNER = "ingen"
NO_EFFECT_TYPE = "ingen"
SORTS = ("kode", "tittel", "gruppe", "status", "ansvarlig")
SHOW_DEVIATION = "avvik"
SHOW_MISSING = "mangler-rapport"
SHOW_AT_RISK = "prognose-i-fare"
SHOW_LABELS = {SHOW_DEVIATION: "Avvik", SHOW_MISSING: "Mangler rapport", SHOW_AT_RISK: "Prognose i fare"}


@dataclass(frozen=True)
class FollowUp:
    """A measure's follow-up in the overview's year, worked out above this layer (tracker.measures.overview_columns).

    Amounts are savings in kroner; `deviation_nok` is the forecast minus the adopted plan (below plan is
    negative); `missing` names what the owner has not reported for the quarter ("tall", "statusrapport").
    """

    adopted_plan_nok: int | None = None
    forecast_nok: int | None = None
    deviation_nok: int | None = None
    is_deviation: bool = False
    has_report: bool = False
    confidence: str | None = None
    last_update: str | None = None
    missing: tuple[str, ...] = ()
    # Why the forecast is at risk ("prognose i fare"), one sentence per reason; empty when it is not.
    at_risk_reasons: tuple[str, ...] = ()

    @property
    def is_forecast_at_risk(self) -> bool:
        return bool(self.at_risk_reasons)


NO_FOLLOW_UP = FollowUp()


@dataclass(frozen=True)
class OverviewRow:
    measure: MeasureSummary
    plan: figures.MeasurePlan
    # Not rejected or stopped, worked out once per row (the template asks twice per row, for thousands of rows).
    counts: bool
    follow_up: FollowUp = NO_FOLLOW_UP
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
    # The year of the follow-up columns.
    year: int | None = None
    # The adopted plan and forecast of the year, summed over the rows shown that are adopted.
    plan_total_nok: int = 0
    forecast_total_nok: int = 0


def _shows(follow_up: FollowUp, show: str | None) -> bool:
    if show == SHOW_DEVIATION:
        return follow_up.is_deviation
    if show == SHOW_MISSING:
        return bool(follow_up.missing)
    if show == SHOW_AT_RISK:
        return follow_up.is_forecast_at_risk
    return True


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


def portfolio_overview(
    programme: Programme,
    chosen: OverviewFilter,
    measures: list[MeasureSummary] | None = None,
    follow_up: dict[int, FollowUp] | None = None,
) -> Overview:
    """The overview table: filtered and sorted rows; the adopted plan and the menu per year over the rows shown.

    `measures` (measure_summaries) saves loading them again; `follow_up` is each measure's follow-up
    in `chosen.year`, by measure id, for the follow-up columns and the "vis bare" filter.
    """
    measures = measure_summaries(programme) if measures is None else measures
    follow_up = follow_up or {}
    years = plan_years(programme, [measure.plan for measure in measures])
    rows = [
        OverviewRow(
            measure,
            measure.plan,
            counts_in_totals(measure.status),
            follow_up.get(measure.id, NO_FOLLOW_UP),
            measure.plan.is_adopted,
        )
        for measure in measures
        if _matches(measure, chosen)
    ]
    rows = [row for row in rows if _shows(row.follow_up, chosen.show)]
    rows.sort(key=_sort_key(chosen.sort), reverse=chosen.is_descending)
    owners = {measure.owner.id: measure.owner for measure in measures if measure.owner is not None}
    return Overview(
        years=years,
        rows=rows,
        totals_nok=figures.planned_by_year([row.plan for row in rows], years),
        menu_totals_nok=figures.menu_by_year([row.plan for row in rows], years),
        services=sorted({measure.service for measure in measures if measure.service}, key=str.casefold),
        owners=sorted(owners.values(), key=lambda user: user.display_name.casefold()),
        year=chosen.year,
        plan_total_nok=sum(row.follow_up.adopted_plan_nok or 0 for row in rows if row.plan.counts),
        forecast_total_nok=sum(row.follow_up.forecast_nok or 0 for row in rows if row.plan.counts),
    )
