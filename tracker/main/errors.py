"""Error pages in Norwegian, and a second chance for forms whose CSRF token expired."""

from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tracker.extensions import db

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
NOT_RESENT = ("csrf_token", "password", "passord")


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        title = TITLES.get(code, error.name)
        return render_template("main/error.html", code=code, title=title, description=_description(error)), code

    app.register_error_handler(CSRFError, handle_csrf_error)


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


def handle_csrf_error(error: CSRFError):  # noqa: ARG001 - Flask passes the error
    """An expired or missing form token: explain, keep what the user typed, let them send again."""
    db.session.rollback()
    message = (
        "Skjemaet var utløpt eller manglet sikkerhetsnøkkel, så ingenting ble lagret. "
        "Det du skrev er tatt vare på nedenfor."
    )
    if request.endpoint == "accounts.login":
        from tracker.accounts.forms import LoginForm

        return render_template("accounts/login.html", form=LoginForm(), csrf_message=message), 400
    return resend_page(message, can_resend=_is_same_origin()), 400


def resend_page(
    message: str, can_resend: bool, heading: str = "Skjemaet må sendes på nytt", login_url: str | None = None
) -> str:
    """A page listing what the user posted (never passwords), optionally with a button to resend it."""
    fields = [(name, value) for name, value in request.form.items(multi=True) if not _is_secret(name)]
    return render_template(
        "main/csrf_error.html",
        heading=heading,
        message=message,
        fields=fields,
        action=request.full_path.rstrip("?"),
        can_resend=can_resend,
        had_files=bool(request.files),
        dropped_secret=any(_is_secret(name) and name != "csrf_token" for name in request.form),
        login_url=login_url,
    )


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in NOT_RESENT)


def _is_same_origin() -> bool:
    """Offer to resend only a form that came from our own pages (not another site's forged post)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    return urlsplit(source).netloc == request.host
