"""User administration: list, create, edit, reset password (admin only)."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.accounts import permissions
from tracker.accounts.models import ROLE_LABELS, User
from tracker.accounts.services import AccountError
from tracker.errors import EditConflict
from tracker.extensions import db
from tracker.users import forms, services
from tracker.web.conflicts import conflict_page
from tracker.web.errors import apply_errors

bp = Blueprint("users", __name__, url_prefix="/brukere")


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404, description="Fant ikke brukeren.")


def _one_time_password_page(user: User, password: str):
    """Shown once and never cached: the password is not stored anywhere in clear text."""
    response = make_response(render_template("users/password_shown.html", user=user, password=password))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@login_required
def index():
    permissions.require_admin(current_user, "user.list")
    return render_template("users/index.html", users=services.list_users(), role_labels=ROLE_LABELS)


@bp.route("/ny", methods=["GET", "POST"])
@login_required
def create():
    permissions.require_admin(current_user, "user.create")
    form = forms.UserCreateForm()
    if form.validate_on_submit():
        try:
            user, generated = services.create_account(
                current_user,
                form.username.data,
                form.full_name.data,
                form.email.data,
                form.role.data,
                form.password.data,
                form.entra_oid.data,
            )
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            return render_template("users/create.html", form=form), 400
        if generated:
            return _one_time_password_page(user, generated)
        flash(f"Brukeren {user.username} er opprettet.", "success")
        return redirect(url_for(".index"))
    return render_template("users/create.html", form=form), 400 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit(user_id: int):
    permissions.require_admin(current_user, "user.update")
    user = _user_or_404(user_id)
    form = forms.UserEditForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_account(
                current_user,
                user,
                form.role.data,
                form.full_name.data,
                form.email.data,
                form.is_enabled.data,
                form.entra_oid.data,
                form.version.seen(),
            )
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            return render_template("users/edit.html", form=form, user=user, reset_form=forms.PasswordResetForm()), 400
        except EditConflict:
            return _edit_conflict(user_id, form)
        flash(f"Endringene for {user.username} er lagret.", "success")
        return redirect(url_for(".index"))
    status = 400 if form.errors else 200
    return render_template("users/edit.html", form=form, user=user, reset_form=forms.PasswordResetForm()), status


def _edit_conflict(user_id: int, form):
    db.session.rollback()
    user = _user_or_404(user_id)
    stored = forms.UserEditForm(formdata=None, obj=user)
    reset_form = forms.PasswordResetForm()
    return conflict_page("users/edit.html", form, user, url_for(".index"), stored, user=user, reset_form=reset_form)


@bp.route("/<int:user_id>/passord", methods=["POST"])
@login_required
def reset_password(user_id: int):
    permissions.require_admin(current_user, "user.password_reset")
    user = _user_or_404(user_id)
    reset_form = forms.PasswordResetForm()
    if reset_form.validate_on_submit():
        try:
            generated = services.reset_password(current_user, user, reset_form.password.data)
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            apply_errors(reset_form, exc)
        else:
            if generated:
                return _one_time_password_page(user, generated)
            flash(f"Nytt passord er satt for {user.username}. Brukeren er logget ut overalt.", "success")
            return redirect(url_for(".index"))
    form = forms.UserEditForm(obj=user, formdata=None)
    return render_template("users/edit.html", form=form, user=user, reset_form=reset_form), 400
