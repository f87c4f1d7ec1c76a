"""Portfolio pages: overview, measure, edit, decision, owner, Excel download and import."""

import io
import os
import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.accounts import permissions
from tracker.accounts.models import User
from tracker.database import MAX_ID
from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.measures import forms, pages
from tracker.measures.excel import write_portfolio_workbook
from tracker.measures.importing import PortfolioImportError, import_upload
from tracker.periods import today_oslo
from tracker.portfolio import queries, services
from tracker.portfolio.lookups import measure_or_404
from tracker.portfolio.models import Measure
from tracker.portfolio.read_only import is_read_only, require_open
from tracker.portfolio.status import STATUS_LABELS, UNDER_GJENNOMFORING, allowed_next
from tracker.risks import readiness
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors

bp = Blueprint("portfolio", __name__, url_prefix="/portefolje")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme_or_404():
    return queries.current_programme(current_user) or abort(404, description="Ingen portefølje er importert ennå.")


@bp.route("/")
@login_required
def overview():
    programme = queries.current_programme(current_user)
    if programme is None:
        return render_template("portfolio/empty.html")
    lead, body = pages.overview_fragments(programme, request.args)
    return render_template("portfolio/overview.html", programme=programme, lead=lead, body=body)


@bp.route("/eksport.xlsx")
@login_required
def export_xlsx():
    programme = _programme_or_404()
    buffer = io.BytesIO()
    write_portfolio_workbook(programme, queries.load_measures(programme), buffer)
    buffer.seek(0)
    marker = "-eksempeldata" if programme.has_example_data else ""
    filename = f"portefolje{marker}-{today_oslo().isoformat()}.xlsx"
    return send_file(buffer, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=filename)


@bp.route("/tiltak/<int:measure_id>")
@login_required
def measure(measure_id: int):
    found = measure_or_404(measure_id)
    top, body, tail = pages.measure_fragments(found)
    is_admin = permissions.can_administer(current_user)
    # A closed programme's measure is read-only: no decision or owner buttons either (the accounting
    # panel's filters are the ledger's, outside the programme's record).
    buttons, scenario_panel = pages.measure_actions(
        found, permissions.can_edit_measure(current_user, found), is_admin and not is_read_only(found)
    )
    return render_template(
        "portfolio/measure.html",
        measure=found,
        top=top,
        buttons=buttons,
        body=body,
        scenario_panel=scenario_panel,
        accounting_panel=pages.accounting_panel(found, is_admin, request.args),
        tail=tail,
    )


def _edit_form(measure: Measure):
    years = queries.measure_years(measure)
    # Only the controller changes the adopted plan (with a reason, kept in the plan history).
    form_class = forms.measure_form_class(years, with_plan=permissions.can_administer(current_user))
    if request.method == "POST":
        return form_class()
    return form_class(data=forms.measure_form_data(measure, years))


def _conflict(measure_id: int, form, template: str, compare: bool = False):
    """409: the page again with the user's input kept and, for the edit form, what is stored now beside it."""
    db.session.rollback()
    measure = measure_or_404(measure_id)
    stored = type(form)(formdata=None, data=forms.measure_form_data(measure, form.years)) if compare else None
    return conflict_page(
        template,
        form,
        measure,
        url_for(".measure", measure_id=measure.id),
        stored,
        heading="Noen andre har lagret tiltaket etter at du åpnet skjemaet",
        discard_label="forkast endringene dine og gå til tiltaket",
        not_stored=("plan_reason",),
        measure=measure,
    )


