"""Error pages in Norwegian."""

from flask import Flask, render_template
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
    500: "Noe gikk galt",
}


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        db.session.rollback()
        code = error.code or 500
        title = TITLES.get(code, error.name)
        return render_template("main/error.html", code=code, title=title, description=error.description), code
