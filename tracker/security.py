"""HTTP security headers on every response, and trusting a reverse proxy's forwarded headers."""

import ipaddress

from flask import Flask, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.text import without_control

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS_VALUE = "max-age=31536000; includeSubDomains"
DOWNLOAD_MIMETYPES = frozenset(
    {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv",
    }
)
# The width of the ip_address columns (sessions, log-in attempts, audit).
MAX_ADDRESS_CHARS = 64
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def client_address(text: str | None) -> str:
    """The client address as stored: an IP address in canonical form, any other text without control
    characters and cut to the column's width (X-Forwarded-For is whatever the client sent)."""
    cleaned = without_control(text or "", keep_line_breaks=False).strip()
    try:
        return str(ipaddress.ip_address(cleaned))[:MAX_ADDRESS_CHARS]
    except ValueError:
        return cleaned[:MAX_ADDRESS_CHARS]


class CleanClientAddress:
    """WSGI middleware inside ProxyFix: every reader of `request.remote_addr` gets `client_address`."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if "REMOTE_ADDR" in environ:
            environ["REMOTE_ADDR"] = client_address(environ["REMOTE_ADDR"])
        return self.wsgi_app(environ, start_response)


def register_security(app: Flask) -> None:
    """Add the headers to every response; behind a proxy, trust its X-Forwarded-* headers."""
    hops = app.config.get("TRUSTED_PROXY_COUNT", 0)
    app.wsgi_app = CleanClientAddress(app.wsgi_app)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def add_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("HSTS_ENABLED"):
            response.headers.setdefault("Strict-Transport-Security", HSTS_VALUE)
        # The API sets its own caching: private, revalidated by ETag (Power BI refreshes poll it).
        is_api = request.blueprint == "api"
        if not is_api and (_is_private_page(response) or _is_download(response)):
            # Pages and files of a logged-in user are not kept by the browser or proxies (back after
            # log-out, a shared computer's cache, a proxy that would hand a report to someone else).
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_private_page(response) -> bool:
    return request.endpoint != "static" and response.mimetype == "text/html" and current_user.is_authenticated


def _is_download(response) -> bool:
    """A file the tracker made: a PDF, spreadsheet, CSV or report saved as an attachment."""
    disposition = response.headers.get("Content-Disposition", "")
    return request.endpoint != "static" and (
        disposition.lower().startswith("attachment") or response.mimetype in DOWNLOAD_MIMETYPES
    )
