"""Who reads the API: a valid token as Bearer or Basic password, never in the URL, with the user's role; GET only."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.api import views as api_views
from tracker.api.resources import RESOURCES
from tracker.api_tokens.models import ApiToken
from tracker.audit.models import AuditEntry


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")}


@pytest.fixture()
def secret(make_api_token, make_measure):
    make_measure("1.1", plan={2026: 100_000})
    return make_api_token("leser")


def test_without_a_token_the_answer_is_401_with_both_challenges(client, secret):
    response = client.get("/api/v1/measures")

    assert response.status_code == 401
    assert response.is_json and "Authorization" in response.get_json()["error"]["message"]
    challenges = response.headers.getlist("WWW-Authenticate")
    assert [challenge.split()[0] for challenge in challenges] == ["Bearer", "Basic"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer trk_feil"},
        {"Authorization": "Bearer "},
        {"Authorization": "Token whatever"},
        _basic("powerbi", "trk_feil"),
        _basic("powerbi", ""),
    ],
    ids=["wrong-bearer", "empty-bearer", "unknown-scheme", "wrong-basic", "empty-basic"],
)
def test_a_wrong_token_is_refused(client, secret, headers):
    assert client.get("/api/v1/measures", headers=headers).status_code == 401


def test_a_token_works_as_bearer(client, secret):
    response = client.get("/api/v1/measures", headers=_bearer(secret))
    assert response.status_code == 200
    assert [item["code"] for item in response.get_json()["items"]] == ["1.1"]


@pytest.mark.parametrize("username", ["powerbi", "hva som helst", ""])
def test_a_token_works_as_the_basic_password_with_any_user_name(client, secret, username):
    response = client.get("/api/v1/measures", headers=_basic(username, secret))
    assert response.status_code == 200
    assert response.get_json() == client.get("/api/v1/measures", headers=_bearer(secret)).get_json()


def test_a_revoked_token_is_refused(client, secret, runner, db):
    assert client.get("/api/v1/measures", headers=_bearer(secret)).status_code == 200
    assert runner.invoke(args=["api-tokens", "revoke", secret[:12]]).exit_code == 0
    assert client.get("/api/v1/measures", headers=_bearer(secret)).status_code == 401
    assert client.get("/api/v1/measures", headers=_basic("x", secret)).status_code == 401


def test_the_token_of_a_disabled_user_is_refused(client, secret, db):
    token = db.session.scalar(select(ApiToken))
    token.user.is_enabled = False
    db.session.commit()
    assert client.get("/api/v1/measures", headers=_bearer(secret)).status_code == 401


@pytest.mark.parametrize("name", ["token", "access_token", "api_key", "TOKEN"])
def test_a_token_in_the_url_is_refused_even_with_a_valid_header(client, secret, name):
    response = client.get(f"/api/v1/measures?{name}={secret}", headers=_bearer(secret))
    assert response.status_code == 400
    assert "adressen" in response.get_json()["error"]["message"]
    assert client.get(f"/api/v1/measures?{name}={secret}").status_code == 400


def test_a_logged_in_browser_session_does_not_open_the_api(client, login, make_user, secret):
    login(make_user("admin"))
    assert client.get("/api/v1/measures").status_code == 401


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_the_api_only_reads(client, secret, method, db):
    before = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
    response = client.open("/api/v1/measures", method=method, headers=_bearer(secret), json={"code": "9.9"})
    assert response.status_code == 405
    assert response.is_json and set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}
    assert db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc())) == before


def test_head_answers_like_get_without_a_body(client, secret):
    response = client.head("/api/v1/measures", headers=_bearer(secret))
    assert response.status_code == 200 and response.data == b""
    assert response.headers["ETag"] == client.get("/api/v1/measures", headers=_bearer(secret)).headers["ETag"]


def test_an_unknown_list_is_a_json_404(client, secret):
    response = client.get("/api/v1/tiltak", headers=_bearer(secret))
    assert response.status_code == 404 and response.is_json


# --- the user's role ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leser", "tiltaksansvarlig", "ledergruppe"])
def test_roles_read_what_they_read_in_the_web(client, make_api_token, make_measure, role, db):
    """Every role reads the portfolio's lists; the audit trail is the admin's, as its page is."""
    make_measure("1.1", plan={2026: 100_000})
    admin, other = make_api_token("admin"), make_api_token(role)

    assert client.get("/api/v1/measures", headers=_bearer(other)).data == (
        client.get("/api/v1/measures", headers=_bearer(admin)).data
    )
    assert client.get("/api/v1/audit-entries", headers=_bearer(admin)).status_code == 200
    response = client.get("/api/v1/audit-entries", headers=_bearer(other))
    assert response.status_code == 403 and response.is_json
    refused = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "refused"))
    assert refused.changes == {"attempted": "api.audit-entries"} and refused.username.startswith(role)


def test_the_role_is_read_at_each_request(client, make_api_token, make_user, db):
    admin = make_user("admin")
    secret = make_api_token(admin)
    assert client.get("/api/v1/audit-entries", headers=_bearer(secret)).status_code == 200
    db.session.get(User, admin.id).role = "leser"
    db.session.commit()
    assert client.get("/api/v1/audit-entries", headers=_bearer(secret)).status_code == 403


# --- use is audited, at most once an hour per token ----------------------------------------------------


def test_use_is_audited_once_an_hour_and_last_used_is_kept(client, secret, monkeypatch, db):
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def _at(minutes: float):
        monkeypatch.setattr(api_views, "utcnow", lambda: start + timedelta(minutes=minutes))
        assert client.get("/api/v1/measures", headers=_bearer(secret)).status_code == 200
        db.session.expire_all()
        token = db.session.scalar(select(ApiToken))
        uses = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api_token.use")).all()
        return token.last_used_dt, uses

    last_used, uses = _at(0)
    assert last_used == start and len(uses) == 1
    assert uses[0].object_type == "ApiToken" and uses[0].username == db.session.scalar(select(ApiToken)).user.username
    assert _at(0.5) == (start, uses)  # within a minute nothing is written
    last_used, uses = _at(5)
    assert last_used == start + timedelta(minutes=5) and len(uses) == 1
    last_used, uses = _at(61)
    assert last_used == start + timedelta(minutes=61) and len(uses) == 2


# --- the OpenAPI description -------------------------------------------------------------------------


def test_the_openapi_description_is_public_and_lists_every_list_and_field(client, secret):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.") and document["servers"] == [{"url": "http://localhost/api/v1"}]
    for resource in RESOURCES:
        assert f"/{resource.name}" in document["paths"] and f"/{resource.name}.csv" in document["paths"]
        schema = next(
            schema
            for name, schema in document["components"]["schemas"].items()
            if name.lower() == resource.name.replace("-", "")
        )
        assert list(schema["properties"]) == [column.name for column in resource.fields]
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "basicAuth"}
    assert client.get(f"/api/v1/openapi.json?token={secret}").status_code == 400
