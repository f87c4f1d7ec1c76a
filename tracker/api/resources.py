"""The API's lists as data: name, columns, rows, parameters and who may read them.

The views, the CSV writer and the OpenAPI description all read this one table, so a list, its
columns and its description cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tracker.api import benefit_rows, followup_rows, summary_rows
from tracker.api.fields import Field
from tracker.api.listing import window
from tracker.api.params import ListQuery

PROGRAMME, AS_OF, YEAR = "programme", "as_of", "year"


@dataclass(frozen=True)
class Resource:
    name: str
    summary: str
    fields: tuple[Field, ...]
    rows: Callable[[ListQuery], list[dict]]
    parameters: tuple[str, ...] = (PROGRAMME,)
    is_admin_only: bool = False
    # The rows function reads one page itself (`offset`, `limit` + 1 rows): for lists that only grow.
    is_paged_by_rows: bool = False

    @property
    def is_per_programme(self) -> bool:
        return PROGRAMME in self.parameters

    def page(self, query: ListQuery) -> tuple[list[dict], bool]:
        """One page of rows, each with exactly the declared keys in their order, and whether more follow."""
        if self.is_per_programme and query.programme is None:
            return [], False
        rows = self.rows(query)
        if self.is_paged_by_rows:
            items, has_more = rows[: query.limit], query.limit is not None and len(rows) > query.limit
        else:
            items, has_more = window(rows, query.offset, query.limit)
        return [{column.name: row[column.name] for column in self.fields} for row in items], has_more


RESOURCES = (
    Resource("programmes", "The programmes", benefit_rows.PROGRAMME_FIELDS, benefit_rows.programme_rows, ()),
    Resource("groups", "The work groups of a programme", benefit_rows.GROUP_FIELDS, benefit_rows.group_rows),
    Resource(
        "measures",
        "One row per measure: status, owner, traffic light and its figures for one year (the dashboard's)",
        benefit_rows.MEASURE_FIELDS,
        benefit_rows.measure_rows,
        (PROGRAMME, AS_OF, YEAR),
    ),
    Resource(
        "measure-years",
        "One row per counted measure and year: plan, forecast, risk-adjusted forecast, realised, taken out",
        benefit_rows.MEASURE_YEAR_FIELDS,
        benefit_rows.measure_year_rows,
        (PROGRAMME, AS_OF, YEAR),
    ),
    Resource(
        "quarterly-figures",
        "Every quarterly report of realised savings and forecast, as reported",
        benefit_rows.QUARTERLY_FIGURE_FIELDS,
        benefit_rows.quarterly_figure_rows,
    ),
    Resource(
        "later-forecasts",
        "Forecasts for later years of the plan period, given with the quarterly reports",
        benefit_rows.LATER_FORECAST_FIELDS,
        benefit_rows.later_forecast_rows,
    ),
    Resource(
        "status-updates", "Submitted quarterly status updates", followup_rows.UPDATE_FIELDS, followup_rows.update_rows
    ),
    Resource(
        "milestones", "Milestones and their state today", followup_rows.MILESTONE_FIELDS, followup_rows.milestone_rows
    ),
    Resource(
        "kpis", "KPIs with their latest value, trend and progress", followup_rows.KPI_FIELDS, followup_rows.kpi_rows
    ),
    Resource(
        "kpi-measurements",
        "Every quarterly KPI measurement",
        followup_rows.KPI_MEASUREMENT_FIELDS,
        followup_rows.kpi_measurement_rows,
    ),
    Resource(
        "risk-assessments",
        "Organisational-risk assessments (history kept)",
        followup_rows.ASSESSMENT_FIELDS,
        followup_rows.assessment_rows,
    ),
    Resource(
        "risk-items", "The measures' risk registers", followup_rows.RISK_ITEM_FIELDS, followup_rows.risk_item_rows
    ),
    Resource(
        "employee-consequences",
        "Consequences for employees (what AMU sees)",
        followup_rows.CONSEQUENCE_FIELDS,
        followup_rows.consequence_rows,
    ),
    Resource(
        "summary",
        "Per year: the programme, each work group and each effect type (`portfolio summary --json`)",
        summary_rows.SUMMARY_FIELDS,
        summary_rows.summary_rows,
        (PROGRAMME, AS_OF, YEAR),
    ),
    Resource(
        "audit-entries",
        "The audit trail, newest first (admin only, as the audit page)",
        followup_rows.AUDIT_FIELDS,
        followup_rows.audit_rows,
        (),
        is_admin_only=True,
        is_paged_by_rows=True,
    ),
)
BY_NAME = {resource.name: resource for resource in RESOURCES}
