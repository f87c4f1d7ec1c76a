"""The programme summary printed by `portfolio summary --json`: the benefits figures per year and group."""

from tracker.accounting.services import programme_comparison, summary_keys
from tracker.benefits.programme import programme_figures
from tracker.benefits.totals import FigureRow, ProgrammeFigures
from tracker.periods import current_quarter
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import load_measures


def summary_values(row: FigureRow) -> dict:
    """One year's figures as `portfolio summary --json` names them (also the API's summary rows).

    `planned_savings_nok` is the adopted plan; `menu_nok` the report's figures of every measure.
    """
    return {
        "planned_savings_nok": row.planned_nok,
        "forecast_nok": row.forecast_nok,
        "risk_adjusted_forecast_nok": row.risk_adjusted_forecast_nok,
        "realised_nok": row.realised_nok,
        "realised_approved_nok": row.realised_approved_nok,
        "taken_out_nok": row.taken_out_nok,
        "target_nok": row.target_nok,
        "gap_nok": row.gap_nok,
        "menu_nok": row.menu_nok,
        "carried_gap_nok": row.carried_gap_nok,
        "one_off_nok": row.one_off_nok,
        "taken_out_approved_nok": row.taken_out_approved_nok,
    }


def portfolio_summary(programme: Programme, as_of=None, computed: ProgrammeFigures | None = None) -> dict:
    """The object printed by `portfolio summary --json`; keep its keys stable.

    Figures come from the benefits computation (tracker.benefits.programme.programme_figures) as of
    the given quarter (default: the current one), so they match the dashboard and the exports.
    `computed` saves computing them again when the caller has them for the same quarter.
    """
    as_of = as_of or current_quarter()
    computed = computed or programme_figures(programme, as_of)
    summary = {
        "programme": programme.name,
        "measures": len(load_measures(programme)),
        "as_of": as_of.key,
        "has_example_data": bool(programme.has_example_data),
        "years": {str(row.year): summary_values(row) for row in computed.years},
        "groups": {
            str(group.number): {
                "name": group.name,
                "savings_requirement_nok": group.savings_requirement_nok,
                "years": {str(row.year): summary_values(row) for row in group.years},
            }
            for group in computed.groups
        },
    }
    accounting = programme_comparison(programme, computed.measures, [row.year for row in computed.years])
    for year, keys in summary_keys(accounting).items():
        summary["years"][year].update(keys)
    summary["accounting_mapped_share"] = accounting.mapped_share
    if programme.has_example_data:
        summary["note"] = "Eksempeldata – tallene er ikke Elverum kommunes faktiske oppfølging."
    return summary
