"""Regnskap pages (admins): ledger upload, loaded periods, deflators, filters, a measure's ledger lines."""

import os
import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.accounting import forms, pages, queries, services
from tracker.accounting.importing import LedgerImportError, import_ledger
from tracker.accounting.models import KIND_LABELS, AccountingFilter
from tracker.accounting.rules import BASELINE_YEAR
from tracker.accounts import permissions
from tracker.extensions import db
from tracker.portfolio.lookups import measure_or_404
from tracker.portfolio.queries import current_programme
from tracker.web.errors import apply_errors
from tracker.web.forms import DeleteForm
from tracker.web.responses import commit_then_redirect

bp = Blueprint("accounting", __name__, url_prefix="/regnskap")


def _index_page(upload_form=None, deflator_form=None, status: int = 200, **context):
    programme = current_programme(current_user)
    return render_template(
        "accounting/index.html",
        upload_form=upload_form or forms.LedgerUploadForm(formdata=None),
        deflator_form=deflator_form or forms.DeflatorForm(formdata=None),
        periods=queries.loaded_periods(),
        deflators=queries.deflators(),
        overlaps=services.overlaps(programme) if programme else [],
        kind_labels=KIND_LABELS,
        **context,
    ), status


def _panel_url(measure_id: int) -> str:
    return url_for("portfolio.measure", measure_id=measure_id) + "#regnskap"


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    permissions.require_admin(current_user, "accounting.view")
    form = forms.LedgerUploadForm()
    if not form.validate_on_submit():
        return _index_page(upload_form=form, status=400 if form.errors else 200)
    upload = form.file.data
    handle, path = tempfile.mkstemp(suffix=Path(upload.filename or "").suffix.lower())
    try:
        with os.fdopen(handle, "wb") as target:
            upload.save(target)
        result = import_ledger(
            path, form.kind.data, current_user, current_app.config["MAX_XLSX_UNCOMPRESSED_BYTES"], upload.filename
        )
        db.session.commit()
    except LedgerImportError as exc:
        db.session.rollback()
        return _index_page(upload_form=form, errors=exc.messages, status=400)
    finally:
        os.unlink(path)
    return _index_page(result=result)


@bp.route("/deflator", methods=["POST"])
@login_required
def deflator():
    permissions.require_admin(current_user, "accounting.deflator")
    form = forms.DeflatorForm()
    if not form.validate_on_submit():
        return _index_page(deflator_form=form, status=400)
    try:
        services.set_deflator(form.year.data, form.rate_basis_points(), form.source.data or "", current_user)
    except services.AccountingError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return _index_page(deflator_form=form, status=400)
    return commit_then_redirect(f"Deflatoren for {form.year.data} er lagret.", url_for(".index"))


@bp.route("/tiltak/<int:measure_id>/filter", methods=["POST"])
@login_required
def add_filter(measure_id: int):
    measure = measure_or_404(measure_id)
    permissions.require_admin(current_user, "accounting.filters")
    form, back = forms.FilterForm(), _panel_url(measure_id)
    if form.validate_on_submit():
        try:
            services.add_filter(measure, form.values(), current_user)
        except services.AccountingError as exc:
            db.session.rollback()
            flash("Filteret ble ikke lagret: " + " ".join(exc.errors_by_field.values()), "error")
            # Back to the measure page with what was typed, so the form shows it again.
            typed = {name: value for name, value in form.values().items() if value}
            return redirect(url_for("portfolio.measure", measure_id=measure_id, **typed) + "#regnskap")
        else:
            return commit_then_redirect("Regnskapsfilteret er lagt til.", back)
    return redirect(back)


@bp.route("/filter/<int:filter_id>/slett", methods=["POST"])
@login_required
def remove_filter(filter_id: int):
    item = db.session.get(AccountingFilter, filter_id) or abort(404, description="Fant ikke filteret.")
    measure_id = item.measure_id
    permissions.require_admin(current_user, "accounting.filters")
    if DeleteForm().validate_on_submit():
        services.remove_filter(item, current_user)
        return commit_then_redirect("Regnskapsfilteret er fjernet.", _panel_url(measure_id))
    return redirect(_panel_url(measure_id))


@bp.route("/tiltak/<int:measure_id>/linjer")
@login_required
def lines(measure_id: int):
    measure = measure_or_404(measure_id)
    permissions.require_admin(current_user, "accounting.lines")
    year = request.args.get("aar", type=int) or BASELINE_YEAR
    page = max(request.args.get("side", type=int) or 1, 1)
    return render_template("accounting/lines.html", **pages.lines_context(measure, year, page))
