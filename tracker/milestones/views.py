"""Milestone pages of a measure."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.milestones import services
from tracker.milestones.forms import MilestoneForm
from tracker.milestones.models import Milestone
from tracker.milestones.rules import STATE_LABELS
from tracker.periods import today_oslo
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.web.forms import DeleteForm

bp = Blueprint("milestones", __name__, url_prefix="/oppfolging")


@bp.route("/tiltak/<int:measure_id>/milepaeler", methods=["GET", "POST"])
@login_required
def index(measure_id: int):
    measure = measure_or_404(measure_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        services.create_milestone(measure, current_user, form.values())
        db.session.commit()
        flash("Milepælen er lagt til.", "success")
        return redirect(url_for(".index", measure_id=measure.id))
    return render_template(
        "milestones/index.html",
        form=form,
        milestones=services.milestones_for(measure),
        today=today_oslo(),
        labels=STATE_LABELS,
        delete_form=DeleteForm(),
        **page_context(measure, "milestones"),
    )


@bp.route("/milepaeler/<int:milestone_id>", methods=["GET", "POST"])
@login_required
def edit(milestone_id: int):
    milestone = db.session.get(Milestone, milestone_id) or abort(404)
    form = MilestoneForm(obj=milestone)
    if form.validate_on_submit():
        services.update_milestone(milestone, current_user, form.values())
        db.session.commit()
        flash("Milepælen er oppdatert.", "success")
        return redirect(url_for(".index", measure_id=milestone.measure_id))
    return render_template(
        "milestones/edit.html", form=form, milestone=milestone, **page_context(milestone.measure, "milestones")
    )


@bp.route("/milepaeler/<int:milestone_id>/slett", methods=["POST"])
@login_required
def delete(milestone_id: int):
    milestone = db.session.get(Milestone, milestone_id) or abort(404)
    measure_id = milestone.measure_id
    if DeleteForm().validate_on_submit():
        services.delete_milestone(milestone, current_user)
        db.session.commit()
        flash("Milepælen er slettet.", "success")
    return redirect(url_for(".index", measure_id=measure_id))
