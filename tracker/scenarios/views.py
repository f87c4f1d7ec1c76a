"""Budget alternatives: list, build, compare (up to three, print and Excel), adopt; variants and årsverk."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import can_administer, require_admin
from tracker.extensions import db
from tracker.portfolio.lookups import example_data_flag, measure_or_404
from tracker.portfolio.queries import get_programme
from tracker.scenarios import forms, pages, queries, services
from tracker.scenarios.export import scenarios_workbook
from tracker.scenarios.models import MeasureVariant, Scenario
from tracker.web.errors import apply_errors
from tracker.web.forms import DeleteForm

bp = Blueprint("scenarios", __name__, url_prefix="/budsjettalternativer")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme():
    return get_programme() or abort(404)


def _scenario(scenario_id: int) -> Scenario:
    return db.session.get(Scenario, scenario_id) or abort(404)


@bp.route("/")
@login_required
def index():
    context = pages.index_context(_programme())
    return render_template("scenarios/index.html", is_admin=can_administer(current_user), **context)


def _selection_form(programme, scenario=None):
    measures = queries.programme_measures(programme)
    form_class = forms.scenario_form_class(measures, queries.programme_variants(programme))
    return form_class(data=pages.form_data(scenario)), measures


@bp.route("/nytt", methods=["GET", "POST"])
@bp.route("/<int:scenario_id>/endre", methods=["GET", "POST"])
@login_required
def edit(scenario_id: int | None = None):
    require_admin(current_user, "scenario.edit")
    programme = _programme()
    scenario = _scenario(scenario_id) if scenario_id else None
    form, measures = _selection_form(programme, scenario)
    if form.validate_on_submit():
        codes = pages.chosen_codes(form, measures)
        try:
            if scenario is None:
                scenario = services.create_scenario(
                    programme, form.name.data, codes, current_user, form.description.data
                )
            else:
                services.update_scenario(scenario, form.name.data, codes, form.description.data, current_user)
        except services.ScenarioError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Budsjettalternativet «{scenario.name}» er lagret.", "success")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    rows = pages.selection_rows(form, measures)
    return render_template("scenarios/form.html", form=form, scenario=scenario, groups=rows)


@bp.route("/<int:scenario_id>")
@login_required
def show(scenario_id: int):
    scenario = _scenario(scenario_id)
    figures = queries.scenario_figures(scenario)
    context = pages.scenario_context(figures, pages.target_year(scenario.programme))
    return render_template(
        "scenarios/show.html",
        adopt_form=forms.AdoptForm(),
        delete_form=DeleteForm(),
        is_admin=can_administer(current_user),
        **context,
    )


@bp.route("/<int:scenario_id>/vedta", methods=["POST"])
@login_required
def adopt(scenario_id: int):
    require_admin(current_user, "scenario.adopt")
    scenario = _scenario(scenario_id)
    form = forms.AdoptForm()
    if form.validate_on_submit():
        try:
            result = services.adopt_scenario(
                scenario, form.decision_reference.data, form.decided_date.day, current_user, form.body.data
            )
        except services.ScenarioError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(" ".join(result.summary_lines()), "success")
    else:
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
    return redirect(url_for("scenarios.show", scenario_id=scenario.id))


@bp.route("/<int:scenario_id>/slett", methods=["POST"])
@login_required
def delete(scenario_id: int):
    require_admin(current_user, "scenario.delete")
    scenario = _scenario(scenario_id)
    if DeleteForm().validate_on_submit():
        try:
            services.delete_scenario(scenario, current_user)
        except services.ScenarioError as exc:
            flash(str(exc), "error")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
        db.session.commit()
        flash("Budsjettalternativet er slettet.", "success")
    return redirect(url_for("scenarios.index"))


def _compared_ids() -> list[int]:
    return [int(value) for value in request.args.getlist("id") if value.isdigit()][: pages.MAX_COMPARED]


@bp.route("/sammenlign")
@login_required
def compare():
    context = pages.compare_context(_programme(), _compared_ids())
    return render_template("scenarios/compare.html", ids=_compared_ids(), **context)


@bp.route("/sammenlign.xlsx")
@login_required
def compare_xlsx():
    programme = _programme()
    compared = pages.compare_context(programme, _compared_ids())["compared"]
    data = scenarios_workbook(programme.name, compared, example_data_flag())
    return send_file(
        io.BytesIO(data), as_attachment=True, download_name="budsjettalternativer.xlsx", mimetype=XLSX_MIME
    )


# --- variants and årsverk -----------------------------------------------------------------------


@bp.route("/tiltak/<int:measure_id>/alternativer", methods=["GET", "POST"])
@login_required
def variants(measure_id: int):
    require_admin(current_user, "variant.set")
    measure = measure_or_404(measure_id)
    form = forms.variant_form_class(measure.programme.plan_years)()
    if form.validate_on_submit():
        savings = {y: getattr(form, f"saving_{y}").amount for y in form.years}
        fte = {y: getattr(form, f"fte_{y}").number for y in form.years}
        try:
            services.set_variant(
                measure,
                form.key.data,
                form.title.data,
                {y: amount for y, amount in savings.items() if amount is not None},
                fte,
                current_user,
            )
        except services.ScenarioError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Alternativet {measure.code}:{form.key.data.strip().lower()} er lagret.", "success")
            return redirect(url_for("scenarios.variants", measure_id=measure.id))
    return render_template(
        "scenarios/variants.html",
        measure=measure,
        form=form,
        variants=queries.variants_of(measure),
        delete_form=DeleteForm(),
    )


@bp.route("/alternativ/<int:variant_id>/slett", methods=["POST"])
@login_required
def delete_variant(variant_id: int):
    require_admin(current_user, "variant.delete")
    variant = db.session.get(MeasureVariant, variant_id) or abort(404)
    measure_id = variant.measure_id
    if DeleteForm().validate_on_submit():
        try:
            services.delete_variant(variant, current_user)
        except services.ScenarioError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Alternativet er slettet.", "success")
    return redirect(url_for("scenarios.variants", measure_id=measure_id))


@bp.route("/tiltak/<int:measure_id>/arsverk", methods=["GET", "POST"])
@login_required
def fte(measure_id: int):
    require_admin(current_user, "measure.fte")
    measure = measure_or_404(measure_id)
    form_class = forms.fte_form_class(measure.programme.plan_years)
    form = form_class()
    if request.method == "GET":
        for year, value in queries.menu_fte(measure).items():
            if year in form.years:
                getattr(form, f"fte_{year}").set_number(value)
    if form.validate_on_submit():
        services.set_fte_change(measure, {y: getattr(form, f"fte_{y}").number for y in form.years}, current_user)
        db.session.commit()
        flash(f"Endring i årsverk for {measure.code} er lagret.", "success")
        return redirect(url_for("portfolio.measure", measure_id=measure.id))
    return render_template("scenarios/fte.html", measure=measure, form=form)
