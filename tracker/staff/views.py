"""The employee-consequences page of a measure: one record, shown to readers, edited by the owner."""

from flask import Blueprint, request

from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.staff import services
from tracker.staff.forms import EmployeeConsequenceForm
from tracker.web.items import ItemPages

bp = Blueprint("staff", __name__, url_prefix="/oppfolging")


def _record(measure) -> dict:
    return {"record": services.consequence_for(measure)}


def _fill_form(form: EmployeeConsequenceForm, measure) -> None:
    record = services.consequence_for(measure) if request.method == "GET" else None
    if record is not None:
        form.fill(record)


# One record per measure: its list page is its edit form.
pages = ItemPages(bp, None, EmployeeConsequenceForm, measure_or_404, page_context, "staff")
pages.list_page(
    "/tiltak/<int:measure_id>/ansatte",
    "edit",
    _record,
    services.save_consequence,
    "Konsekvensene for ansatte er lagret.",
    prepare_form=_fill_form,
)
