"""KPI pages of a measure."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.kpis import services
from tracker.kpis.forms import KpiForm, MeasurementForm, suggestion_choices
from tracker.kpis.models import Kpi
from tracker.kpis.rules import DIRECTION_LABELS, TREND_LABELS
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.web.forms import DeleteForm

bp = Blueprint("kpis", __name__, url_prefix="/oppfolging")


@bp.route("/tiltak/<int:measure_id>/kpi", methods=["GET", "POST"])
@login_required
def index(measure_id: int):
    measure = measure_or_404(measure_id)
    form = KpiForm()
    form.suggestion.choices = suggestion_choices(services.suggestions_for(measure))
    if form.validate_on_submit():
        kpi = services.create_kpi(measure, current_user, form.values())
        db.session.commit()
        flash(f"KPI-en «{kpi.name}» er opprettet.", "success")
        return redirect(url_for(".detail", kpi_id=kpi.id))
    return render_template(
        "kpis/index.html",
        form=form,
        rows=[services.kpi_status(kpi) for kpi in services.kpis_for(measure)],
        directions=DIRECTION_LABELS,
        trends=TREND_LABELS,
        **page_context(measure, "kpis"),
    )


@bp.route("/kpi/<int:kpi_id>", methods=["GET", "POST"])
@login_required
def detail(kpi_id: int):
    kpi = db.session.get(Kpi, kpi_id) or abort(404)
    form = MeasurementForm()
    if form.validate_on_submit():
        services.record_measurement(kpi, current_user, form.quarter.quarter, form.value.number, form.note.data or "")
        db.session.commit()
        flash(f"Måling for {form.quarter.quarter.label} er lagret.", "success")
        return redirect(url_for(".detail", kpi_id=kpi.id))
    return render_template(
        "kpis/detail.html",
        form=form,
        kpi=kpi,
        status=services.kpi_status(kpi),
        directions=DIRECTION_LABELS,
        trends=TREND_LABELS,
        delete_form=DeleteForm(),
        **page_context(kpi.measure, "kpis"),
    )


@bp.route("/kpi/<int:kpi_id>/endre", methods=["GET", "POST"])
@login_required
def edit(kpi_id: int):
    kpi = db.session.get(Kpi, kpi_id) or abort(404)
    form = KpiForm(obj=kpi)
    form.suggestion.choices = suggestion_choices([])
    if request.method == "GET":
        form.baseline_value.set_number(kpi.baseline_value, 4)
        form.target_value.set_number(kpi.target_value, 4)
    if form.validate_on_submit():
        services.update_kpi(kpi, current_user, form.values())
        db.session.commit()
        flash("KPI-en er oppdatert.", "success")
        return redirect(url_for(".detail", kpi_id=kpi.id))
    return render_template("kpis/edit.html", form=form, kpi=kpi, **page_context(kpi.measure, "kpis"))


@bp.route("/kpi/<int:kpi_id>/slett", methods=["POST"])
@login_required
def delete(kpi_id: int):
    kpi = db.session.get(Kpi, kpi_id) or abort(404)
    measure_id = kpi.measure_id
    if DeleteForm().validate_on_submit():
        services.delete_kpi(kpi, current_user)
        db.session.commit()
        flash("KPI-en er slettet.", "success")
    return redirect(url_for(".index", measure_id=measure_id))