@bp.route("/tiltak/<int:measure_id>/rediger", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    measure = measure_or_404(measure_id)
    services.require_edit(current_user, measure)
    form = _edit_form(measure)
    if form.validate_on_submit():
        try:
            services.update_measure(
                measure, current_user, form.seen_version(), form.values(), form.savings_nok(), form.plan_reason_text()
            )
            db.session.commit()
        except EditConflict:
            return _conflict(measure_id, form, "portfolio/edit.html", compare=True)
        except services.MeasureChangeError as exc:
            form.title.errors = [*form.title.errors, str(exc)]
            return render_template("portfolio/edit.html", measure=measure, form=form), 400
        flash("Endringene er lagret.", "success")
        return redirect(url_for(".measure", measure_id=measure.id))
    status_code = 400 if form.errors else 200
    return render_template("portfolio/edit.html", measure=measure, form=form), status_code


@bp.route("/tiltak/<int:measure_id>/status", methods=["GET", "POST"])
@login_required
def change_status(measure_id: int):
    measure = measure_or_404(measure_id)
    permissions.require_admin(current_user, "measure.status")
    require_open(measure.programme)
    form = forms.StatusForm(data=None if request.method == "POST" else {"version": str(measure.version)})
    form.to_status.choices = forms.choice_list(
        (status, STATUS_LABELS[status]) for status in allowed_next(measure.status)
    )
    if request.method == "GET":
        form.decided_date.data = forms.StatusForm.default_date()
    if form.validate_on_submit():
        decision = (form.decided_date.data, form.decision_reference.data or "", form.comment.data or "")
        return _save_change(
            measure,
            form,
            ("portfolio/status.html", form.to_status),
            lambda: readiness.decide_status(measure, current_user, form.seen_version(), form.to_status.data, *decision),
            f"Status er endret til «{STATUS_LABELS[form.to_status.data]}».",
            readiness=_readiness(measure),
        )
    page = render_template("portfolio/status.html", measure=measure, form=form, readiness=_readiness(measure))
    return page, 400 if form.errors else 200


def _readiness(measure: Measure) -> readiness.Readiness | None:
    """What §4.2 still asks for, when the next decision could start the measure."""
    return readiness.readiness(measure) if UNDER_GJENNOMFORING in allowed_next(measure.status) else None


@bp.route("/tiltak/<int:measure_id>/ansvarlig", methods=["GET", "POST"])
@login_required
def assign_owner(measure_id: int):
    measure = measure_or_404(measure_id)
    permissions.require_admin(current_user, "measure.owner")
    require_open(measure.programme)
    initial = {"version": str(measure.version), "owner_id": measure.owner_id or 0}
    form = forms.OwnerForm(data=None if request.method == "POST" else initial)
    candidates = [(user.id, f"{user.display_name} ({user.username})") for user in services.owner_candidates()]
    form.owner_id.choices = forms.choice_list([(0, "Ingen ansvarlig"), *candidates])
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner_id.data) if 0 < (form.owner_id.data or 0) <= MAX_ID else None
        if form.owner_id.data and owner is None:
            abort(400, description="Ukjent bruker.")
        return _save_change(
            measure,
            form,
            ("portfolio/owner.html", form.owner_id),
            lambda: services.assign_owner(measure, current_user, form.seen_version(), owner),
            "Tiltaksansvarlig er lagret.",
        )
    return render_template("portfolio/owner.html", measure=measure, form=form), 400 if form.errors else 200


def _save_change(measure: Measure, form, page: tuple, save, message: str, **context):
    """Run one change of the measure from its form page (template, field for a refusal): commit and go
    back to the measure, or show the page again (with `context`) with the conflict or the refusal."""
    template, field = page
    try:
        save()
        db.session.commit()
    except EditConflict:
        return _conflict(measure.id, form, template)
    except services.MeasureChangeError as exc:
        field.errors = [*field.errors, str(exc)]
        return render_template(template, measure=measure, form=form, **context), 400
    except readiness.NotReadyError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return render_template(template, measure=measure, form=form, **context), 400
    flash(message, "success")
    return redirect(url_for(".measure", measure_id=measure.id))


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_portfolio():
    permissions.require_admin(current_user, "portfolio.import")
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return render_template("portfolio/import.html", form=form), 400 if form.errors else 200
    upload = form.file.data
    suffix = Path(upload.filename or "").suffix.lower()
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as target:
            upload.save(target)
        result = import_upload(path, current_user)
        db.session.commit()
    except PortfolioImportError as exc:
        db.session.rollback()
        return render_template("portfolio/import.html", form=form, errors=exc.messages), 400
    finally:
        os.unlink(path)
    return render_template("portfolio/import.html", form=forms.ImportForm(formdata=None), result=result)
