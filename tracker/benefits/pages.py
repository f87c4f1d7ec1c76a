"""What the benefits pages show: context builders that keep the views thin."""

import io
from dataclasses import dataclass, replace

from wtforms.fields.choices import SelectChoice

from tracker.benefits import queries, rules, services
from tracker.benefits.dashboard import quarter_choices
from tracker.benefits.export import figures_workbook
from tracker.benefits.models import BudgetTakeOut, QuarterlyFigure
from tracker.benefits.programme import programme_figures, thresholds
from tracker.money import format_nok
from tracker.periods import Quarter, current_quarter, quarters_of_year
from tracker.portfolio.lookups import example_data_flag
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import get_programme, measure_plan, plain_rows
from tracker.portfolio.status import counts_in_totals
from tracker.web.paging import PAGE_ROWS, Page, page_link, page_number, page_of, page_of_statement

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the owner's page and the ledger --------------------------------------------------------------


def owner_context(user, quarter: Quarter) -> dict:
    measures = [m for m in queries.owned_measures(user) if counts_in_totals(m.status)]
    reported = queries.figures_for_quarter(measures, quarter)
    rows = [
        {"measure": m, "figure": reported.get(m.id), "planned_nok": queries.planned_saving(m, quarter.year)}
        for m in measures
    ]
    # What is due per measure (figures, status update, consequences, risk) is tracker.followup's
    # "owner_due", shown on the same page.
    return {"quarter": quarter, "rows": rows, "is_closed": queries.is_closed(quarter)}


def owner_pages(context: dict, args) -> dict:
    """The owner's two lists a page at a time (an owner of hundreds of measures).

    The list of what is due is tracker.followup's "owner_due" (a template global); it gets the page asked for.
    """
    return {
        "page": page_of(context["rows"], page_number(args.get("side")), page_link("benefits.mine", {})),
        "due_page_number": page_number(args.get("rapporter_side")),
    }


def measure_years(
    measure: Measure,
    as_of: Quarter,
    figures: list[QuarterlyFigure] | None = None,
    take_outs: dict[int, BudgetTakeOut] | None = None,
) -> list[rules.MeasureYear]:
    """The measure's figures per year, computed by the same rules as the dashboard.

    `figures` and `take_outs` (queries.measure_figures, queries.measure_take_outs) save reading
    them again when the caller has them.
    """
    reports = [
        rules.ReportedFigure(
            measure.code,
            f.year,
            f.quarter,
            f.realised_to_date_nok,
            f.forecast_year_nok,
            f.is_approved,
            f.explanation,
            f.corrective_action,
        )
        for f in (queries.measure_figures(measure) if figures is None else figures)
        if f.period <= as_of
    ]
    confidence = queries.measure_confidence(measure, as_of)
    item = rules.MeasureInput(measure_plan(measure), measure.title, confidence)
    take_outs = queries.measure_take_outs(measure) if take_outs is None else take_outs
    years = sorted(set(measure.programme.plan_years) | {e.year for e in measure.planned_effects})
    return [
        rules.measure_year(item, reports, year, as_of, getattr(take_outs.get(year), "amount_nok", 0), thresholds())[0]
        for year in years
    ]


def ledger_context(measure: Measure, now: Quarter) -> dict:
    figures = queries.measure_figures(measure, with_history=True)
    take_outs = queries.measure_take_outs(measure)
    by_period = {f.period: f for f in figures}
    years = measure_years(measure, now, figures, take_outs)
    # Quarter tables for the current year and every year with a report, newest first.
    shown = sorted({now.year} | {f.year for f in figures}, reverse=True)
    quarters = {year: [q for q in quarters_of_year(year) if q <= now] for year in shown}
    closed = {c.period for c in queries.closed_quarters()}
    return {
        "years": years,
        "quarters": quarters,
        "by_period": by_period,
        "closed": closed,
        "now": now,
        "revisions": queries.plan_revisions(measure),
        "take_outs": take_outs,
        "corrections": [(f, r) for f in figures for r in f.revisions],
        "counts": counts_in_totals(measure.status),
    }


def panel_summary(measure: Measure, years: list[rules.MeasureYear] | None = None) -> rules.MeasureYear | None:
    """The current year's ledger line for the measure page's panel (`years`: measure_years as of now, if read)."""
    now = current_quarter()
    return next((row for row in years or measure_years(measure, now) if row.year == now.year), None)


