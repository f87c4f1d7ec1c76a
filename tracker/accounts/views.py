"""Log-in and log-out."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from tracker.accounts import services
from tracker.accounts.forms import LoginForm
from tracker.accounts.models import User
from tracker.audit import services as audit
from tracker.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.lstrip("-").isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_epoch != int(epoch):
        return None
    return user


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.check_credentials(form.username.data, form.password.data)
        if user is None:
            audit.record("login.failed", username=form.username.data[:80], ip_address=request.remote_addr)
            db.session.commit()
            flash("Feil brukernavn eller passord.", "error")
            return render_template("accounts/login.html", form=form), 401
        audit.record("login.success", user=user, ip_address=request.remote_addr)
        db.session.commit()
        session.clear()
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    audit.record("logout", user=current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("Du er logget ut.", "info")
    return redirect(url_for("accounts.login"))
