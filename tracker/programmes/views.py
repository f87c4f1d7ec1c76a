"""The programme switcher (every user) and the admin's programme list: create, close, reopen."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.accounts import permissions
from tracker.database import MAX_ID
from tracker.extensions import db
from tracker.portfolio import programmes as services
from tracker.portfolio.models import Programme
from tracker.programmes import forms, pages
from tracker.web.errors import apply_errors
from tracker.web.paths import local_path
from tracker.web.responses import commit_then_redirect, form_status

bp = Blueprint("programmes", __name__, url_prefix="/programmer")


def _programme_or_404(programme_id: int) -> Programme:
    found = db.session.get(Programme, programme_id) if 0 < programme_id <= MAX_ID else None
    return found or abort(404, description="Fant ikke programmet.")


@bp.route("/velg", methods=["POST"])
@login_required
def choose():
    """Switch the programme the logged-in user works on; remembered on the account, so across log-ins."""
    form = forms.ChooseProgrammeForm()
    if not form.validate_on_submit():
        abort(400, description="Velg et program i listen.")
    programme = _programme_or_404(form.programme_id.data)
    services.choose_programme(current_user, programme)
    db.session.commit()
    closed = " Programmet er avsluttet og kan bare leses." if programme.is_closed else ""
    flash(f"Du ser nå programmet «{programme.name}».{closed}", "success")
    return redirect(local_path(form.next.data) or url_for("benefits.dashboard"))


@bp.route("/")
@login_required
def index():
    permissions.require_admin(current_user, "programme.list")
    return render_template("programmes/index.html", rows=pages.admin_rows(), form=forms.ClosedStateForm())


@bp.route("/ny", methods=["GET", "POST"])
@login_required
def create():
    permissions.require_admin(current_user, "programme.create")
    form = forms.ProgrammeCreateForm()
    if form.validate_on_submit():
        try:
            programme = services.create_programme(
                current_user,
                form.name.data or "",
                form.start_year.data,
                form.end_year.data,
                form.targets_nok(),
                form.municipality.data or "",
            )
        except services.ProgrammeError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            created = f"Programmet «{programme.name}» er opprettet. Importer tiltakene med samme programnavn."
            return commit_then_redirect(created, url_for(".index"))
    return render_template("programmes/create.html", form=form), form_status(form)


def _set_closed(programme_id: int, is_closed: bool):
    permissions.require_admin(current_user, "programme.close" if is_closed else "programme.reopen")
    programme = _programme_or_404(programme_id)
    if forms.ClosedStateForm().validate_on_submit() and services.set_closed(current_user, programme, is_closed):
        db.session.commit()
        what = "avsluttet: det kan leses, men ikke endres" if is_closed else "åpnet igjen"
        flash(f"Programmet «{programme.name}» er {what}.", "success")
    return redirect(url_for(".index"))


@bp.route("/<int:programme_id>/avslutt", methods=["POST"])
@login_required
def close(programme_id: int):
    return _set_closed(programme_id, True)


@bp.route("/<int:programme_id>/gjenapne", methods=["POST"])
@login_required
def reopen(programme_id: int):
    return _set_closed(programme_id, False)
