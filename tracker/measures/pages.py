"""What the portfolio pages show beyond the read model: the overview and the measure page.

The overview's form and table depend only on the query string and the data, and a measure's page
(but for its buttons) only on the data and today's date: both are rendered once per data version
in each worker (tracker.readmodel) and reused.
"""

from dataclasses import dataclass

from flask import render_template, url_for
from markupsafe import Markup

from tracker.accounting import pages as accounting_pages
from tracker.benefits import pages as benefits_pages
from tracker.followup import services as followup
from tracker.measures import forms
from tracker.periods import current_quarter, today_oslo
from tracker.portfolio import overview as overview_rules
from tracker.portfolio.models import Measure, Programme
from tracker.portfolio.queries import measure_years, menu_savings
from tracker.readmodel.cache import cached
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


def chosen_filter(form: forms.OverviewFilterForm) -> overview_rules.OverviewFilter:
    group = form.gruppe.data or ""
    return overview_rules.OverviewFilter(
        group_number=int(group) if group.isdigit() else None,
        service=form.tjeneste.data or None,
        status=form.status.data or None,
        effect_type=form.effekttype.data or None,
        owner=form.ansvarlig.data or None,
        sort=form.sorter.data or "kode",
        is_descending=form.retning.data == "synkende",
    )


def overview_body(programme: Programme, args) -> Markup:
    """The overview's filter form and table (one page of it) for these query arguments."""
    key = ("overview", programme.id, tuple(sorted(args.items(multi=True))))
    return cached(key, lambda: _rendered_overview(programme, args))


def _rendered_overview(programme: Programme, args) -> Markup:
    form = forms.OverviewFilterForm(formdata=args)
    overview = overview_rules.portfolio_overview(programme, chosen_filter(form))
    form.set_choices(programme, overview)
    kept = {name: value for name, value in args.items() if name not in ("submit", "side")}
    page = page_of(overview.rows, page_number(args.get("side")), page_link("portfolio.overview", kept))
    return Markup(
        render_template(
            "portfolio/_overview_body.html",
            overview=overview,
            rows=page.rows,
            page=page,
            form=form,
            measure_path=id_path_prefix("portfolio.measure"),
            sort_headers=sort_headers(
                args.to_dict(), form.sorter.data or "kode", form.retning.data == "synkende", overview.years
            ),
        )
    )


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


def accounting_panel(measure: Measure, user) -> dict:
    """The measure page's accounting panel: its figures once per data version, the user's part per request."""
    now = current_quarter()
    figures = cached(
        ("accounting_panel", measure.id, now),
        lambda: accounting_pages.panel_figures(measure, benefit_years(measure, now)),
    )
    return accounting_pages.measure_panel(measure, user, figures)


def benefit_years(measure: Measure, as_of) -> tuple:
    """The measure's benefits per year (benefits.pages.measure_years), read once for both panels."""
    return cached(("benefit_years", measure.id, as_of), lambda: tuple(benefits_pages.measure_years(measure, as_of)))
