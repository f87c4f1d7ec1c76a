"""Budget alternatives: list, build, compare (up to three, print and Excel), adopt; variants and årsverk."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import can_administer, require_admin
from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.portfolio.lookups import example_data_flag, measure_or_404
from tracker.portfolio.queries import current_programme
from tracker.portfolio.read_only import is_read_only, require_open
from tracker.scenarios import forms, pages, queries, services
from tracker.scenarios import variants as variant_writes
from tracker.scenarios.export import scenarios_workbook
from tracker.scenarios.models import MeasureVariant, Scenario
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors
from tracker.web.forms import DeleteForm
from tracker.web.responses import commit_or_flash_refusal, commit_then_redirect, form_status

CHANGED_BEFORE_DELETE = (
    "Noen andre har endret budsjettalternativet etter at du åpnet siden, så det er ikke slettet. "
    "Se over endringene, og slett det på nytt om du fortsatt vil."
)
bp = Blueprint("scenarios", __name__, url_prefix="/budsjettalternativer")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme():
    """The programme the user works on (the header's switcher), or 404 before any is imported."""
    return current_programme(current_user) or abort(404)


def _may_change(programme) -> bool:
    """Whether the page offers an admin's buttons: never for a closed programme (read-only)."""
    return can_administer(current_user) and not is_read_only(programme)


def _scenario(scenario_id: int) -> Scenario:
    return db.session.get(Scenario, scenario_id) or abort(404)


@bp.route("/")
@login_required
def index():
    programme = _programme()
    context = pages.index_context(programme)
    return render_template("scenarios/index.html", is_admin=_may_change(programme), **context)


def _selection_form(programme, scenario=None, **kwargs):
    measures = queries.programme_measures(programme)
    form_class = forms.scenario_form_class(measures, queries.programme_variants(programme))
    return form_class(data=pages.form_data(scenario), **kwargs), measures


@bp.route("/nytt", methods=["GET", "POST"])
@bp.route("/<int:scenario_id>/endre", methods=["GET", "POST"])
@login_required
def edit(scenario_id: int | None = None):
    require_admin(current_user, "scenario.edit")
    scenario = _scenario(scenario_id) if scenario_id else None
    # An existing scenario is edited in its own programme, whichever the user has chosen.
    programme = scenario.programme if scenario else _programme()
    require_open(programme)
    form, measures = _selection_form(programme, scenario)
    if form.validate_on_submit():
        try:
            scenario = _save_scenario(programme, scenario, form, pages.chosen_codes(form, measures))
        except services.ScenarioError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except EditConflict:
            return _scenario_conflict(scenario_id, form)
        else:
            return commit_then_redirect(
                f"Budsjettalternativet «{scenario.name}» er lagret.", url_for("scenarios.show", scenario_id=scenario.id)
            )
    rows = pages.selection_rows(form, measures)
    return render_template("scenarios/form.html", form=form, scenario=scenario, groups=rows), form_status(form)


def _save_scenario(programme, scenario: Scenario | None, form, codes: list[str]) -> Scenario:
    name, description = form.name.data, form.description.data
    if scenario is None:
        return services.create_scenario(programme, name, codes, current_user, description)
    return services.update_scenario(scenario, name, codes, description, current_user, form.version.seen())


def _scenario_conflict(scenario_id: int | None, form):
    db.session.rollback()
    scenario = db.session.get(Scenario, scenario_id) if scenario_id else None
    programme = scenario.programme if scenario else _programme()
    stored, measures = _selection_form(programme, scenario, formdata=None)
    discard_url = url_for("scenarios.show", scenario_id=scenario.id) if scenario else url_for("scenarios.index")
    rows = pages.selection_rows(form, measures)
    stored_form = stored if scenario is not None else None
    return conflict_page(
        "scenarios/form.html", form, scenario, discard_url, stored_form, scenario=scenario, groups=rows
    )


@bp.route("/<int:scenario_id>")
@login_required
def show(scenario_id: int):
    scenario = _scenario(scenario_id)
    figures = queries.scenario_figures(scenario)
    context = pages.scenario_context(figures, pages.target_year(scenario.programme))
    return render_template(
        "scenarios/show.html",
        adopt_form=forms.AdoptForm(data={"version": scenario.version}),
        delete_form=forms.DeleteScenarioForm(data={"version": scenario.version}),
        is_admin=_may_change(scenario.programme),
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
                scenario,
                form.decision_reference.data,
                form.decided_date.day,
                current_user,
                form.body.data,
                form.version.seen(),
            )
        except services.ScenarioError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        except EditConflict:
            # Adopt only what was seen: the page now shows the changed selection, to adopt again.
            db.session.rollback()
            flash(
                "Budsjettalternativet ble endret etter at du åpnet siden. Se over og registrer vedtaket på nytt.",
                "error",
            )
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
    form = forms.DeleteScenarioForm()
    if form.validate_on_submit():
        try:
            services.delete_scenario(scenario, current_user, form.version.seen())
        except services.ScenarioError as exc:
            flash(str(exc), "error")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
        except EditConflict:
            flash(CHANGED_BEFORE_DELETE, "error")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
        return commit_then_redirect("Budsjettalternativet er slettet.", url_for("scenarios.index"))
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
    require_open(measure.programme)
    form = forms.variant_form_class(measure.programme.plan_years)(data={"version": measure.version})
    if form.validate_on_submit():
        savings = {y: getattr(form, f"saving_{y}").amount for y in form.years}
        fte = {y: getattr(form, f"fte_{y}").number for y in form.years}
        try:
            variant_writes.set_variant(
                measure,
                form.key.data,
                form.title.data,
                {y: amount for y, amount in savings.items() if amount is not None},
                fte,
                current_user,
                form.version.seen(),
            )
        except services.ScenarioError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except EditConflict:
            return _variant_conflict(measure_id, form)
        else:
            return commit_then_redirect(
                f"Alternativet {measure.code}:{form.key.data.strip().lower()} er lagret.",
                url_for("scenarios.variants", measure_id=measure.id),
            )
    return render_template("scenarios/variants.html", form=form, **_variants_context(measure)), form_status(form)


def _variants_context(measure) -> dict:
    return {"measure": measure, "variants": queries.variants_of(measure), "delete_form": DeleteForm()}


def _variant_conflict(measure_id: int, form):
    db.session.rollback()
    measure = measure_or_404(measure_id)
    stored = type(form)(formdata=None, data=pages.variant_form_data(measure, form.key.data))
    discard_url = url_for("scenarios.variants", measure_id=measure.id)
    context = _variants_context(measure)
    return conflict_page("scenarios/variants.html", form, measure, discard_url, stored, **context)


@bp.route("/alternativ/<int:variant_id>/slett", methods=["POST"])
@login_required
def delete_variant(variant_id: int):
    require_admin(current_user, "variant.delete")
    variant = db.session.get(MeasureVariant, variant_id) or abort(404)
    measure_id = variant.measure_id
    if DeleteForm().validate_on_submit():
        commit_or_flash_refusal(
            lambda: variant_writes.delete_variant(variant, current_user),
            services.ScenarioError,
            "Alternativet er slettet.",
        )
    return redirect(url_for("scenarios.variants", measure_id=measure_id))


@bp.route("/tiltak/<int:measure_id>/arsverk", methods=["GET", "POST"])
@login_required
def fte(measure_id: int):
    require_admin(current_user, "measure.fte")
    measure = measure_or_404(measure_id)
    require_open(measure.programme)
    form = forms.fte_form_class(measure.programme.plan_years)()
    if not form.is_submitted():
        pages.fill_fte(form, measure)
    if form.validate_on_submit():
        changes = {y: getattr(form, f"fte_{y}").number for y in form.years}
        try:
            variant_writes.set_fte_change(measure, changes, current_user, form.version.seen())
        except services.ScenarioError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        except EditConflict:
            return _fte_conflict(measure_id, form)
        else:
            return commit_then_redirect(
                f"Endring i årsverk for {measure.code} er lagret.", url_for("portfolio.measure", measure_id=measure.id)
            )
    return render_template("scenarios/fte.html", measure=measure, form=form), form_status(form)


def _fte_conflict(measure_id: int, form):
    db.session.rollback()
    measure = measure_or_404(measure_id)
    stored = type(form)(formdata=None)
    pages.fill_fte(stored, measure)
    discard_url = url_for("portfolio.measure", measure_id=measure.id)
    return conflict_page("scenarios/fte.html", form, measure, discard_url, stored, measure=measure)
