"""Benefits pages: the ledergruppe dashboard, the owner's page, the ledger, forms, import, periods, targets."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import can_administer, can_edit_measure, require_admin, require_measure_edit
from tracker.benefits import dashboard as dashboard_page
from tracker.benefits import forms, pages, queries, services
from tracker.benefits.importing import MAX_UPLOAD_ROWS, FiguresImportError, import_figures
from tracker.benefits.models import BudgetTakeOut, QuarterlyFigure
from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.periods import Quarter, current_quarter
from tracker.portfolio import targets
from tracker.portfolio.lookups import measure_or_404
from tracker.portfolio.models import Measure, WorkGroup
from tracker.portfolio.queries import current_programme
from tracker.portfolio.read_only import is_read_only
from tracker.readmodel.fragments import fill_slots
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors
from tracker.web.forms import hidden_csrf_field
from tracker.web.paths import quarter_or_404
from tracker.web.responses import commit_or_flash_refusal, form_status

bp = Blueprint("benefits", __name__, url_prefix="/gevinster")


def _programme():
    return current_programme(current_user) or abort(404)


@bp.route("/")
@login_required
def dashboard():
    programme = current_programme(current_user)
    if programme is None:
        return render_template("benefits/dashboard.html", programme=None)
    context = dashboard_page.dashboard_context(programme, request.args, can_administer(current_user))
    return render_template("benefits/dashboard.html", programme=programme, **context)


@bp.route("/mine")
@login_required
def mine():
    context = pages.owner_context(current_user, current_programme(current_user), current_quarter())
    return render_template("benefits/mine.html", **context, **pages.owner_pages(context, request.args))


@bp.route("/tiltak/<int:measure_id>")
@login_required
def ledger(measure_id: int):
    measure = measure_or_404(measure_id)
    # A closed programme's measure is read-only: no plan, take-out or approval buttons.
    can_report = can_edit_measure(current_user, measure)
    is_admin = can_administer(current_user) and not is_read_only(measure)
    body = pages.ledger_body(measure, current_quarter(), can_report, is_admin)
    return render_template("benefits/ledger.html", measure=measure, body=fill_slots(body))


@bp.route("/tiltak/<int:measure_id>/kvartal/<key>", methods=["GET", "POST"])
@login_required
def report(measure_id: int, key: str):
    measure, quarter = measure_or_404(measure_id), quarter_or_404(key)
    if quarter > current_quarter():
        abort(404)
    require_measure_edit(current_user, measure, "benefits.report")
    figure = queries.get_figure(measure, quarter)
    form_class = forms.quarterly_figures_form_class(pages.later_years(measure, quarter))
    form = form_class(data=pages.figure_form_data(figure))
    if form.validate_on_submit():
        try:
            services.record_figures(measure, quarter, pages.figure_input(form), current_user)
        except services.BenefitsError as exc:
            apply_errors(form, exc)
        except EditConflict:
            return _report_conflict(measure_id, quarter, form)
        else:
            db.session.commit()
            flash(f"Tallene for {quarter.label} er lagret.", "success")
            return redirect(url_for("benefits.ledger", measure_id=measure.id))
    page = render_template("benefits/report.html", form=form, **_report_context(measure, quarter, figure))
    return page, form_status(form)


def _report_context(measure: Measure, quarter: Quarter, figure: QuarterlyFigure | None) -> dict:
    return {
        "measure": measure,
        "quarter": quarter,
        "figure": figure,
        "is_closed": queries.is_closed(quarter),
        "planned_nok": queries.planned_saving(measure, quarter.year),
        "later_plans": {year: queries.planned_saving(measure, year) for year in pages.later_years(measure, quarter)},
    }


def _report_conflict(measure_id: int, quarter: Quarter, form):
    db.session.rollback()
    measure = measure_or_404(measure_id)
    figure = queries.get_figure(measure, quarter)
    stored = type(form)(formdata=None, data=pages.figure_form_data(figure))
    discard_url = url_for("benefits.ledger", measure_id=measure.id)
    context = _report_context(measure, quarter, figure)
    not_stored = ("correction_reason",)
    return conflict_page("benefits/report.html", form, figure, discard_url, stored, not_stored=not_stored, **context)


@bp.route("/tall/<int:figure_id>/godkjenn", methods=["POST"])
@login_required
def approve(figure_id: int):
    figure = db.session.get(QuarterlyFigure, figure_id) or abort(404)
    measure_id, label = figure.measure_id, f"{figure.measure.code} {figure.period.label}"
    form = forms.ApproveForm()
    if form.validate_on_submit():
        try:
            services.approve_figure(figure, current_user, form.version.seen())
        except EditConflict:
            # Approve only what was seen: the list now shows the changed figures, to approve again.
            db.session.rollback()
            flash(f"Tallene for {label} ble endret etter at du åpnet siden. Se over og godkjenn på nytt.", "error")
        except services.BenefitsError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"Realisert beløp for {label} er godkjent.", "success")
    return redirect(_local(request.form.get("next")) or url_for("benefits.ledger", measure_id=measure_id))


@bp.route("/uttak/<int:take_out_id>/godkjenn", methods=["POST"])
@login_required
def approve_take_out(take_out_id: int):
    take_out = db.session.get(BudgetTakeOut, take_out_id) or abort(404)
    if forms.ConfirmForm().validate_on_submit():
        approved = f"Budsjettuttaket for {take_out.measure.code} {take_out.year} er godkjent."
        commit_or_flash_refusal(
            lambda: services.approve_take_out(take_out, current_user), services.BenefitsError, approved
        )
    return redirect(url_for("benefits.ledger", measure_id=take_out.measure_id))


def _local(target: str | None) -> str | None:
    """A redirect target only if it is a path on this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/tiltak/<int:measure_id>/plan", methods=["GET", "POST"])
