"""The ledergruppe dashboard: "Status mot målet", figures, charts and tables, rendered once per data version.

Everything but the work queue's preview and the action buttons depends only on the programme, the
quarter and year looked at, the current quarter, the day lateness is judged on, the pages of its
long lists and the data, so it is rendered to HTML once per data version in each worker
(tracker.readmodel) and reused. The work queue's preview depends on today's date and comes from
tracker.meetings (a template global, with its own cache keyed by the day); the buttons depend on
who asks. Both are rendered per request.
"""

from dataclasses import dataclass
from datetime import date

from flask import render_template
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from tracker.accounting.services import programme_comparison
from tracker.benefits import charts, standing, tables, totals
from tracker.benefits.forms import DashboardFilterForm
from tracker.benefits.programme import programme_figures
from tracker.dependencies.services import forecast_at_risk
from tracker.periods import Quarter, begun_quarters, current_quarter, today_oslo
from tracker.portfolio.figures import EFFECT_TYPE_BASES
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import measure_summaries
from tracker.readmodel.cache import cached
from tracker.web.paging import page_number
from tracker.web.paths import id_path_prefix

PAGE_ARGUMENTS = tables.PAGE_ARGUMENTS


def as_of_from(text: str | None) -> Quarter:
    """The quarter asked for ("2026-Q2"), never later than the current one; else the current one."""
    now = current_quarter()
    try:
        asked = Quarter.parse(text) if text else now
    except ValueError:
        return now
    return min(asked, now)


def quarter_choices(programme: Programme) -> list[Quarter]:
    """Quarters from the programme's first year up to now, newest first."""
    return begun_quarters(programme.start_year, current_quarter())


def default_year(figures: totals.ProgrammeFigures) -> int:
    """The dashboard's year: the year of the quarter looked at (the current year by default), else the nearest year shown."""
    years = [row.year for row in figures.years]
    later = [year for year in years if year >= figures.as_of.year]
    return later[0] if later else years[-1]


def _chosen_year(text: str | None, figures: totals.ProgrammeFigures) -> int:
    years = [row.year for row in figures.years]
    try:
        year = int(text or "")
    except ValueError:
        return default_year(figures)
    return year if year in years else default_year(figures)


def year_chart(figures: totals.ProgrammeFigures):
    rows = list(figures.years)
    return charts.bar_chart(
        "diagram-per-aar",
        "Planlagt, prognose og realisert innsparing per år, med mål",
        [str(row.year) for row in rows],
        [
            charts.Series("Planlagt", "bar-planned", tuple(row.planned_nok for row in rows)),
            charts.Series("Prognose", "bar-forecast", tuple(row.forecast_nok for row in rows)),
            charts.Series("Realisert", "bar-realised", tuple(row.realised_nok for row in rows)),
        ],
        markers={i: row.target_nok for i, row in enumerate(rows) if row.target_nok is not None},
    )


def group_chart(figures: totals.ProgrammeFigures, year: int):
    rows = [(group, group.year(year)) for group in figures.groups]
    return charts.bar_chart(
        "diagram-per-gruppe",
        f"Innsparing per arbeidsgruppe i {year}, med sparekrav",
        [str(group.number) for group, _ in rows],
        [
            charts.Series("Planlagt", "bar-planned", tuple(row.planned_nok for _, row in rows)),
            charts.Series("Prognose", "bar-forecast", tuple(row.forecast_nok for _, row in rows)),
            charts.Series("Realisert", "bar-realised", tuple(row.realised_nok for _, row in rows)),
        ],
        markers={i: row.target_nok for i, (_, row) in enumerate(rows) if row.target_nok is not None},
        marker_name="Sparekrav",
    )


