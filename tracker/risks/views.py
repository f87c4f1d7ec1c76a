"""Risk pages: a measure's org-risk assessments and register, the portfolio view, indicators."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import can_administer
from tracker.dependencies.services import dependency_flags
from tracker.extensions import db
from tracker.periods import today_oslo
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.portfolio.queries import get_programme
from tracker.risks import rules, services
from tracker.risks.forms import IndicatorForm, RiskItemForm, assessment_form
from tracker.risks.models import RiskIndicator, RiskItem
from tracker.web.forms import DeleteForm

bp = Blueprint("risks", __name__, url_prefix="/oppfolging")


@bp.route("/tiltak/<int:measure_id>/organisatorisk-risiko", methods=["GET", "POST"])
@login_required
def assessment(measure_id: int):
    measure = measure_or_404(measure_id)
    indicators = services.indicators()
    form = assessment_form(indicators, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        scores = {indicator.key: field.data for indicator, field in form.indicator_fields}
        services.create_assessment(measure, current_user, form.assessed_date.data, scores, form.note.data or "")
        db.session.commit()
        flash("Vurderingen er lagret.", "success")
        return redirect(url_for(".assessment", measure_id=measure.id))
    return render_template(
        "risks/assessment.html",
        form=form,
        indicators=indicators,
        history=services.assessments_for(measure),
        summary=services.risk_summary(measure),
        level_labels=rules.LEVEL_LABELS,
        **page_context(measure, "org_risk"),
    )


@bp.route("/tiltak/<int:measure_id>/risikoregister", methods=["GET", "POST"])
@login_required
def register(measure_id: int):
    measure = measure_or_404(measure_id)
    form = RiskItemForm()
    if form.validate_on_submit():
        services.add_risk_item(measure, current_user, form.values())
        db.session.commit()
        flash("Usikkerheten er lagt til i risikoregisteret.", "success")
        return redirect(url_for(".register", measure_id=measure.id))
    return render_template(
        "risks/register.html",
        form=form,
        items=services.register_for(measure),
        level_labels=rules.LEVEL_LABELS,
        delete_form=DeleteForm(),
        **page_context(measure, "register"),
    )


@bp.route("/risikoregister/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit_item(item_id: int):
    item = db.session.get(RiskItem, item_id) or abort(404)
    form = RiskItemForm(obj=item)
    if form.validate_on_submit():
        services.update_risk_item(item, current_user, form.values())
        db.session.commit()
        flash("Usikkerheten er oppdatert.", "success")
        return redirect(url_for(".register", measure_id=item.measure_id))
    return render_template("risks/item_edit.html", form=form, item=item, **page_context(item.measure, "register"))


@bp.route("/risikoregister/<int:item_id>/slett", methods=["POST"])
@login_required
def delete_item(item_id: int):
    item = db.session.get(RiskItem, item_id) or abort(404)
    measure_id = item.measure_id
    if DeleteForm().validate_on_submit():
        services.delete_risk_item(item, current_user)
        db.session.commit()
        flash("Usikkerheten er fjernet fra registeret.", "success")
    return redirect(url_for(".register", measure_id=measure_id))


@bp.route("/risiko")
@login_required
def portfolio():
    programme = get_programme()
    if programme is None:
        abort(404)
    services.indicators()
    # The default indicators may have been created on first use; commit before loading the view, as
    # a commit expires every loaded object and the template would reload each measure one by one.
    db.session.commit()
    view = services.portfolio_risk(programme)
    return render_template(
        "risks/portfolio.html",
        view=view,
        flagged=dependency_flags(programme, today_oslo()),
        counts=services.level_counts(view.rows),
        level_labels=rules.LEVEL_LABELS,
        is_admin=can_administer(current_user),
    )


@bp.route("/risiko/indikatorer")
@login_required
def indicators():
    found = services.indicators()
    db.session.commit()
    return render_template("risks/indicators.html", indicators=found, is_admin=can_administer(current_user))


@bp.route("/risiko/indikatorer/<int:indicator_id>", methods=["GET", "POST"])
@login_required
def edit_indicator(indicator_id: int):
    indicator = db.session.get(RiskIndicator, indicator_id) or abort(404)
    form = IndicatorForm(
        data={"name": indicator.name, **{f"guidance_{n}": t for n, t in enumerate(indicator.guidance, 1)}}
    )
    if form.validate_on_submit():
        services.update_indicator(indicator, current_user, form.name.data.strip(), form.guidance())
        db.session.commit()
        flash("Indikatoren er oppdatert.", "success")
        return redirect(url_for(".indicators"))
    return render_template("risks/indicator_edit.html", form=form, indicator=indicator)
