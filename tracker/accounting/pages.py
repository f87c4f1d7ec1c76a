"""What the accounting pages show: the measure page's panel (aggregates for all), a measure's lines (admins)."""

from collections.abc import Iterable

from tracker.accounting import queries, rules, services
from tracker.accounting.forms import FilterForm
from tracker.accounting.models import KIND_LABELS
from tracker.accounts.permissions import can_administer
from tracker.portfolio.models import Measure

LINES_PER_PAGE = 200


def panel_figures(measure: Measure, reported_rows: Iterable) -> dict:
    """The panel's figures, the same for every user: per year the ledger next to the reported figures; warnings.

    `reported_rows` are the benefits rows of the measure (year, realised_nok, taken_out_nok).
    """
    reported = {row.year: row for row in reported_rows}
    years = sorted(reported)
    ledger = services.measure_ledger(measure, years) if years else None
    percent, minimum = services.thresholds()
    comparisons = tuple(
        rules.compare(row, reported[row.year].realised_nok, reported[row.year].taken_out_nok, percent, minimum)
        for row in ledger or []
    )
    return {
        "is_mapped": ledger is not None,
        "comparisons": comparisons,
        "overlaps": tuple(services.overlaps(measure.programme, measure.id)),
        "missing_deflator_years": tuple(sorted({y for c in comparisons for y in c.ledger.missing_deflator_years})),
        "baseline_year": rules.BASELINE_YEAR,
    }


def measure_panel(measure: Measure, user, figures: dict) -> dict:
    """The panel's data: its figures (panel_figures) and, per user, the filters and the admin's form."""
    is_admin = can_administer(user)
    return {
        **figures,
        "filters": queries.measure_filters(measure.id),
        "is_admin": is_admin,
        "form": FilterForm(formdata=None) if is_admin else None,
    }


def lines_context(measure: Measure, year: int, page: int) -> dict:
    """One page of the ledger lines the measure's filters select in a year; the caller checked for an admin."""
    specs = queries.measure_specs(measure.id)
    offset = (page - 1) * LINES_PER_PAGE
    count, found = queries.matching_lines(specs, year, LINES_PER_PAGE, offset) if specs else (0, [])
    return {
        "measure": measure,
        "year": year,
        "page": page,
        "count": count,
        "lines": found,
        "per_page": LINES_PER_PAGE,
        "kind_labels": KIND_LABELS,
    }
