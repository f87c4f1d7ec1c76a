"""The API token page (admin only): list, create (the token is shown once), revoke."""

from flask import Blueprint, abort, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from tracker.accounts import permissions
from tracker.accounts.models import ROLE_LABELS, User
from tracker.api_tokens import forms, services
from tracker.api_tokens.models import ApiToken
from tracker.extensions import db
from tracker.web.errors import apply_errors
from tracker.web.responses import commit_or_flash_refusal

bp = Blueprint("api_tokens", __name__, url_prefix="/brukere/api-nokler")


def _create_form() -> forms.TokenCreateForm:
    form = forms.TokenCreateForm()
    form.user_id.choices = [
        SelectChoice(user.id, f"{user.username} ({ROLE_LABELS.get(user.role, user.role)})")
        for user in services.enabled_users()
    ]
    return form


def _index_page(form: forms.TokenCreateForm, status: int = 200):
    context = {"tokens": services.list_tokens(), "form": form, "revoke_form": forms.TokenRevokeForm()}
    return render_template("api_tokens/index.html", role_labels=ROLE_LABELS, **context), status


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    permissions.require_admin(current_user, "api_token.list")
    form = _create_form()
    if not form.validate_on_submit():
        return _index_page(form, 400 if form.errors else 200)
    user = db.session.get(User, form.user_id.data) or abort(404)
    try:
        token, secret = services.create_token(user, form.name.data, current_user)
    except services.TokenError as exc:
        db.session.rollback()
        apply_errors(form, exc)
        return _index_page(form, 400)
    db.session.commit()
    # Shown once and never cached: only the hash is stored.
    response = make_response(render_template("api_tokens/created.html", token=token, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:token_id>/trekk-tilbake", methods=["POST"])
@login_required
def revoke(token_id: int):
    permissions.require_admin(current_user, "api_token.revoke")
    token = db.session.get(ApiToken, token_id) or abort(404)
    if forms.TokenRevokeForm().validate_on_submit():
        revoked = f"API-nøkkelen {token.audit_label} er trukket tilbake."
        commit_or_flash_refusal(lambda: services.revoke_token(token, current_user), services.TokenError, revoked)
    return redirect(url_for(".index"))