@dataclass(frozen=True)
class UnapprovedFigure:
    """A row of the periods page's list of figures waiting for approval."""

    id: int
    measure_id: int
    code: str
    title: str
    period: Quarter
    realised_to_date_nok: int
    forecast_year_nok: int
    version: int


@dataclass(frozen=True)
class Approvals:
    """The periods page's figures waiting for approval: all of them on one page when they fit, else
    one quarter at a time (`quarters` lists each quarter's count) and a page of that quarter."""

    page: Page
    quarters: tuple[tuple[Quarter, int], ...] = ()
    quarter: Quarter | None = None


def approvals(programme: Programme | None, args) -> Approvals:
    """What waits for approval, bounded: a list of at most PAGE_ROWS rows however many there are."""
    if programme is None:
        return Approvals(page_of([], 1, page_link("benefits.periods", {})))
    counts = queries.unapproved_counts(programme)
    if sum(count for _, count in counts) <= PAGE_ROWS:
        rows = plain_rows(queries.unapproved_statement(programme))
        return Approvals(page_of(_unapproved(rows), 1, page_link("benefits.periods", {})))
    by_key = {quarter.key: (quarter, count) for quarter, count in counts}
    quarter, count = by_key.get(args.get("kvartal") or "", counts[0])
    statement = queries.unapproved_in_quarter_statement(programme, quarter)
    link = page_link("benefits.periods", {"kvartal": quarter.key})
    page = page_of_statement(statement, page_number(args.get("side")), link, total=count)
    return Approvals(replace(page, rows=_unapproved(page.rows)), counts, quarter)


def _unapproved(rows) -> list[UnapprovedFigure]:
    return [
        UnapprovedFigure(row.id, row.measure_id, row.code, row.title, Quarter(row.year, row.quarter), *row[6:])
        for row in rows
    ]


def year_choices(programme: Programme) -> list[SelectChoice]:
    return [SelectChoice(year, str(year)) for year in programme.plan_years]


def closable_quarters() -> list[SelectChoice]:
    programme = get_programme()
    if programme is None:
        return []
    closed = {c.period for c in queries.closed_quarters()}
    return [SelectChoice(q.key, q.label) for q in quarter_choices(programme) if q not in closed]


# --- forms ------------------------------------------------------------------------------------


@dataclass
class FigureFormData:
    """A stored report as form defaults (amounts as Norwegian text)."""

    realised: str = ""
    forecast: str = ""
    explanation: str = ""
    corrective_action: str = ""
    comment: str = ""
    version: str = "0"

    @classmethod
    def of(cls, figure) -> "FigureFormData":
        if figure is None:
            return cls()
        return cls(
            format_nok(figure.realised_to_date_nok),
            format_nok(figure.forecast_year_nok),
            figure.explanation,
            figure.corrective_action,
            figure.comment,
            str(figure.version),
        )


def figure_input(form) -> services.FigureInput:
    return services.FigureInput(
        realised_to_date_nok=form.realised.amount,
        forecast_year_nok=form.forecast.amount,
        explanation=form.explanation.data or "",
        corrective_action=form.corrective_action.data or "",
        comment=form.comment.data or "",
        correction_reason=form.correction_reason.data or "",
        seen_version=form.version.seen(),
    )


def take_out_form_data(measure: Measure, year: int) -> dict:
    """The year's stored take-out as the take-out form shows it ("stored now" on the conflict page)."""
    take_out = queries.get_take_out(measure, year)
    if take_out is None:
        return {"year": year, "amount": "", "comment": ""}
    return {"year": year, "amount": format_nok(take_out.amount_nok), "comment": take_out.comment}


def current_plan(measure: Measure) -> list[tuple[int, int]]:
    """(year, planned saving in kroner) for every year of the programme: what the plan form changes."""
    return [(year, queries.planned_saving(measure, year)) for year in measure.programme.plan_years]


def plan_form_data(measure: Measure, year: int) -> dict:
    """The year's stored plan as the plan form shows it ("stored now" on the conflict page)."""
    return {"year": year, "new_saving": format_nok(queries.planned_saving(measure, year)), "reason": ""}


def export_bytes(programme: Programme, as_of: Quarter) -> io.BytesIO:
    data = figures_workbook(programme.name, programme_figures(programme, as_of), example_data_flag())
    return io.BytesIO(data)
