"""What the benefits pages show: context builders that keep the views thin."""

import io
from dataclasses import dataclass, replace

from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from tracker.benefits import queries, rules, services, totals
from tracker.benefits.dashboard import quarter_choices
from tracker.benefits.export import figures_workbook, quarter_workbook
from tracker.benefits.importing import template_headers, template_row
from tracker.benefits.models import BudgetTakeOut, QuarterlyFigure
from tracker.benefits.programme import programme_figures, thresholds
from tracker.money import format_nok
from tracker.periods import Quarter, current_quarter, quarters_of_year
from tracker.portfolio.lookups import example_data_flag
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import measure_plan, plain_rows
from tracker.portfolio.status import is_adopted, keeps_realised
from tracker.readmodel.cache import cached
from tracker.readmodel.fragments import render_slotted
from tracker.web.paging import PAGE_ROWS, Page, page_link, page_number, page_of, page_of_statement
from tracker.web.paths import id_path_parts, id_path_prefix

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the owner's page and the ledger --------------------------------------------------------------


def owner_context(user, programme: Programme | None, quarter: Quarter) -> dict:
    """The owner's work queue in the programme: their measures, what is due; and how many they own elsewhere."""
    owned = [m for m in queries.owned_measures(user) if is_adopted(m.status)]
    programme_id = programme.id if programme is not None else None
    measures = [m for m in owned if m.programme_id == programme_id]
    reported = queries.figures_for_quarter(measures, quarter)
    rows = [
        {"measure": m, "figure": reported.get(m.id), "planned_nok": queries.planned_saving(m, quarter.year)}
        for m in measures
    ]
    # What is due per measure (figures, status update, consequences, risk) is tracker.followup's
    # "owner_due", shown on the same page.
    return {
        "quarter": quarter,
        "rows": rows,
        "is_closed": queries.is_closed(quarter),
        "elsewhere": len(owned) - len(measures),
        "programme": programme,
    }


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
    stored = queries.measure_figures(measure) if figures is None else figures
    reports = [f for f in stored if f.period <= as_of]
    item = rules.MeasureInput(measure_plan(measure), measure.title, queries.measure_confidence(measure, as_of))
    years = sorted(set(measure.programme.plan_years) | {e.year for e in measure.planned_effects})
    # Read before the status is looked at: the page issues the same statements for a measure whose
    # plan counts as for one whose plan does not (the scale benchmark compares such measures).
    take_outs = queries.measure_take_outs(measure) if take_outs is None else take_outs
    closed_years = queries.closed_years(as_of)
    if not item.plan.counts:
        return [rules.measure_year(item, [], year, as_of)[0] for year in years]
    ledger = totals.LedgerInput(
        taken_out={(measure.code, year): t.amount_nok for year, t in take_outs.items()},
        taken_out_approved={(measure.code, year): t.amount_nok for year, t in take_outs.items() if t.is_approved},
        later=tuple(queries.later_forecasts_of(measure.code, reports)),
        closed_years=closed_years,
        thresholds=thresholds(),
    )
    rows, _, _ = totals.measure_rows([item], [queries.reported(f) for f in reports], years, as_of, ledger)
    return [row for row, _ in rows]


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
        "counts": keeps_realised(measure.status),
        "is_adopted": is_adopted(measure.status),
    }


def ledger_body(measure: Measure, now: Quarter, can_report: bool, is_admin: bool) -> Markup:
    """The ledger page below its title, rendered once per data version, quarter and kind of reader
    (who may report, who may approve); its forms' CSRF tokens are slots the view fills per request."""
    key = ("ledger", measure.id, now, can_report, is_admin)
    return cached(key, lambda: _rendered_ledger(measure, now, can_report, is_admin))


def _rendered_ledger(measure: Measure, now: Quarter, can_report: bool, is_admin: bool) -> Markup:
    context = ledger_context(measure, now)
    return render_slotted(
        "benefits/_ledger_body.html", measure=measure, can_report=can_report, is_admin=is_admin, **context
    )


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


def approvals(programme: Programme | None, quarter_key: str, number: int) -> Approvals:
    """What waits for approval, bounded: a list of at most PAGE_ROWS rows however many there are."""
    if programme is None:
        return Approvals(page_of([], 1, page_link("benefits.periods", {})))
    counts = queries.unapproved_counts(programme)
    if sum(count for _, count in counts) <= PAGE_ROWS:
        rows = plain_rows(queries.unapproved_statement(programme))
        return Approvals(page_of(_unapproved(rows), 1, page_link("benefits.periods", {})))
    by_key = {quarter.key: (quarter, count) for quarter, count in counts}
    quarter, count = by_key.get(quarter_key, counts[0])
    statement = queries.unapproved_in_quarter_statement(programme, quarter)
    link = page_link("benefits.periods", {"kvartal": quarter.key})
    page = page_of_statement(statement, number, link, total=count)
    return Approvals(replace(page, rows=_unapproved(page.rows)), counts, quarter)


