"""Errors of the API as JSON (never the HTML error pages), with the headers clients need."""

from flask import Response, request
from werkzeug.exceptions import HTTPException

from tracker.api.listing import json_bytes

PREFIX = "/api/v1"
MESSAGES = {
    400: "Ugyldig forespørsel.",
    401: "Mangler gyldig API-nøkkel. Send den som «Authorization: Bearer <nøkkel>» eller som passord med Basic.",
    403: "API-nøkkelens bruker har ikke tilgang til dette.",
    404: "Finnes ikke i API-et.",
    405: "API-et kan bare lese: bruk GET.",
    500: "Det oppstod en feil hos oss. Prøv igjen om litt.",
}
# Kept from the error for the client: which methods the address takes.
PASSED_HEADERS = frozenset({"allow"})


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def error_response(status: int, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    """`{"error": {"status": …, "message": …}}` with the status code; never cached."""
    response = Response(json_bytes({"error": {"status": status, "message": message}}), status=status, headers=headers)
    response.mimetype = "application/json"
    response.headers["Cache-Control"] = "no-store"
    return response


def http_error_response(error: HTTPException) -> Response:
    """An HTTP error raised in the API (or its routing) as JSON, with our message where we gave one."""
    status = error.code or 500
    own = error.description if error.description != type(error).description else None
    headers = [(name, value) for name, value in error.get_headers() if name.lower() in PASSED_HEADERS]
    return error_response(status, own or MESSAGES.get(status, error.name), headers)
