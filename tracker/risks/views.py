"""Risk pages: a measure's org-risk assessments and register, the portfolio view, indicators."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import can_administer, can_comment, require_admin
from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.portfolio.lookups import measure_or_404, page_context
from tracker.portfolio.queries import current_programme
from tracker.risks import pages as risk_pages
from tracker.risks import readiness, rules, services
from tracker.risks.forms import IndicatorForm, RiskItemForm, assessment_form, assessment_values
from tracker.risks.models import OrgRiskAssessment, RiskIndicator, RiskItem
from tracker.web.conflicts import conflict_page
from tracker.web.forms import ConfirmForm
from tracker.web.items import ItemPages
from tracker.web.responses import commit_or_flash_refusal, commit_then_redirect, form_status

bp = Blueprint("risks", __name__, url_prefix="/oppfolging")


def _register_context(measure) -> dict:
    return {"items": services.register_for(measure), "level_labels": rules.LEVEL_LABELS}


pages = ItemPages(bp, RiskItem, RiskItemForm, measure_or_404, page_context, "register")
pages.list_page(
    "/tiltak/<int:measure_id>/risikoregister",
    "register",
    _register_context,
    services.add_risk_item,
    "Usikkerheten er lagt til i risikoregisteret.",
)
pages.edit_page("/risikoregister/<int:item_id>", "edit_item", services.update_risk_item, "Usikkerheten er oppdatert.")
pages.delete_action(
    "/risikoregister/<int:item_id>/slett",
    "delete_item",
    services.delete_risk_item,
    "Usikkerheten er fjernet fra registeret.",
)


@bp.route("/tiltak/<int:measure_id>/organisatorisk-risiko", methods=["GET", "POST"])
@login_required
def assessment(measure_id: int):
    measure = measure_or_404(measure_id)
    indicators = services.indicators()
    form = assessment_form(indicators, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        scores, actions = assessment_values(form)
        note = form.note.data or ""
        services.create_assessment(measure, current_user, form.assessed_date.data, scores, note, actions)
        return commit_then_redirect("Vurderingen er lagret.", url_for(".assessment", measure_id=measure.id))
    return render_template(
        "risks/assessment.html",
        form=form,
        indicators=indicators,
        history=services.assessments_for(measure),
        summary=services.risk_summary(measure),
        level_labels=rules.LEVEL_LABELS,
        readiness=readiness.readiness(measure),
        can_review=can_comment(current_user),
        **page_context(measure, "org_risk"),
    ), form_status(form)


@bp.route("/organisatorisk-risiko/<int:assessment_id>/gjennomgatt", methods=["POST"])
@login_required
def review_assessment(assessment_id: int):
    assessment = db.session.get(OrgRiskAssessment, assessment_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        commit_or_flash_refusal(
            lambda: services.review_assessment(assessment, current_user),
            services.RiskError,
            "Vurderingen er merket som gjennomgått av ledergruppa.",
        )
    return redirect(url_for(".assessment", measure_id=assessment.measure_id))


@bp.route("/risiko")
@login_required
def portfolio():
    programme = current_programme(current_user)
    if programme is None:
        abort(404)
    services.indicators()
    db.session.commit()  # the default indicators may have been created on first use
    return render_template("risks/portfolio.html", body=risk_pages.portfolio_body(programme, request.args))


@bp.route("/risiko/indikatorer")
@login_required
def indicators():
    found = services.indicators()
    db.session.commit()
    return render_template("risks/indicators.html", indicators=found, is_admin=can_administer(current_user))


@bp.route("/risiko/indikatorer/<int:indicator_id>", methods=["GET", "POST"])
@login_required
def edit_indicator(indicator_id: int):
    require_admin(current_user, "risk_indicator.edit")
    indicator = db.session.get(RiskIndicator, indicator_id) or abort(404)
    form = IndicatorForm(data=_indicator_data(indicator))
    if form.validate_on_submit():
        try:
            services.update_indicator(
                indicator, current_user, form.name.data.strip(), form.guidance(), form.version.seen()
            )
        except EditConflict:
            db.session.rollback()
            indicator = db.session.get(RiskIndicator, indicator_id) or abort(404)
            stored = IndicatorForm(formdata=None, data=_indicator_data(indicator))
            return conflict_page(
                "risks/indicator_edit.html", form, indicator, url_for(".indicators"), stored, indicator=indicator
            )
        return commit_then_redirect("Indikatoren er oppdatert.", url_for(".indicators"))
    return render_template("risks/indicator_edit.html", form=form, indicator=indicator), form_status(form)


def _indicator_data(indicator: RiskIndicator) -> dict:
    guidance = {f"guidance_{n}": text for n, text in enumerate(indicator.guidance, 1)}
    return {"name": indicator.name, "version": indicator.version, **guidance}
