"""The follow-up blueprint and the measure-page panel helper."""

from flask import Blueprint

from tracker.followup import services
from tracker.periods import today_oslo

bp = Blueprint("followup", __name__, url_prefix="/oppfolging")


@bp.app_context_processor
def inject_followup_panel() -> dict:
    """`followup_panel(measure)` for templates/followup/_measure_panel.html."""
    return {"followup_panel": lambda measure: services.panel_summary(measure, today_oslo())}
