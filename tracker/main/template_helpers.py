"""Jinja filters and globals: the Norwegian formats used on every page."""

from flask import Flask
from flask_login import current_user

from tracker import confidence, money, palette, periods
from tracker.benefits.standing import gap_text
from tracker.main.shell import page_shell
from tracker.portfolio.figures import EFFECT_TYPE_BASES
from tracker.portfolio.lookups import example_data_flag
from tracker.portfolio.status import STATUS_LABELS
from tracker.programmes import pages as programme_pages


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["nok"] = money.format_nok
    app.jinja_env.filters["mnok"] = money.format_mnok
    app.jinja_env.filters["number"] = money.format_decimal
    app.jinja_env.filters["date"] = periods.format_date
    app.jinja_env.filters["datetime"] = periods.format_datetime
    app.jinja_env.filters["status_label"] = lambda status: STATUS_LABELS.get(status, status)
    app.jinja_env.filters["confidence_class"] = palette.css_class
    app.jinja_env.filters["light_fill"] = palette.fill_class
    app.jinja_env.filters["gap"] = gap_text
    app.jinja_env.filters["confidence_label"] = lambda level: confidence.LABELS.get(level, "Ingen statusrapport")
    app.jinja_env.filters["mnok_gap"] = money.format_mnok_gap
    app.jinja_env.filters["quarter_label"] = lambda key: periods.Quarter.parse(key).label if key else ""
    app.jinja_env.globals["page_shell"] = page_shell
    app.jinja_env.filters["effect_type_basis"] = lambda basis: EFFECT_TYPE_BASES.get(basis, basis or "")

    @app.context_processor
    def inject_globals() -> dict:
        # The switcher is for logged-in pages only: not the log-in page, the public report page or a
        # report rendered by the scheduler (no request, so no user).
        is_logged_in = getattr(current_user, "is_authenticated", False)
        switch = programme_pages.switcher(current_user) if is_logged_in else None
        return {"has_example_data": example_data_flag(), "programme_switch": switch}