@login_required
def plan(measure_id: int):
    measure = measure_or_404(measure_id)
    require_admin(current_user, "benefits.plan")
    form = forms.PlanChangeForm(data={"version": measure.version})
    form.year.choices = pages.year_choices(measure.programme)
    if form.validate_on_submit():
        try:
            services.change_plan(
                measure, form.year.data, form.new_saving.amount, form.reason.data, current_user, form.version.seen()
            )
        except services.BenefitsError as exc:
            apply_errors(form, exc)
        except EditConflict:
            return _plan_conflict(measure_id, form)
        else:
            db.session.commit()
            flash(f"Planen for {form.year.data} er endret.", "success")
            return redirect(url_for("benefits.ledger", measure_id=measure.id))
    page = render_template("benefits/plan.html", measure=measure, form=form, plan=pages.current_plan(measure))
    return page, form_status(form)


def _plan_conflict(measure_id: int, form):
    db.session.rollback()
    measure = measure_or_404(measure_id)
    stored = forms.PlanChangeForm(formdata=None, data=pages.plan_form_data(measure, form.year.data))
    stored.year.choices = form.year.choices
    discard_url = url_for("benefits.ledger", measure_id=measure.id)
    context = {"measure": measure, "plan": pages.current_plan(measure)}
    return conflict_page("benefits/plan.html", form, measure, discard_url, stored, not_stored=("reason",), **context)


@bp.route("/tiltak/<int:measure_id>/uttak", methods=["GET", "POST"])
@login_required
def take_out(measure_id: int):
    measure = measure_or_404(measure_id)
    require_admin(current_user, "benefits.take_out")
    form = forms.TakeOutForm()
    form.year.choices = pages.year_choices(measure.programme)
    if not form.is_submitted():
        form.version.set_versions(queries.take_out_versions(measure))
    if form.validate_on_submit():
        year = form.year.data
        try:
            services.set_take_out(
                measure, year, form.amount.amount, form.comment.data, current_user, form.version.seen_for(year)
            )
        except EditConflict:
            return _take_out_conflict(measure_id, form)
        db.session.commit()
        flash(f"Budsjettuttaket for {year} er lagret.", "success")
        return redirect(url_for("benefits.ledger", measure_id=measure.id))
    return render_template("benefits/take_out.html", measure=measure, form=form), form_status(form)


def _take_out_conflict(measure_id: int, form):
    db.session.rollback()
    measure = measure_or_404(measure_id)
    stored = forms.TakeOutForm(formdata=None, data=pages.take_out_form_data(measure, form.year.data))
    stored.year.choices = form.year.choices
    form.version.set_versions(queries.take_out_versions(measure))
    discard_url = url_for("benefits.ledger", measure_id=measure.id)
    return conflict_page("benefits/take_out.html", form, None, discard_url, stored, measure=measure)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def upload():
    require_admin(current_user, "benefits.import")
    form, errors, result = forms.ImportForm(), [], None
    if form.validate_on_submit():
        try:
            result = import_figures(_programme(), form.file.data.read(), current_user, MAX_UPLOAD_ROWS)
        except FiguresImportError as exc:
            db.session.rollback()
            errors = exc.messages
        else:
            db.session.commit()
            flash("Filen er importert: " + ", ".join(result.summary_lines()) + ".", "success")
            return redirect(url_for("benefits.dashboard"))
    page = render_template("benefits/import.html", form=form, errors=errors, quarter=current_quarter())
    return page, 400 if errors else form_status(form)


