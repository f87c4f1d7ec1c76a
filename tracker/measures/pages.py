"""What the portfolio pages show beyond the read model: the overview and the measure page.

The overview's form and table depend only on the query string and the data, and a measure's page
(but for its buttons) only on the data and today's date: both are rendered once per data version
in each worker (tracker.readmodel) and reused.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask import render_template, url_for
from markupsafe import Markup

from tracker.accounting import pages as accounting_pages
from tracker.benefits import pages as benefits_pages
from tracker.followup import services as followup
from tracker.measures import forms, overview_columns
from tracker.periods import Quarter, current_quarter, today_oslo
from tracker.portfolio import overview as overview_rules
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import measure_summaries, measure_years, menu_savings, plan_years
from tracker.readmodel.cache import cached
from tracker.readmodel.fragments import fill_slots, render_slotted
from tracker.web.forms import hidden_csrf_field
from tracker.web.paging import page_link, page_number, page_of
from tracker.web.paths import id_path_prefix

COLUMNS = (("kode", "Kode"), ("tittel", "Tiltak"), ("gruppe", "Arbeidsgruppe"), ("status", "Status"))
OWNER_COLUMN = ("ansvarlig", "Tiltaksansvarlig")


@dataclass(frozen=True)
class SortHeader:
    """A column header that sorts by its column; the sorted column's link reverses the order."""

    label: str
    href: str
    next_direction: str
    aria_sort: str = ""
    css_class: str = ""


def sort_headers(args: dict, sort: str, is_descending: bool, years: list[int]) -> list[SortHeader]:
    """The overview's headers: the measure columns, then one per plan year (keeping the other filters)."""
    columns = [*COLUMNS, OWNER_COLUMN] + [(f"innsparing-{year}", str(year)) for year in years]
    shared = {name: value for name, value in args.items() if name not in ("submit", "side")}
    headers = []
    for key, label in columns:
        is_active = sort == key
        direction = "synkende" if is_active and not is_descending else "stigende"
        headers.append(
            SortHeader(
                label=label,
                href=url_for("portfolio.overview", **{**shared, "sorter": key, "retning": direction}),
                next_direction=direction,
                aria_sort=("descending" if is_descending else "ascending") if is_active else "",
                css_class="num" if key.startswith("innsparing-") else "",
            )
        )
    return headers


def chosen_filter(form: forms.OverviewFilterForm, years: list[int], now: Quarter) -> overview_rules.OverviewFilter:
    """The filter the form asks for; the follow-up year is the current year unless another plan year is chosen."""
    group, year = form.gruppe.data or "", form.aar.data or ""
    return overview_rules.OverviewFilter(
        group_number=int(group) if group.isdigit() else None,
        service=form.tjeneste.data or None,
        status=form.status.data or None,
        effect_type=form.effekttype.data or None,
        owner=form.ansvarlig.data or None,
        sort=form.sorter.data or "kode",
        is_descending=form.retning.data == "synkende",
        year=int(year) if year.isdigit() and int(year) in years else (now.year if now.year in years else years[0]),
        show=form.vis.data or None,
    )


def overview_fragments(programme: Programme, args) -> tuple[Markup, Markup]:
    """The overview's lead and its filter form and table (one page of it) for these query arguments.

    The key holds the current quarter (the follow-up columns are as of it and the default year follows
    from it) and today: "prognose i fare" moves with the calendar (a milestone due yesterday is late today).
    """
    now = current_quarter()
    key = ("overview", programme.id, now, today_oslo(), tuple(sorted(args.items(multi=True))))
    return cached(key, lambda: _rendered_overview(programme, args, now))


def _rendered_overview(programme: Programme, args, now: Quarter) -> tuple[Markup, Markup]:
    form = forms.OverviewFilterForm(formdata=args)
    measures = measure_summaries(programme)
    chosen = chosen_filter(form, plan_years(programme, [measure.plan for measure in measures]), now)
    follow_up = overview_columns.follow_up_data(programme, measures, now)
    columns = overview_columns.follow_up_columns(follow_up, measures, chosen.year)
    overview = overview_rules.portfolio_overview(programme, chosen, measures, columns)
    form.set_choices(programme, overview)
    kept = {name: value for name, value in args.items() if name not in ("submit", "side")}
    page = page_of(overview.rows, page_number(args.get("side")), page_link("portfolio.overview", kept))
    context = {
        "overview": overview,
        "rows": page.rows,
        "page": page,
        "form": form,
        "measure_path": id_path_prefix("portfolio.measure"),
        "sort_headers": sort_headers(
            args.to_dict(), form.sorter.data or "kode", form.retning.data == "synkende", overview.years
        ),
    }
    return tuple(Markup(render_template(f"portfolio/_overview_{part}.html", **context)) for part in ("lead", "body"))


def measure_fragments(measure: Measure) -> tuple[Markup, Markup, Markup]:
    """A measure's page above its buttons, below them, and after the accounting panel.

    The buttons and the accounting panel depend on who asks and are rendered per request.
    """
    today = today_oslo()
    return cached(("measure_page", measure.id, today), lambda: _rendered_measure(measure, today))


def _rendered_measure(measure: Measure, today) -> tuple[Markup, Markup, Markup]:
    context = {
        "measure": measure,
        "years": measure_years(measure),
        "menu_savings": menu_savings(measure),
        "benefits_panel": benefits_pages.panel_summary(measure, benefit_years(measure, current_quarter())),
        "followup_panel": followup.panel_summary(measure, today),
    }
    return tuple(
        Markup(render_template(f"portfolio/_measure_{part}.html", **context)) for part in ("top", "body", "tail")
    )


def measure_actions(measure: Measure, can_edit: bool, is_admin: bool) -> tuple[Markup, Markup]:
    """The measure page's buttons and its scenario panel (an admin's links): the same for every reader
    with these rights, so rendered once per measure, rights and data version."""
    context = {"measure": measure, "can_edit": can_edit, "is_admin": is_admin}
    return cached(
        ("measure_actions", measure.id, can_edit, is_admin),
        lambda: tuple(
            Markup(render_template(name, **context))
            for name in ("portfolio/_measure_buttons.html", "scenarios/_measure_panel.html")
        ),
    )


def accounting_panel(measure: Measure, is_admin: bool, typed: Mapping | None = None) -> Markup:
    """The measure page's accounting panel as HTML: rendered once per data version, quarter and kind
    of reader (an admin sees the filters and their forms), the reader's CSRF token filled in per request.

    `typed` is the query string of a refused filter sent back: an admin's form then shows it again,
    rendered for this request only.
    """
    now = current_quarter()
    retyped = is_admin and any(accounting_pages.refused_filter(typed or {}).values())
    if retyped:
        html = _rendered_panel(measure, now, is_admin, typed)
    else:
        html = cached(("accounting_panel", measure.id, now, is_admin), lambda: _rendered_panel(measure, now, is_admin))
    return fill_slots(html, hidden_csrf_field() if is_admin else None)


def _rendered_panel(measure: Measure, now, is_admin: bool, typed: Mapping | None = None) -> Markup:
    figures = accounting_pages.panel_figures(measure, benefit_years(measure, now))
    panel = accounting_pages.measure_panel(measure, is_admin, figures, typed)
    return render_slotted("accounting/_measure_panel.html", measure=measure, accounting_panel=panel)


def benefit_years(measure: Measure, as_of) -> tuple:
    """The measure's benefits per year (benefits.pages.measure_years), read once for both panels."""
    return cached(("benefit_years", measure.id, as_of), lambda: tuple(benefits_pages.measure_years(measure, as_of)))