def periods_fragments(programme: Programme | None, args, is_admin: bool) -> tuple[Markup, Markup]:
    """The periods page's closed quarters and its figures waiting for approval, as HTML.

    Rendered once per data version, quarter, page and kind of reader (only an admin sees the
    approve buttons); each button's CSRF field is a slot the view fills per request.
    """
    quarter_key, number = args.get("kvartal") or "", page_number(args.get("side"))
    key = ("periods", getattr(programme, "id", None), quarter_key, number, is_admin)
    return cached(key, lambda: _rendered_periods(programme, quarter_key, number, is_admin))


def _rendered_periods(programme: Programme | None, quarter_key: str, number: int, is_admin: bool):
    closed = render_slotted("benefits/_periods_closed.html", closed=queries.closed_quarters())
    waiting = render_slotted(
        "benefits/_periods_approvals.html",
        approvals=approvals(programme, quarter_key, number),
        can_administer=is_admin,
        ledger_path=id_path_prefix("benefits.ledger"),
        approve_path=id_path_parts("benefits.approve", "figure_id"),
    )
    return closed, waiting


def _unapproved(rows) -> list[UnapprovedFigure]:
    return [
        UnapprovedFigure(row.id, row.measure_id, row.code, row.title, Quarter(row.year, row.quarter), *row[6:])
        for row in rows
    ]


def goal_rows(programme: Programme) -> list[tuple[str, list[int | None]]]:
    """The target trajectory: (programme or group, [target per plan year]) for the page «Mål og sparekrav»."""
    years = programme.plan_years
    rows = [("Programmet (mål)", [programme.target_for(year) for year in years])]
    rows += [
        (f"{group.label} (sparekrav)", [group.requirement_for(year) for year in years]) for group in programme.groups
    ]
    return rows


def target_form_data(programme: Programme, scope: str, year: int) -> dict:
    """The stored target of a scope ("program" or a group's id) and year as the target form shows it."""
    groups = {str(group.id): group for group in programme.groups}
    stored = groups[scope].requirement_for(year) if scope in groups else programme.target_for(year)
    return {"scope": scope, "year": year, "amount": "" if stored is None else format_nok(stored), "reason": ""}


def year_choices(programme: Programme) -> list[SelectChoice]:
    return [SelectChoice(year, str(year)) for year in programme.plan_years]


def closable_quarters(programme: Programme | None) -> list[SelectChoice]:
    """The quarters the close form offers: up to now and not closed yet (once per data version,
    programme and quarter; a closed quarter is closed for every programme)."""
    if programme is None:
        return []
    return list(cached(("closable_quarters", programme.id, current_quarter()), lambda: _closable(programme)))


def _closable(programme: Programme) -> tuple[SelectChoice, ...]:
    closed = {c.period for c in queries.closed_quarters()}
    return tuple(SelectChoice(q.key, q.label) for q in quarter_choices(programme) if q not in closed)


# --- forms ------------------------------------------------------------------------------------


def figure_form_data(figure) -> dict:
    """A stored report as form defaults (amounts as Norwegian text), later-year forecasts as `forecast_YYYY`,
    and its version (none stored: the form's "0")."""
    if figure is None:
        return {}
    data = {
        "version": str(figure.version),
        "realised": format_nok(figure.realised_to_date_nok),
        "forecast": format_nok(figure.forecast_year_nok),
        "one_off": format_nok(figure.one_off_nok) if figure.one_off_nok else "",
        "explanation": figure.explanation,
        "corrective_action": figure.corrective_action,
        "comment": figure.comment,
    }
    data.update({f"forecast_{year}": format_nok(amount) for year, amount in figure.later_forecasts_by_year().items()})
    return data


def later_years(measure: Measure, quarter: Quarter) -> list[int]:
    """The plan years after the quarter's year: each gets an optional forecast."""
    return [year for year in measure.programme.plan_years if year > quarter.year]


def figure_input(form) -> services.FigureInput:
    later = {year: getattr(form, f"forecast_{year}").amount for year in form.later_years}
    return services.FigureInput(
        realised_to_date_nok=form.realised.amount,
        forecast_year_nok=form.forecast.amount,
        explanation=form.explanation.data or "",
        corrective_action=form.corrective_action.data or "",
        comment=form.comment.data or "",
        correction_reason=form.correction_reason.data or "",
        one_off_nok=form.one_off.amount or 0,
        later_forecasts_nok={year: amount for year, amount in later.items() if amount is not None},
        seen_version=form.version.seen(),
    )


def quarter_template_bytes(programme: Programme, quarter: Quarter) -> bytes:
    """The quarter's figures of every adopted measure in the import's format, with a column per later year."""
    later = [year for year in programme.plan_years if year > quarter.year]
    measures = [m for m in queries.programme_measures(programme) if is_adopted(m.status)]
    stored = queries.figures_for_quarter(measures, quarter)
    take_outs = queries.programme_take_outs(programme, quarter.year)
    rows = [
        template_row(measure, quarter, stored.get(measure.id), later, take_outs.get(measure.id)) for measure in measures
    ]
    return quarter_workbook(template_headers(later), rows, example_data_flag())


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
