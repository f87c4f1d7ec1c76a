"""What the portfolio risk view shows, rendered once per day, page and data version.

The view depends only on the data and on today's date (late milestones), so its HTML is rendered
once per data version and day in each worker (tracker.readmodel) and reused; its three long
lists show a page at a time (web.paging). The heatmap is sorted by risk level, highest first, the
unassessed measures grouped at the end with their count; a page of it may hold both groups.
"""

from datetime import date

from flask import render_template
from markupsafe import Markup

from tracker.dependencies.services import flagged_measure_ids
from tracker.periods import today_oslo
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import MeasureSummary, measure_summaries
from tracker.readmodel.cache import cached
from tracker.risks import load, rules, services
from tracker.web.paging import page_link, page_number, page_of

# The query-string names of the pages of the view's three long lists.
PAGE_ARGUMENTS = ("vurderes_side", "forsinket_side", "side")


def portfolio_body(programme: Programme, args) -> Markup:
    """The risk view's HTML below the page header, for the pages asked for in `args`."""
    today = today_oslo()
    page_numbers = tuple(page_number(args.get(name)) for name in PAGE_ARGUMENTS)
    key = ("risk_view", programme.id, today, page_numbers)
    return cached(key, lambda: _rendered(programme, today, page_numbers))


def dependency_flags(programme: Programme, today: date) -> list[tuple[MeasureSummary, list[MeasureSummary]]]:
    """(dependent measure, the late measures it builds on), in code order, from the read model."""
    by_id = {measure.id: measure for measure in measure_summaries(programme)}
    rows = [
        (by_id[dependent], [by_id[upstream] for upstream in upstreams if upstream in by_id])
        for dependent, upstreams in flagged_measure_ids(programme.id, today).items()
        if dependent in by_id
    ]
    return sorted(rows, key=lambda row: row[0].sort_key)


def _rendered(programme: Programme, today: date, page_numbers: tuple[int, int, int]) -> Markup:
    view = services.portfolio_risk(programme)
    unassessed, flagged, heatmap = (
        page_of(rows, number, page_link("risks.portfolio", {}, name))
        for rows, number, name in zip(
            (view.unassessed_significant, dependency_flags(programme, today), view.rows),
            page_numbers,
            PAGE_ARGUMENTS,
            strict=True,
        )
    )
    return Markup(
        render_template(
            "risks/_portfolio_body.html",
            programme=programme,
            view=view,
            unassessed=unassessed,
            flagged=flagged,
            heatmap=heatmap,
            heatmap_assessed=[row for row in heatmap.rows if row[1] is not None],
            heatmap_unassessed=[row for row in heatmap.rows if row[1] is None],
            unassessed_count=len(view.unassessed_rows),
            load=load.load_view(view.rows),
            counts=services.level_counts(view.rows),
            level_labels=rules.LEVEL_LABELS,
        )
    )
