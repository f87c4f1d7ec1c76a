"""The summary list: `portfolio summary --json` as flat rows per year, programme, group and effect type.

Every figure comes from benefits.summary.portfolio_summary (the same computation as the dashboard).
"""

from tracker.api.benefit_rows import figures_of
from tracker.api.fields import field
from tracker.api.params import ListQuery
from tracker.benefits.summary import portfolio_summary, summary_values

SCOPES = ("programme", "group", "effect_type")
SUMMARY_FIELDS = (
    field("programme_id", "integer", "The programme's id."),
    field("scope", "string", "What the row sums: programme (all counted measures), group or effect_type."),
    field("group_number", "integer", "The work group (scope group).", nullable=True),
    field("group_name", "string", "The work group's name (scope group).", nullable=True),
    field("effect_type", "string", "The kind of effect (scope effect_type).", nullable=True),
    field("as_of", "quarter", "The quarter the figures are as of (`?as_of=`, default the current one)."),
    field("year", "integer", "The year."),
    field("planned_savings_nok", "kroner", "Planned saving of the adopted measures (the plan)."),
    field("menu_nok", "kroner", "The report's figures of every measure, whatever its status (the menu)."),
    field("forecast_nok", "kroner", "Full-year forecast."),
    field("risk_adjusted_forecast_nok", "kroner", "Forecast weighted by delivery confidence."),
    field("realised_nok", "kroner", "Realised so far."),
    field("realised_approved_nok", "kroner", "Realised so far, approved by the controller."),
    field("taken_out_nok", "kroner", "Taken out of the budgets."),
    field(
        "target_nok", "kroner", "The target (programme) or savings requirement (group) in target years.", nullable=True
    ),
    field("gap_nok", "kroner", "Target minus forecast (positive: still missing).", nullable=True),
    field(
        "carried_gap_nok",
        "kroner",
        "The previous year's shortfall (its target, else its plan, minus recurring realised) once its Q4 is closed.",
        nullable=True,
    ),
    field("one_off_nok", "kroner", "Of realised, the one-off part."),
    field("taken_out_approved_nok", "kroner", "Taken out of the budgets and approved by a controller."),
    field("savings_requirement_nok", "kroner", "The group's savings requirement (scope group).", nullable=True),
    field("accounting_indicated_nok", "kroner", "Saving indicated by the ledger (scope programme).", nullable=True),
    field("accounting_taken_out_nok", "kroner", "Take-out booked in the budgets (scope programme).", nullable=True),
    field(
        "accounting_mapped_share",
        "number",
        "Share of the plan on mapped measures, 0–1 (scope programme).",
        nullable=True,
    ),
)
NO_ACCOUNTING = {"accounting_indicated_nok": None, "accounting_taken_out_nok": None, "accounting_mapped_share": None}


def summary_rows(query: ListQuery) -> list[dict]:
    """`portfolio summary --json` as flat rows per year: programme, then each group; then each effect type."""
    figures = figures_of(query)
    summary = portfolio_summary(query.programme, query.as_of, figures)
    common = {"programme_id": query.programme.id, "as_of": summary["as_of"]}
    empty = {"group_number": None, "group_name": None, "effect_type": None, "savings_requirement_nok": None}
    empty.update(NO_ACCOUNTING)
    rows = [
        {**common, **empty, "scope": "programme", "year": int(year), **values}
        for year, values in summary["years"].items()
    ]
    for number, group in summary["groups"].items():
        own = {
            "group_number": int(number),
            "group_name": group["name"],
            "savings_requirement_nok": group["savings_requirement_nok"],
        }
        rows += [
            {**common, **empty, **own, "scope": "group", "year": int(year), **values}
            for year, values in group["years"].items()
        ]
    for kind in figures.effect_types:
        rows += [
            {
                **common,
                **empty,
                "scope": "effect_type",
                "effect_type": kind.effect_type,
                "year": row.year,
                **summary_values(row),
            }
            for row in kind.years
        ]
    return [row for row in rows if query.year is None or row["year"] == query.year]
