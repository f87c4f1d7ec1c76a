"""Single sign-on settings: the log-in page, the routes when it is off, LOCAL_LOGIN, the admin's oid field."""

import pytest
from sqlalchemy import select

from config import TestingConfig
from tests.helpers import TEST_PASSWORD
from tests.oidc.runner import free_port
from tracker import create_app
from tracker.accounts.models import User
from tracker.accounts.oidc import check_config, claims_options, settings_from_config
from tracker.audit.models import AuditEntry

TENANT = "11111111-1111-4111-8111-111111111111"
OID = "aaaaaaaa-0000-4000-8000-0000000000ff"
SSO = {
    "OIDC_ISSUER": "https://login.microsoftonline.com/11111111-1111-4111-8111-111111111111/v2.0",
    "OIDC_CLIENT_ID": "client",
    "OIDC_CLIENT_SECRET": "secret",
    "OIDC_ALLOWED_TENANTS": [TENANT],
}


@pytest.fixture()
def sso_settings(app, monkeypatch):
    """Single sign-on set up (the provider is never contacted by these tests)."""
    for key, value in SSO.items():
        monkeypatch.setitem(app.config, key, value)


def _refusals(db) -> list[dict]:
    query = select(AuditEntry).where(AuditEntry.action == "login.refused").order_by(AuditEntry.id)
    return [entry.changes for entry in db.session.scalars(query)]


