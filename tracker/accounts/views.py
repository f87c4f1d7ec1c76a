"""Log-in, log-out, changing one's password, and the checks every request makes on its session."""

import math
from datetime import timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from tracker.accounts import login as login_attempts
from tracker.accounts import oidc, services, sessions, sso_rules, throttle
from tracker.accounts.forms import ChangePasswordForm, LoginForm
from tracker.accounts.models import User
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.database_setup import SAFE_METHODS
from tracker.extensions import db, login_manager
from tracker.periods import now_oslo
from tracker.text import without_control
from tracker.web.errors import apply_errors, resend_page
from tracker.web.paths import local_path
from tracker.web.responses import form_status

bp = Blueprint("accounts", __name__)

PASSWORD_LOGIN_OFF_MESSAGE = "Innlogging med passord er slått av. Bruk «Logg inn med Microsoft»."
# Pages a user who must change their password may still reach.
OPEN_WHILE_PASSWORD_CHANGE = {
    "accounts.change_password",
    "accounts.logout",
    "accounts.login",
    "static",
    "main.accessibility",
    "main.ping",
}


def _timeouts() -> sessions.Timeouts:
    config = current_app.config
    return sessions.Timeouts(
        idle=timedelta(minutes=config["SESSION_IDLE_TIMEOUT_MIN"]),
        absolute=timedelta(minutes=config["SESSION_ABSOLUTE_TIMEOUT_MIN"]),
    )


def _login_policies() -> login_attempts.LoginPolicies:
    config = current_app.config
    window_min, lockout_min = config["LOGIN_FAILURE_WINDOW_MIN"], config["LOGIN_LOCKOUT_MIN"]
    return login_attempts.LoginPolicies(
        per_username=throttle.LockoutPolicy.from_minutes(config["LOGIN_MAX_FAILURES"], window_min, lockout_min),
        per_address=throttle.LockoutPolicy.from_minutes(
            config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window_min, lockout_min
        ),
    )


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """The user of a valid server-side session; expired sessions are ended after the response."""
    result = sessions.check(login_id, session.get(sessions.TOKEN_KEY), utcnow(), _timeouts())
    if result.has_expired:
        g.session_to_end = (result.record.id, result.problem)
        g.session_expired = True
    elif result.needs_touch:
        g.session_to_touch = result.record.id
    if result.user is None:
        session.clear()
    return result.user


@login_manager.unauthorized_handler
def unauthorized():
    expired = g.get("session_expired")
    if request.method not in SAFE_METHODS and any(name != "csrf_token" for name in request.form):
        return _logged_out_while_posting(expired)
    flash("Økten din er utløpt. Logg inn på nytt." if expired else "Logg inn for å se denne siden.", "info")
    target = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
    return redirect(url_for("accounts.login", next=target))


def _logged_out_while_posting(expired: bool):
    """A form sent after the session ended: nothing is saved, but what was typed is shown again."""
    reason = "Økten din var utløpt" if expired else "Du var ikke logget inn"
    message = f"{reason}, så ingenting ble lagret. Det du skrev er tatt vare på nedenfor."
    heading = "Logg inn og send skjemaet på nytt"
    return resend_page(message, can_resend=False, heading=heading, login_url=url_for("accounts.login")), 401


@bp.after_app_request
def store_session_activity(response):
    """Write last-seen or a timeout in a transaction of its own (GET pages do not commit)."""
    to_touch, to_end = g.pop("session_to_touch", None), g.pop("session_to_end", None)
    if to_touch or to_end:
        db.session.rollback()
        if to_end:
            sessions.end(*to_end)
        else:
            sessions.touch(to_touch, utcnow())
        db.session.commit()
    return response


