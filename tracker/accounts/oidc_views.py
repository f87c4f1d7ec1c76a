"""Single sign-on pages: off to Microsoft Entra ID and back (always registered; 404 when not set up)."""

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from tracker.accounts import oidc, sso
from tracker.accounts.permissions import SYSTEM
from tracker.accounts.views import begin_session, safe_next
from tracker.extensions import db

bp = Blueprint("oidc", __name__, url_prefix="/auth/oidc")

NEXT_KEY = "oidc_next"
NOT_CONFIGURED = (
    "Innlogging med Microsoft er ikke satt opp for Tiltaksporteføljen. "
    "Logg inn med brukernavn og passord, eller kontakt en administrator."
)
FAILURE_MESSAGES = {
    "unavailable": "Vi får ikke kontakt med Microsoft-innloggingen akkurat nå. Prøv igjen om litt.",
    "state": (
        "Innloggingen kunne ikke fullføres: svaret fra Microsoft hørte ikke til en innlogging som ble startet "
        "her, eller det er brukt før. Start innloggingen på nytt."
    ),
    "token": "Innloggingen kunne ikke fullføres: svaret fra Microsoft kunne ikke bekreftes. Start innloggingen på nytt.",
    "provider": "Microsoft avbrøt innloggingen. Start innloggingen på nytt, eller kontakt en administrator.",
}


def _settings_or_404() -> oidc.OidcSettings:
    settings = oidc.current_settings()
    if settings is None:
        abort(404, description=NOT_CONFIGURED)
    return settings


@bp.route("/login")
def login():
    settings = _settings_or_404()
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        return oidc.redirect_to_provider(settings, url_for(".callback", _external=True))
    except oidc.OidcFailure as exc:
        return _failed(exc)


@bp.route("/callback")
def callback():
    settings = _settings_or_404()
    try:
        user = sso.sign_in(oidc.claims_from_callback(settings), settings.policy, actor=SYSTEM)
    except oidc.OidcFailure as exc:
        return _failed(exc)
    except sso.SignInRefused as exc:
        return _refused(exc)
    target = session.get(NEXT_KEY)
    begin_session(user)
    return redirect(safe_next(target))


def _failed(failure: oidc.OidcFailure):
    db.session.rollback()
    sso.record_failure(failure.reason, failure.detail)
    db.session.commit()
    status = 503 if failure.reason == "unavailable" else 400
    return _problem_page(FAILURE_MESSAGES[failure.reason], status)


def _refused(refusal: sso.SignInRefused):
    db.session.rollback()
    sso.record_refusal(refusal)
    db.session.commit()
    return _problem_page(refusal.message, 403)


def _problem_page(message: str, status: int):
    return render_template("accounts/sso_problem.html", message=message), status
