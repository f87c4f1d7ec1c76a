"""The dependencies page of a measure."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.dependencies import services
from tracker.dependencies.forms import DependencyForm, measure_choices
from tracker.dependencies.models import MeasureDependency
from tracker.dependencies.services import DependencyError
from tracker.extensions import db
from tracker.periods import today_oslo
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.portfolio.models import Measure
from tracker.web.forms import DeleteForm

bp = Blueprint("dependencies", __name__, url_prefix="/oppfolging")


@bp.route("/tiltak/<int:measure_id>/avhengigheter", methods=["GET", "POST"])
@login_required
def index(measure_id: int):
    measure = measure_or_404(measure_id)
    form = DependencyForm()
    others = db.session.scalars(
        select(Measure)
        .where(Measure.programme_id == measure.programme_id, Measure.id != measure.id)
        .order_by(Measure.sort_key)
    )
    form.depends_on.choices = measure_choices(others)
    if form.validate_on_submit():
        try:
            services.add_dependency(
                measure, db.session.get(Measure, form.depends_on.data), current_user, form.note.data or ""
            )
        except DependencyError as exc:
            form.depends_on.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Avhengigheten er registrert.", "success")
            return redirect(url_for(".index", measure_id=measure.id))
    return render_template(
        "dependencies/index.html",
        form=form,
        view=services.dependency_view(measure, today_oslo()),
        delete_form=DeleteForm(),
        **page_context(measure, "dependencies"),
    )


@bp.route("/avhengigheter/<int:dependency_id>/slett", methods=["POST"])
@login_required
def delete(dependency_id: int):
    dependency = db.session.get(MeasureDependency, dependency_id) or abort(404)
    measure_id = dependency.measure_id
    if DeleteForm().validate_on_submit():
        services.remove_dependency(dependency, current_user)
        db.session.commit()
        flash("Avhengigheten er fjernet.", "success")
    return redirect(url_for(".index", measure_id=measure_id))
