"""The read-only HTTP API at /api/v1/: every list of resources.RESOURCES as JSON or CSV, and its OpenAPI description.

Only GET (and HEAD): any other method is answered 405. Every request but the description needs
an API token; the token's user reads what that user's role reads in the web.
"""

from flask import Blueprint, Response, g, request, url_for
from werkzeug.exceptions import NotFound

from tracker.accounts.models import User
from tracker.accounts.permissions import require_admin
from tracker.api import auth, openapi
from tracker.api.errors import MESSAGES, error_response
from tracker.api.listing import json_bytes, list_csv, list_json
from tracker.api.params import list_query
from tracker.api.resources import BY_NAME, Resource
from tracker.api_tokens import services as tokens
from tracker.database import utcnow
from tracker.database_setup import write_transaction
from tracker.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Tokens, not cookies, authenticate here, so there is no cross-site form to guard against.
csrf.exempt(bp)
READ_ONLY = {"methods": ["GET"], "provide_automatic_options": False}
OPEN_ENDPOINTS = frozenset({"api.openapi_description"})


@bp.before_request
def authenticate():
    """Refuse a token in the URL; find the token's user, note its use; 401 without a valid token."""
    if auth.has_token_in_url(request.args):
        return error_response(400, "API-nøkkelen skal aldri stå i adressen: send den i Authorization-headeren.")
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    token = tokens.authenticate(auth.token_from_header(request.headers.get("Authorization")))
    if token is None:
        return error_response(401, MESSAGES[401], list(auth.CHALLENGES))
    now = utcnow()
    token_id, user_id = token.id, token.user_id
    if tokens.is_use_due(token, now):
        db.session.rollback()  # the write starts a transaction of its own (BEGIN IMMEDIATE on SQLite)
        with write_transaction():
            tokens.record_use(token_id, now)
            db.session.commit()
    g.api_user = db.session.get(User, user_id)
    return None


def _next_url(offset: int, limit: int) -> str:
    view_args = request.view_args or {}
    args = {name: value for name, value in request.args.items() if name not in view_args}
    args.update(cursor=str(offset + limit), limit=str(limit))
    return url_for(request.endpoint, **view_args, **args, _external=True)


def _conditional(response: Response) -> Response:
    """ETag of the body; a matching If-None-Match gets 304 without it. Revalidated, never shared."""
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Authorization")
    response.add_etag()
    return response.make_conditional(request)


def _list(resource: Resource, suffix_format: str | None) -> Response:
    if resource.is_admin_only:
        require_admin(g.api_user, f"api.{resource.name}")
    query = list_query(request.args, g.api_user, suffix_format)
    items, has_more = resource.page(query)
    if query.is_csv:
        response = Response(list_csv(resource.fields, items), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{resource.name}.csv"'
        if has_more:
            response.headers["Link"] = f'<{_next_url(query.offset, query.limit)}>; rel="next"'
    else:
        next_url = _next_url(query.offset, query.limit) if has_more else None
        response = Response(list_json(items, next_url), mimetype="application/json")
    return _conditional(response)


def _resource(name: str) -> Resource:
    resource = BY_NAME.get(name)
    if resource is None:
        raise NotFound()
    return resource


@bp.route("/<name>", **READ_ONLY)
def list_resource(name: str):
    if name.endswith(".csv"):
        return _list(_resource(name.removesuffix(".csv")), "csv")
    return _list(_resource(name), None)


@bp.route("/openapi.json", **READ_ONLY)
def openapi_description():
    server_url = url_for("api.list_resource", name="x", _external=True).removesuffix("/x")
    return _conditional(Response(json_bytes(openapi.description(server_url)), mimetype="application/json"))