@bp.before_app_request
def require_password_change():
    # Load the user afresh for every request: tests share one app context (and `g`) between
    # requests, and a user cached from the previous request would skip the session checks.
    for key in ("_login_user", "session_expired", "session_to_touch", "session_to_end"):
        g.pop(key, None)
    if request.endpoint in OPEN_WHILE_PASSWORD_CHANGE or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("accounts.change_password"))
    return None


def safe_next(target: str | None) -> str:
    """A local path to go to after log-in; anything else (another site) becomes the front page."""
    return local_path(target) or url_for("main.index")


def _begin_session(user: User, token: str) -> None:
    """A fresh cookie on every log-in: nothing from before survives (session fixation)."""
    session.clear()
    session[sessions.TOKEN_KEY] = token
    login_user(user)


def begin_session(user: User) -> None:
    """End the browser's previous session, record a new one, commit, and give the browser its cookie."""
    sessions.end_by_token(session.get(sessions.TOKEN_KEY), sessions.END_REPLACED)
    token = sessions.start_session(user, request.remote_addr, request.user_agent.string)
    db.session.commit()
    _begin_session(user, token)


def render_login(form: LoginForm, status: int = 200, **context):
    """The log-in page: the Microsoft button when single sign-on is set up, the form unless LOCAL_LOGIN=off."""
    page = render_template(
        "accounts/login.html",
        form=form,
        has_sso=oidc.current_settings() is not None,
        local_login=oidc.local_login_mode(current_app.config),
        **context,
    )
    return page, status


def _lockout_message(locked_until_dt, locked_by: str | None) -> str:
    minutes = max(1, math.ceil((locked_until_dt - utcnow()).total_seconds() / 60))
    where = "fra din adresse" if locked_by == login_attempts.BY_ADDRESS else "for dette brukernavnet"
    return (
        f"For mange mislykkede innloggingsforsøk {where}. Innlogging er sperret i "
        f"{minutes} minutter (til kl. {now_oslo(locked_until_dt):%H:%M}), også med riktig passord. "
        "Prøv igjen senere, eller kontakt en administrator."
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    local_login = oidc.local_login_mode(current_app.config)
    if request.method == "POST" and local_login == sso_rules.LOCAL_LOGIN_OFF:
        return _password_login_off(form)
    if form.validate_on_submit():
        result = login_attempts.log_in(
            form.username.data, form.password.data, _login_policies(), request.remote_addr, local_login
        )
        if result.user is None:
            db.session.commit()
            if result.locked_until_dt is not None:
                flash(_lockout_message(result.locked_until_dt, result.locked_by), "error")
                return render_login(form, 429)
            flash("Feil brukernavn eller passord.", "error")
            return render_login(form, 401)
        begin_session(result.user)
        if result.user.must_change_password:
            flash("Du logget inn med et engangspassord. Velg et nytt passord før du fortsetter.", "info")
            return redirect(url_for("accounts.change_password"))
        return redirect(safe_next(request.args.get("next")))
    return render_login(form, form_status(form))


def _password_login_off(form: LoginForm):
    """LOCAL_LOGIN=off: the form is hidden, and a password sent anyway is refused unread."""
    username = without_control(request.form.get("username") or "", keep_line_breaks=False).strip().lower()[:80]
    username = username or "ukjent"
    audit.record("login.refused", username=username, changes={"reason": "local_login_off"})
    db.session.commit()
    flash(PASSWORD_LOGIN_OFF_MESSAGE, "error")
    return render_login(form, 403)


@bp.route("/konto/passord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_own_password(user, form.current_password.data, form.new_password.data)
        except services.AccountError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            token = sessions.start_session(user, request.remote_addr, request.user_agent.string)
            db.session.commit()
            _begin_session(user, token)
            flash("Passordet er endret. Andre pålogginger med det gamle passordet er avsluttet.", "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/change_password.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.end_by_token(session.get(sessions.TOKEN_KEY), sessions.END_LOGOUT)
    audit.record("logout", user=current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("Du er logget ut.", "info")
    return redirect(url_for("accounts.login"))
