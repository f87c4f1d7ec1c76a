"""The employee-consequences page of a measure: one record, shown to readers, edited by the owner."""

from flask import Blueprint

from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.staff import services
from tracker.staff.forms import EmployeeConsequenceForm
from tracker.web.items import ItemPages

bp = Blueprint("staff", __name__, url_prefix="/oppfolging")


# One record per measure: its page is its edit form, and the first save creates it.
pages = ItemPages(bp, None, EmployeeConsequenceForm, measure_or_404, page_context, "staff")
pages.record_page(
    "/tiltak/<int:measure_id>/ansatte",
    "edit",
    services.consequence_for,
    services.save_consequence,
    "Konsekvensene for ansatte er lagret.",
    fill_form=EmployeeConsequenceForm.fill,
)