def dashboard_context(programme: Programme, args, is_admin: bool) -> dict:
    """The dashboard's HTML around its work-queue preview, its buttons, and the quarter looked at.

    The key holds the current quarter: the quarter looked at, the quarters offered and the year of
    "Status mot målet" follow from it, so a new quarter renders afresh even without a write. It
    holds the day lateness is judged on too: "prognose i fare" moves with the calendar, not only
    with the data (a milestone due yesterday is late today).
    """
    as_of = as_of_from(args.get("quarter"))
    figures = programme_figures(programme, as_of)
    year = _chosen_year(args.get("year"), figures)
    page_numbers = tuple(page_number(args.get(name)) for name in PAGE_ARGUMENTS)
    day = at_risk_day(as_of)
    key = ("dashboard", programme.id, as_of, year, current_quarter(), day, page_numbers)
    top, filters, body = cached(key, lambda: _rendered(programme, figures, year, page_numbers, day))
    return {"as_of": as_of, "top": top, "filters": filters, "actions": actions_html(as_of, is_admin), "body": body}


def actions_html(as_of: Quarter, is_admin: bool) -> Markup:
    """The dashboard's buttons (an admin's include the import and the periods): once per quarter and kind of reader."""
    return cached(
        ("dashboard_actions", as_of, is_admin),
        lambda: Markup(render_template("benefits/_dashboard_actions.html", as_of=as_of, is_admin=is_admin)),
    )


def _rendered(
    programme: Programme, figures: totals.ProgrammeFigures, year: int, page_numbers, day: date
) -> tuple[Markup, Markup, Markup]:
    as_of = figures.as_of
    form = DashboardFilterForm(formdata=None)
    form.year.choices = [SelectChoice(row.year, str(row.year)) for row in figures.years]
    form.quarter.choices = [SelectChoice(q.key, q.label) for q in quarter_choices(programme)]
    form.year.data, form.quarter.data = year, as_of.key
    accounting = programme_comparison(programme, figures.measures, [row.year for row in figures.years])
    measures = measure_summaries(programme)
    by_code = {m.code: m for m in measures}
    context = {
        "programme": programme,
        "figures": figures,
        "year": year,
        "as_of": as_of,
        "standings": standing.standings(figures, as_of.year),
        "headline": figures.year(year),
        "has_adopted": any(measure.plan.is_adopted for measure in measures),
        "type_bases": type_bases(measures),
        "at_risk_rows": at_risk_rows(programme, day, measures, {code: m.id for code, m in by_code.items()}),
        "form": form,
        "year_chart": year_chart(figures),
        "group_chart": group_chart(figures, year),
        **tables.dashboard_tables(figures, year, by_code, page_numbers),
        "accounting": accounting,
        "accounting_rows": tables.accounting_rows(accounting),
    }
    return tuple(
        Markup(render_template(f"benefits/_dashboard_{part}.html", **context)) for part in ("top", "filters", "body")
    )


def type_bases(measures) -> list[tuple[str, int]]:
    """How many measures have their effect type from each basis ("oppgitt i rapporten": 24, …)."""
    counts: dict[str, int] = {}
    for measure in measures:
        if measure.effect_type:
            label = EFFECT_TYPE_BASES.get(measure.effect_type_basis, "uten oppgitt grunnlag")
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


@dataclass(frozen=True)
class AtRiskRow:
    """An adopted measure whose forecast is at risk ("prognose i fare"), with why and a link to its page."""

    code: str
    title: str
    reasons: tuple[str, ...]
    href: str


def at_risk_day(as_of: Quarter) -> date:
    """The day lateness is judged on: today, or the last day of an earlier quarter looked at."""
    return min(today_oslo(), as_of.end_date)


def at_risk_rows(programme: Programme, day: date, measures, ids: dict[str, int]) -> list[AtRiskRow]:
    """The adopted measures flagged "prognose i fare" on `day` (at_risk_day), in code order."""
    flagged = forecast_at_risk(programme, day)
    measure_path = id_path_prefix("portfolio.measure")
    return [
        AtRiskRow(m.code, m.title, flagged[m.code].reasons, f"{measure_path}{ids[m.code]}")
        for m in measures
        if m.plan.is_adopted and m.code in flagged
    ]