def test_the_login_page_has_no_microsoft_button_while_sso_is_off(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Logg inn med Microsoft" not in page
    assert 'name="password"' in page


def test_the_login_page_offers_microsoft_and_the_password_form_when_sso_is_on(client, sso_settings):
    page = client.get("/login?next=/portefolje/").get_data(as_text=True)
    assert "Logg inn med Microsoft" in page
    assert 'href="/auth/oidc/login?next=/portefolje/"' in page
    assert 'name="password"' in page


@pytest.mark.parametrize("path", ["/auth/oidc/login", "/auth/oidc/callback?code=x&state=y"])
def test_the_sso_routes_answer_a_norwegian_404_while_sso_is_off(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Innlogging med Microsoft er ikke satt opp" in response.get_data(as_text=True)


def test_an_unreachable_provider_gives_a_norwegian_page(client, db, monkeypatch, sso_settings):
    monkeypatch.setitem(client.application.config, "OIDC_ISSUER", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setitem(client.application.config, "OIDC_TIMEOUT_S", 2)
    response = client.get("/auth/oidc/login")
    assert response.status_code == 503
    assert "Vi får ikke kontakt med Microsoft-innloggingen" in response.get_data(as_text=True)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.failed"))
    assert entry.changes["reason"] == "unavailable"


def test_local_login_off_hides_the_form_and_refuses_a_password(client, db, make_user, monkeypatch, sso_settings):
    make_user("admin", "ada")
    monkeypatch.setitem(client.application.config, "LOCAL_LOGIN", "off")
    page = client.get("/login").get_data(as_text=True)
    assert "Logg inn med Microsoft" in page and 'name="password"' not in page
    response = client.post("/login", data={"username": "ada", "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "Innlogging med passord er slått av" in response.get_data(as_text=True)
    assert client.get("/portefolje/").status_code == 302
    assert _refusals(db) == [{"reason": "local_login_off"}]


def test_local_login_admins_lets_an_admin_in_with_a_password(client, make_user, monkeypatch, sso_settings, login):
    make_user("admin", "ada")
    monkeypatch.setitem(client.application.config, "LOCAL_LOGIN", "admins")
    assert "bare åpen for administratorer" in client.get("/login").get_data(as_text=True)
    assert login("ada").status_code == 302
    assert client.get("/portefolje/").status_code == 200


def test_local_login_admins_refuses_others_as_if_the_password_were_wrong(
    client, db, make_user, monkeypatch, sso_settings, login
):
    make_user("leser", "lars")
    monkeypatch.setitem(client.application.config, "LOCAL_LOGIN", "admins")
    right, wrong = login("lars"), login("lars", "feil-passord-1")
    assert right.status_code == wrong.status_code == 401
    assert "Feil brukernavn eller passord." in right.get_data(as_text=True)
    assert client.get("/portefolje/").status_code == 302
    assert _refusals(db) == [{"reason": "local_login_admins"}]


def test_local_login_admins_counts_towards_the_lock_out(client, make_user, monkeypatch, sso_settings, login):
    make_user("leser", "lars")
    monkeypatch.setitem(client.application.config, "LOCAL_LOGIN", "admins")
    monkeypatch.setitem(client.application.config, "LOGIN_MAX_FAILURES", 3)
    assert [login("lars").status_code for _ in range(4)] == [401, 401, 429, 429]


def test_an_account_without_a_password_cannot_log_in_with_one(client, make_user, db, login):
    user = make_user("leser", "sso", entra_oid=OID)
    user.password_hash = "!sso"
    db.session.commit()
    assert not user.has_password
    assert login("sso", "!sso").status_code == 401


def test_the_change_password_link_is_hidden_for_accounts_without_a_password(client, db, make_user, login):
    user = make_user("leser", "sso")
    login(user)
    assert "Bytt passord" in client.get("/portefolje/").get_data(as_text=True)
    user.password_hash = "!sso"
    db.session.commit()
    assert "Bytt passord" not in client.get("/portefolje/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"LOCAL_LOGIN": "sometimes"}, "LOCAL_LOGIN must be one of"),
        ({"LOCAL_LOGIN": "off"}, "LOCAL_LOGIN=off needs single sign-on"),
        ({**SSO, "OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET"),
        ({**SSO, "OIDC_ALLOWED_TENANTS": []}, "OIDC_ALLOWED_TENANTS"),
        ({**SSO, "OIDC_ALLOWED_TENANTS": ["elverum"]}, "OIDC_ALLOWED_TENANTS"),
        ({**SSO, "OIDC_ROLE_MAP": {"Tracker.Admin": "superuser"}}, "unknown: superuser"),
        ({**SSO, "OIDC_ISSUER": "http://login.example.com/v2.0"}, "https"),
    ],
)
def test_sign_in_settings_that_do_not_fit_stop_the_app_at_start(settings, message):
    config = {"LOCAL_LOGIN": "on", "OIDC_ROLE_MAP": {"Tracker.Admin": "admin"}, **settings}
    with pytest.raises(RuntimeError, match=message):
        check_config(config)
    with pytest.raises(RuntimeError, match=message):
        create_app(TestingConfig, **config)


def test_single_sign_on_only_is_a_valid_setup():
    check_config({**SSO, "LOCAL_LOGIN": "off", "OIDC_ROLE_MAP": {"Tracker.Leser": "leser"}})


def test_an_admin_pre_provisions_an_account_with_its_entra_id(client, db, make_user, login):
    login(make_user("admin"))
    form = {"username": "nina", "role": "leser", "password": "et-langt-passord", "entra_oid": OID.upper()}
    assert client.post("/brukere/ny", data=form).status_code == 302
    user = db.session.scalar(select(User).where(User.username == "nina"))
    assert (user.entra_oid, user.entra_tid) == (OID, None)


def test_the_entra_id_must_be_a_guid_and_belong_to_one_user(client, make_user, login):
    login(make_user("admin"))
    make_user("leser", "tatt", entra_oid=OID)
    for oid, message in (("ikke-en-guid", "GUID"), (OID, "allerede knyttet til brukeren «tatt»")):
        form = {"username": "nina", "role": "leser", "password": "et-langt-passord", "entra_oid": oid}
        response = client.post("/brukere/ny", data=form)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_changing_the_entra_id_unlinks_the_tenant_and_is_audited(client, db, make_user, login):
    login(make_user("admin"))
    user = make_user("leser", "kari", entra_oid=OID, entra_tid=TENANT)
    form = {"full_name": "Kari", "role": "leser", "is_enabled": "y", "entra_oid": ""}
    assert client.post(f"/brukere/{user.id}", data=form).status_code == 302
    db.session.refresh(user)
    assert (user.entra_oid, user.entra_tid) == (None, None)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.update")).one()
    assert entry.changes["entra_oid"] == {"old": OID, "new": None}
    assert entry.changes["entra_tid"] == {"old": TENANT, "new": None}


def test_saving_the_user_form_unchanged_keeps_the_link(client, db, make_user, login):
    login(make_user("admin"))
    user = make_user("leser", "kari", entra_oid=OID, entra_tid=TENANT)
    page = client.get(f"/brukere/{user.id}").get_data(as_text=True)
    assert f'value="{OID}"' in page and f"tenant {TENANT}" in page
    form = {"full_name": "Kari", "role": "leser", "is_enabled": "y", "entra_oid": OID}
    assert client.post(f"/brukere/{user.id}", data=form).status_code == 302
    db.session.refresh(user)
    assert (user.entra_oid, user.entra_tid) == (OID, TENANT)


@pytest.mark.parametrize(
    ("issuer", "metadata_issuer", "token", "is_accepted"),
    [
        (SSO["OIDC_ISSUER"], SSO["OIDC_ISSUER"], {"iss": SSO["OIDC_ISSUER"], "tid": TENANT}, True),
        (SSO["OIDC_ISSUER"], SSO["OIDC_ISSUER"], {"iss": "https://evil.example/v2.0", "tid": TENANT}, False),
        # Entra's multi-tenant ("organizations") metadata: each token's issuer names its own tenant.
        (
            "https://login.microsoftonline.com/organizations/v2.0",
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            {"iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "tid": TENANT},
            True,
        ),
        (
            "https://login.microsoftonline.com/organizations/v2.0",
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            {"iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "tid": OID},
            False,
        ),
    ],
)
def test_the_id_token_issuer_must_be_the_configured_one(issuer, metadata_issuer, token, is_accepted):
    settings = settings_from_config({**SSO, "OIDC_ISSUER": issuer, "OIDC_ROLE_MAP": {"Tracker.Leser": "leser"}})
    options = claims_options(settings, {"issuer": metadata_issuer})
    assert options["aud"] == {"essential": True, "value": "client"}
    assert options["iss"]["validate"](token, token["iss"]) is is_accepted
