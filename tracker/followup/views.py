"""Shared pieces of the follow-up pages: measure lookup, the measure-page panel helper."""

from flask import Blueprint, abort
from flask_login import current_user

from tracker.accounts.permissions import can_comment, can_edit_measure
from tracker.extensions import db
from tracker.followup import services
from tracker.periods import today_oslo
from tracker.portfolio.models import Measure

bp = Blueprint("followup", __name__, url_prefix="/oppfolging")


def measure_or_404(measure_id: int) -> Measure:
    return db.session.get(Measure, measure_id) or abort(404)


def page_context(measure: Measure, active: str) -> dict:
    """What every per-measure follow-up page needs: the measure, the sub-menu, the user's rights."""
    return {
        "measure": measure,
        "active": active,
        "can_edit": can_edit_measure(current_user, measure),
        "can_comment": can_comment(current_user),
    }


@bp.app_context_processor
def inject_followup_panel() -> dict:
    """`followup_panel(measure)` for templates/followup/_measure_panel.html."""
    return {"followup_panel": lambda measure: services.panel_summary(measure, today_oslo())}
