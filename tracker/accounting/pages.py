"""What the accounting pages show: the measure page's panel (aggregates for all), a measure's lines (admins)."""

from collections.abc import Iterable, Mapping

from tracker.accounting import queries, rules, services
from tracker.accounting.forms import FilterForm
from tracker.accounting.models import KIND_LABELS
from tracker.portfolio.models import Measure

LINES_PER_PAGE = 200
FILTER_FIELDS = ("ansvar", "art", "funksjon", "prosjekt")


def refused_filter(typed: Mapping) -> dict[str, str]:
    """The filter fields of a refused filter, from the measure page's query string."""
    return {name: str(typed.get(name) or "")[:100] for name in FILTER_FIELDS}


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


def measure_panel(measure: Measure, is_admin: bool, figures: dict, typed: Mapping | None = None) -> dict:
    """The panel's data: its figures (panel_figures) and, for an admin, the filters and the filter form.

    The form renders without its CSRF token (the template leaves a slot for it, filled per request),
    so the panel can be cached. `typed` is a refused filter sent back
    (tracker.accounting.views.add_filter), shown in the form again.
    """
    return {
        **figures,
        "filters": queries.measure_filters(measure.id) if is_admin else (),
        "is_admin": is_admin,
        "form": FilterForm(formdata=None, data=refused_filter(typed or {}), meta={"csrf": False}) if is_admin else None,
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
