"""API tokens: made and revoked by an admin (page and `flask api-tokens`), stored only as a hash."""

import json
import re

from sqlalchemy import select

from tracker.accounts.sessions import hash_token
from tracker.api_tokens.models import ApiToken
from tracker.audit.models import AuditEntry

URL_SAFE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,}$")


def _create(runner, username="powerbi", name="Power BI"):
    return runner.invoke(args=["api-tokens", "create", "--user", username, "--name", name])


def test_the_cli_prints_the_token_alone_on_its_last_line_and_stores_only_its_hash(runner, make_user, db):
    make_user("leser", username="powerbi")

    result = _create(runner)

    assert result.exit_code == 0, result.output
    secret = result.output.rstrip("\n").splitlines()[-1]
    assert URL_SAFE_TOKEN.match(secret)
    assert secret not in result.output.rstrip("\n").splitlines()[-2]
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hash_token(secret)
    assert token.prefix == secret[:12] and token.name == "Power BI" and token.user.username == "powerbi"
    assert secret not in json.dumps([str(value) for value in vars(token).values()])


def test_each_token_is_new(runner, make_user):
    make_user("leser", username="powerbi")
    first, second = (_create(runner).output.splitlines()[-1] for _ in range(2))
    assert first != second


def test_the_cli_refuses_an_unknown_user_and_an_empty_name(runner, make_user, db):
    make_user("leser", username="powerbi")
    assert _create(runner, username="ukjent").exit_code != 0
    assert _create(runner, name="  ").exit_code != 0
    assert db.session.scalar(select(ApiToken)) is None


def test_the_cli_refuses_a_disabled_user(runner, make_user, db):
    user = make_user("leser", username="powerbi")
    user.is_enabled = False
    db.session.commit()
    result = _create(runner)
    assert result.exit_code != 0 and "deaktivert" in result.output


def test_the_cli_lists_and_revokes_tokens(runner, make_user, db):
    make_user("leser", username="powerbi")
    secret = _create(runner).output.splitlines()[-1]
    listed = json.loads(runner.invoke(args=["api-tokens", "list", "--json"]).output)
    assert listed == [
        {
            "id": listed[0]["id"],
            "prefix": secret[:12],
            "name": "Power BI",
            "user": "powerbi",
            "created_dt": listed[0]["created_dt"],
            "last_used_dt": None,
            "revoked_dt": None,
        }
    ]
    assert secret not in runner.invoke(args=["api-tokens", "list"]).output

    result = runner.invoke(args=["api-tokens", "revoke", secret[:12]])

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(ApiToken)).is_revoked
    assert runner.invoke(args=["api-tokens", "revoke", str(listed[0]["id"])]).exit_code != 0
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"api_token.create", "api_token.revoke"} <= actions


def test_an_admin_makes_a_token_on_the_page_and_sees_it_once(client, login, make_user, db):
    admin, reader = make_user("admin", username="ola"), make_user("leser", username="powerbi")
    login(admin)

    response = client.post("/brukere/api-nokler/", data={"user_id": reader.id, "name": "Power BI"})

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'class="one-time-password">([^<]+)<', response.get_data(as_text=True)).group(1)
    assert URL_SAFE_TOKEN.match(secret)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hash_token(secret) and token.user_id == reader.id
    listing = client.get("/brukere/api-nokler/").get_data(as_text=True)
    assert "Power BI" in listing and token.prefix in listing and secret not in listing


def test_an_admin_revokes_a_token_on_the_page(client, login, make_user, runner, db):
    admin = make_user("admin", username="ola")
    make_user("leser", username="powerbi")
    _create(runner)
    token = db.session.scalar(select(ApiToken))
    login(admin)

    response = client.post(f"/brukere/api-nokler/{token.id}/trekk-tilbake")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).is_revoked


def test_a_page_form_without_a_name_is_refused(client, login, make_user, db):
    admin = make_user("admin", username="ola")
    login(admin)
    response = client.post("/brukere/api-nokler/", data={"user_id": admin.id, "name": ""})
    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_only_an_admin_reaches_the_token_page(client, login, make_user, runner, db):
    make_user("leser", username="powerbi")
    _create(runner)
    token = db.session.scalar(select(ApiToken))
    login(make_user("ledergruppe", username="kari"))

    assert client.get("/brukere/api-nokler/").status_code == 403
    assert client.post("/brukere/api-nokler/", data={"user_id": 1, "name": "x"}).status_code == 403
    assert client.post(f"/brukere/api-nokler/{token.id}/trekk-tilbake").status_code == 403
    db.session.expire_all()
    assert not db.session.get(ApiToken, token.id).is_revoked