@bp.route("/eksport.xlsx")
@login_required
def export():
    programme = _programme()
    as_of = dashboard_page.as_of_from(request.args.get("quarter"))
    data = pages.export_bytes(programme, as_of)
    name = f"gevinster-{as_of.key}.xlsx"
    return send_file(data, as_attachment=True, download_name=name, mimetype=pages.XLSX_MIME)


@bp.route("/kvartalstall-<key>.xlsx")
@login_required
def quarter_template(key: str):
    require_admin(current_user, "benefits.import")
    quarter = quarter_or_404(key)
    data = pages.quarter_template_bytes(_programme(), quarter)
    name = f"kvartalstall-{quarter.key}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=pages.XLSX_MIME)


@bp.route("/perioder", methods=["GET", "POST"])
@login_required
def periods():
    programme, is_admin = current_programme(current_user), can_administer(current_user)
    form = forms.CloseQuarterForm()
    form.quarter.choices = pages.closable_quarters(programme)
    if request.method == "POST":
        require_admin(current_user, "periods.close")
        if form.validate_on_submit():
            try:
                services.close_quarter(Quarter.parse(form.quarter.data), current_user)
            except services.BenefitsError as exc:
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(f"{Quarter.parse(form.quarter.data).label} er lukket.", "success")
                return redirect(url_for("benefits.periods"))
    closed, waiting = pages.periods_fragments(programme, request.args, is_admin)
    return render_template(
        "benefits/periods.html",
        form=form,
        closed=closed,
        waiting=fill_slots(waiting, hidden_csrf_field() if is_admin else None),
        can_administer=is_admin,
    ), 400 if request.method == "POST" else 200


@bp.route("/mal", methods=["GET", "POST"])
@login_required
def goals():
    programme = _programme()
    form = _target_form(programme)
    if request.method == "POST":
        require_admin(current_user, "targets.set")
    if form.validate_on_submit():
        try:
            _set_goal(programme, form)
        except targets.TargetError as exc:
            apply_errors(form, exc)
        except EditConflict:
            return _goal_conflict(form)
        else:
            db.session.commit()
            flash(f"Målet for {form.year.data} er lagret.", "success")
            return redirect(url_for("benefits.goals"))
    return render_template("benefits/goals.html", form=form, **_goal_context(programme)), form_status(form)


def _target_form(programme, **kwargs) -> forms.TargetForm:
    form = forms.TargetForm(**kwargs)
    form.scope.choices = [(targets.PROGRAMME_SCOPE, "Programmet")] + [
        (str(g.id), f"Gruppe {g.label}") for g in programme.groups
    ]
    form.year.choices = pages.year_choices(programme)
    if not form.is_submitted():
        form.version.set_versions(targets.target_versions(programme))
    return form


def _goal_context(programme) -> dict:
    # A closed programme's targets are read, never changed: no form.
    may_change = can_administer(current_user) and not is_read_only(programme)
    return {"rows": pages.goal_rows(programme), "can_administer": may_change}


def _set_goal(programme, form) -> None:
    amount, reason, year = form.amount.amount, form.reason.data, form.year.data
    seen = form.version.seen_for(targets.target_key(form.scope.data, year))
    if form.scope.data == targets.PROGRAMME_SCOPE:
        targets.set_target(programme, year, amount, reason, current_user, seen)
        return
    group = db.session.get(WorkGroup, int(form.scope.data)) or abort(404)
    targets.set_group_requirement(group, year, amount, reason, current_user, seen)


def _goal_conflict(form):
    db.session.rollback()
    programme = _programme()
    stored_data = pages.target_form_data(programme, form.scope.data, form.year.data)
    stored = _target_form(programme, formdata=None, data=stored_data)
    form.version.set_versions(targets.target_versions(programme))
    discard_url = url_for("benefits.goals")
    context = _goal_context(programme)
    return conflict_page("benefits/goals.html", form, None, discard_url, stored, not_stored=("reason",), **context)
