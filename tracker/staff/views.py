"""The employee-consequences page of a measure."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.staff import services
from tracker.staff.forms import EmployeeConsequenceForm

bp = Blueprint("staff", __name__, url_prefix="/oppfolging")


@bp.route("/tiltak/<int:measure_id>/ansatte", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    measure = measure_or_404(measure_id)
    record = services.consequence_for(measure)
    form = EmployeeConsequenceForm()
    if request.method == "GET" and record is not None:
        form.fill(record)
    if form.validate_on_submit():
        services.save_consequence(measure, current_user, form.values())
        db.session.commit()
        flash("Konsekvensene for ansatte er lagret.", "success")
        return redirect(url_for(".edit", measure_id=measure.id))
    return render_template("staff/edit.html", form=form, record=record, **page_context(measure, "staff"))
