"""Milestone pages of a measure: the list with its add form, edit and delete."""

from flask import Blueprint

from tracker.milestones import services
from tracker.milestones.forms import MilestoneForm
from tracker.milestones.models import Milestone
from tracker.milestones.rules import STATE_LABELS
from tracker.periods import today_oslo
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.web.items import ItemPages

bp = Blueprint("milestones", __name__, url_prefix="/oppfolging")


def _list_context(measure) -> dict:
    return {"milestones": services.milestones_for(measure), "today": today_oslo(), "labels": STATE_LABELS}


pages = ItemPages(bp, Milestone, MilestoneForm, measure_or_404, page_context, "milestones")
pages.list_page(
    "/tiltak/<int:measure_id>/milepaeler", "index", _list_context, services.create_milestone, "Milepælen er lagt til."
)
pages.edit_page("/milepaeler/<int:milestone_id>", "edit", services.update_milestone, "Milepælen er oppdatert.")
pages.delete_action(
    "/milepaeler/<int:milestone_id>/slett", "delete", services.delete_milestone, "Milepælen er slettet."
)
