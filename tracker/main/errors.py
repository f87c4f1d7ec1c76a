"""Error pages in Norwegian, and a second chance for forms whose CSRF token expired."""

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.accounts.forms import LoginForm
from tracker.accounts.views import render_login
from tracker.api.errors import error_response, http_error_response, is_api_request
from tracker.errors import EditConflict, ReadOnlyError
from tracker.extensions import db
from tracker.web.conflicts import conflict_fallback, unique_violation_fallback
from tracker.web.errors import is_same_origin, resend_page

TITLES = {
    400: "Ugyldig forespørsel",
    401: "Ikke logget inn",
    403: "Ingen tilgang",
    404: "Fant ikke siden",
    405: "Metoden er ikke tillatt",
    409: "Konflikt",
    413: "Filen er for stor",
    429: "For mange forsøk",
    500: "Noe gikk galt",
}
DESCRIPTIONS = {
    400: "Forespørselen kunne ikke behandles. Gå tilbake og prøv igjen.",
    401: "Du må logge inn for å se denne siden.",
    403: "Du har ikke tilgang til denne siden eller handlingen.",
    404: "Siden finnes ikke. Kanskje lenken er gammel, eller adressen er skrevet feil.",
    405: "Siden kan ikke brukes på denne måten.",
    409: "Noen andre har endret det samme samtidig. Last inn siden på nytt og prøv igjen.",
    429: "For mange forsøk på kort tid. Vent litt og prøv igjen.",
    500: "Det oppstod en feil hos oss. Prøv igjen om litt, og kontakt en administrator hvis feilen vedvarer.",
}
# Never echoed back into a page: passwords and the stale token itself.


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        db.session.rollback()
        if is_api_request():
            return http_error_response(error)
        code = error.code or 500
        title = TITLES.get(code, error.name)
        return render_template("main/error.html", code=code, title=title, description=_description(error)), code

    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(ReadOnlyError, handle_read_only)
    # A save that lost a race and that no page answered itself: 409, never a 500.
    app.register_error_handler(EditConflict, conflict_fallback)
    app.register_error_handler(StaleDataError, conflict_fallback)
    app.register_error_handler(IntegrityError, unique_violation_fallback)


def _description(error: HTTPException) -> str:
    code = error.code or 500
    if code == 413:
        return _too_large_message()
    if error.description and error.description != type(error).description:
        return error.description  # our own Norwegian message (PermissionDenied, abort(…, "…"))
    return DESCRIPTIONS.get(code, error.description or "")


def _too_large_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    size = f"{limit / (1024 * 1024):.0f} MB".replace(".", ",") if limit >= 1024 * 1024 else f"{limit} byte"
    return (
        f"Det du sendte er større enn tillatt (høyst {size}). "
        "Velg en mindre fil, eller del opp innholdet, og prøv igjen."
    )


def handle_read_only(error: ReadOnlyError):
    """A change to a closed programme that no page answered itself: 403 with the reason, never a 500."""
    db.session.rollback()
    if is_api_request():
        return error_response(403, error.message)
    return render_template("main/error.html", code=403, title="Programmet er avsluttet", description=error.message), 403


def handle_csrf_error(error: CSRFError):  # noqa: ARG001 - Flask passes the error
    """An expired or missing form token: explain, keep what the user typed, let them send again."""
    db.session.rollback()
    message = (
        "Skjemaet var utløpt eller manglet sikkerhetsnøkkel, så ingenting ble lagret. "
        "Det du skrev er tatt vare på nedenfor."
    )
    if request.endpoint == "accounts.login":
        return render_login(LoginForm(), 400, csrf_message=message)
    return resend_page(message, can_resend=is_same_origin()), 400
