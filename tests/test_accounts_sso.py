"""Signing in with Microsoft Entra ID, against a real OpenID provider running on this machine.

The provider is the npm package oidc-provider (tests/oidc/provider.js); its ID tokens carry the
claims Entra ID sends. The tracker is driven with the Flask test client, the provider's sign-in
and consent pages over HTTP (tests/oidc/runner.py); the tracker talks to the provider itself.
"""

import base64
import json

import pytest
from authlib.integrations.requests_client import OAuth2Session
from sqlalchemy import select

from tests.oidc.runner import TEST_CLIENT_CALLBACK, claims
from tracker.accounts.models import User, UserSession
from tracker.audit.models import AuditEntry

KARI = claims("kari")


def _start(client, path: str = "/auth/oidc/login") -> str:
    response = client.get(path)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _callback_url(client, provider, login: str, path: str = "/auth/oidc/login") -> str:
    """Start at the tracker, sign in and consent at the provider: the URL it sends the browser back to."""
    return provider.sign_in(_start(client, path), login, TEST_CLIENT_CALLBACK)


def _sign_in(client, provider, login: str, path: str = "/auth/oidc/login"):
    return client.get(_callback_url(client, provider, login, path))


def _user(db, login: str) -> User | None:
    return db.session.scalar(select(User).where(User.entra_oid == claims(login)["oid"]))


def _entries(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _is_logged_in(client) -> bool:
    return client.get("/portefolje/").status_code == 200


def test_the_redirect_to_the_provider_uses_pkce_state_and_nonce(client, oidc_provider):
    location = _start(client)
    assert location.startswith(f"{oidc_provider.issuer}/auth?")
    for part in ("response_type=code", "code_challenge_method=S256", "code_challenge=", "state=", "nonce="):
        assert part in location
    assert "scope=openid+profile+email" in location
    assert "redirect_uri=http%3A%2F%2Flocalhost%2Fauth%2Foidc%2Fcallback" in location


def test_first_sign_in_creates_the_user_with_name_email_and_the_role_from_the_token(client, db, oidc_provider):
    response = _sign_in(client, oidc_provider, "kari")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = _user(db, "kari")
    assert (user.username, user.full_name, user.email, user.role) == (
        "kari.nordmann@elverum.test",
        "Kari Nordmann",
        "kari.nordmann@elverum.test",
        "tiltaksansvarlig",
    )
    assert (user.entra_tid, user.entra_oid) == (KARI["tid"], KARI["oid"])
    assert not user.has_password and not user.must_change_password
    assert _is_logged_in(client)
    [created] = _entries(db, "user.create")
    assert created.username == "system" and created.changes["entra_oid"]["new"] == KARI["oid"]
    [login] = _entries(db, "login.success")
    assert (login.username, login.changes) == (user.username, {"method": "oidc"})


def test_the_sign_in_returns_to_the_page_asked_for(client, oidc_provider):
    response = _sign_in(client, oidc_provider, "live", "/auth/oidc/login?next=/portefolje/")
    assert response.headers["Location"] == "/portefolje/"


def test_a_next_page_on_another_site_is_ignored(client, oidc_provider):
    response = _sign_in(client, oidc_provider, "live", "/auth/oidc/login?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_a_second_sign_in_finds_the_same_user_and_updates_the_role_from_the_token(client, db, make_user, oidc_provider):
    user = make_user("leser", "kari", entra_oid=KARI["oid"], entra_tid=KARI["tid"])
    _sign_in(client, oidc_provider, "kari")
    db.session.refresh(user)
    assert user.role == "tiltaksansvarlig"
    assert db.session.scalar(select(User).where(User.username == "kari.nordmann@elverum.test")) is None
    [update] = _entries(db, "user.sso_update")
    assert update.username == "system"
    assert update.changes["role"] == {"old": "leser", "new": "tiltaksansvarlig"}


def test_an_unchanged_role_writes_no_update_entry(client, db, oidc_provider):
    _sign_in(client, oidc_provider, "kari")
    client.post("/logout")
    _sign_in(client, oidc_provider, "kari")
    assert _entries(db, "user.sso_update") == []
    assert len(_entries(db, "login.success")) == 2


def test_the_role_with_most_rights_among_the_app_roles_is_used(client, db, oidc_provider):
    _sign_in(client, oidc_provider, "toroller")
    assert _user(db, "toroller").role == "ledergruppe"


def test_an_existing_local_account_is_linked_by_the_verified_email_and_keeps_its_measures(
    client, db, make_user, make_measure, oidc_provider
):
    local = make_user("leser", "kari", email="Kari.Nordmann@elverum.test")
    measure = make_measure("1.1", owner=local)
    _sign_in(client, oidc_provider, "kari")
    linked = _user(db, "kari")
    assert linked.id == local.id and linked.username == "kari"
    assert linked.role == "tiltaksansvarlig"
    db.session.refresh(measure)
    assert measure.owner_id == local.id
    [link] = _entries(db, "user.sso_link")
    assert link.changes["matched_by"] == "email" and link.object_id == local.id


def test_an_unverified_email_does_not_take_over_an_account(client, db, make_user, oidc_provider):
    """The token's e-mail is the local user's, but not verified: a new account is made instead."""
    local = make_user("admin", "ola", email="ola.eier@elverum.test")
    _sign_in(client, oidc_provider, "uverifisert")
    created = _user(db, "uverifisert")
    assert created.id != local.id and created.role == "leser"
    db.session.refresh(local)
    assert local.entra_oid is None and local.role == "admin"


def test_an_account_an_admin_gave_the_oid_is_used_at_the_first_sign_in(client, db, make_user, login, oidc_provider):
    admin = make_user("admin")
    login(admin)
    lise = claims("lise")
    form = {"username": "lise", "full_name": "Lise", "role": "leser", "entra_oid": lise["oid"].upper()}
    assert client.post("/brukere/ny", data=form).status_code == 200  # the one-time password page
    client.post("/logout")
    _sign_in(client, oidc_provider, "lise")
    user = _user(db, "lise")
    assert (user.username, user.role, user.entra_tid) == ("lise", "ledergruppe", lise["tid"])
    assert not user.has_password and not user.must_change_password  # the unused one-time password is retired
    assert [entry.changes["matched_by"] for entry in _entries(db, "user.sso_link")] == ["entra_oid"]


def test_a_disabled_account_is_refused(client, db, make_user, oidc_provider):
    user = make_user("leser", "kari", entra_oid=KARI["oid"], entra_tid=KARI["tid"])
    user.is_enabled = False
    db.session.commit()
    response = _sign_in(client, oidc_provider, "kari")
    assert response.status_code == 403
    assert "deaktivert" in response.get_data(as_text=True)
    assert not _is_logged_in(client)


def test_a_wrong_tenant_is_refused_with_a_norwegian_page_and_audited(client, db, oidc_provider):
    response = _sign_in(client, oidc_provider, "fremmed")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Innloggingen mislyktes" in page and "organisasjon som ikke har tilgang" in page
    assert _user(db, "fremmed") is None
    assert not _is_logged_in(client)
    [refused] = _entries(db, "login.refused")
    assert refused.username == "fremmed@annen.test"
    assert refused.changes == {"method": "oidc", "reason": "wrong_tenant", "entra_tid": claims("fremmed")["tid"]}


def test_a_token_without_a_known_role_is_refused_with_a_norwegian_page_and_audited(client, db, oidc_provider):
    response = _sign_in(client, oidc_provider, "utenrolle")
    assert response.status_code == 403
    assert "Du har ikke fått en rolle i Tiltaksporteføljen" in response.get_data(as_text=True)
    assert _user(db, "utenrolle") is None
    assert not _is_logged_in(client)
    [refused] = _entries(db, "login.refused")
    assert refused.changes == {"method": "oidc", "reason": "no_role", "roles": ["Some.Other.App"]}


def test_a_token_without_a_tenant_is_refused(client, db, oidc_provider):
    response = _sign_in(client, oidc_provider, "utentid")
    assert response.status_code == 403
    assert "manglet tenant eller objekt-ID" in response.get_data(as_text=True)
    assert _user(db, "utentid") is None
    [refused] = _entries(db, "login.refused")
    assert (refused.username, refused.changes) == ("uten.tenant@elverum.test", {"method": "oidc", "reason": "claims"})


def test_two_accounts_with_the_same_address_are_not_guessed_between(client, db, make_user, oidc_provider):
    first = make_user("leser", "kari1", email="kari.nordmann@elverum.test")
    second = make_user("leser", "kari2", email="Kari.Nordmann@elverum.test")
    response = _sign_in(client, oidc_provider, "kari")
    assert response.status_code == 403
    assert "Flere brukere i Tiltaksporteføljen har e-postadressen din" in response.get_data(as_text=True)
    for user in (first, second):
        db.session.refresh(user)
        assert user.entra_oid is None
    assert _entries(db, "login.refused")[0].changes["reason"] == "ambiguous"


def test_a_linked_user_whose_role_was_taken_away_is_refused(client, db, make_user, oidc_provider):
    user = make_user("admin", "uten", entra_oid=claims("utenrolle")["oid"], entra_tid=claims("utenrolle")["tid"])
    assert _sign_in(client, oidc_provider, "utenrolle").status_code == 403
    db.session.refresh(user)
    assert user.role == "admin" and user.last_login_dt is None


def _failures(db) -> list[str]:
    return [entry.changes["reason"] for entry in _entries(db, "login.failed")]


def test_a_replayed_callback_is_refused(client, db, oidc_provider):
    """The state works once: the same answer from the provider a second time logs nobody in."""
    callback = _callback_url(client, oidc_provider, "kari")
    assert client.get(callback).status_code == 302
    client.post("/logout")
    response = client.get(callback)
    assert response.status_code == 400
    assert "er brukt før" in response.get_data(as_text=True)
    assert not _is_logged_in(client)
    assert _failures(db) == ["state"]


def test_a_replay_with_the_old_cookie_is_refused_by_the_provider(app, client, db, oidc_provider):
    """Someone who kept the cookie from before the callback still cannot use the code twice."""
    callback = _callback_url(client, oidc_provider, "kari")
    old_cookie = client.get_cookie("session").value
    assert client.get(callback).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", old_cookie)
    assert thief.get(callback).status_code == 400
    assert not _is_logged_in(thief)
    assert _failures(db) == ["provider"]


def test_a_state_from_another_browser_is_refused(app, client, db, oidc_provider):
    callback = _callback_url(client, oidc_provider, "kari")
    other = app.test_client()
    assert other.get(callback).status_code == 400
    assert not _is_logged_in(other)
    assert _failures(db) == ["state"]


def test_an_answer_without_state_is_refused(client, db, oidc_provider):
    callback = _callback_url(client, oidc_provider, "kari")
    without_state = "&".join(part for part in callback.split("&") if not part.startswith("state="))
    assert client.get(without_state).status_code == 400
    assert _failures(db) == ["state"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _flip_signature(id_token: str) -> str:
    header, payload, signature = id_token.split(".")
    raw = bytearray(_unb64(signature))
    raw[10] ^= 0x01
    return f"{header}.{payload}.{_b64(bytes(raw))}"


def _make_admin(id_token: str) -> str:
    header, payload, signature = id_token.split(".")
    claims_in_token = json.loads(_unb64(payload))
    claims_in_token["roles"] = ["Tracker.Admin"]
    return f"{header}.{_b64(json.dumps(claims_in_token).encode())}.{signature}"


def _unsigned(id_token: str) -> str:
    _, payload, _ = id_token.split(".")
    return f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{payload}."


@pytest.mark.parametrize("tamper", [_flip_signature, _make_admin, _unsigned], ids=["signature", "claims", "alg-none"])
def test_a_tampered_id_token_is_refused(client, db, monkeypatch, oidc_provider, tamper):
    """The ID token is changed on its way from the provider's token endpoint to the tracker."""
    real_fetch_token = OAuth2Session.fetch_token

    def fetch_token(self, *args, **kwargs):
        token = real_fetch_token(self, *args, **kwargs)
        token["id_token"] = tamper(token["id_token"])
        return token

    monkeypatch.setattr(OAuth2Session, "fetch_token", fetch_token)
    response = _sign_in(client, oidc_provider, "live")
    assert response.status_code == 400
    assert "kunne ikke bekreftes" in response.get_data(as_text=True)
    assert _user(db, "live") is None
    assert not _is_logged_in(client)
    assert _failures(db) == ["token"]


def _change_stored_state(client, name: str, value: str) -> None:
    """Change what Authlib keeps in the session cookie for the sign-in under way (nonce, PKCE verifier)."""
    with client.session_transaction() as session:
        [key] = [key for key in session if key.startswith("_state_entra_")]
        state = session[key]
        state["data"][name] = value
        session[key] = state


def test_an_id_token_with_another_nonce_is_refused(client, db, oidc_provider):
    """The token's nonce must be the one this browser sent: here the stored one is changed."""
    callback = _callback_url(client, oidc_provider, "live")
    _change_stored_state(client, "nonce", "en-annen-nonce")
    response = client.get(callback)
    assert response.status_code == 400
    assert _user(db, "live") is None
    assert _failures(db) == ["token"]


def test_the_code_is_only_exchanged_with_this_browsers_pkce_verifier(client, db, oidc_provider):
    """The provider requires PKCE: a changed verifier makes it refuse the code."""
    callback = _callback_url(client, oidc_provider, "live")
    _change_stored_state(client, "code_verifier", "x" * 48)
    assert client.get(callback).status_code == 400
    assert _user(db, "live") is None
    assert _failures(db) == ["provider"]


def test_the_provider_cancelling_the_sign_in_is_shown_in_norwegian(client, db, oidc_provider):
    response = client.get("/auth/oidc/callback?error=access_denied&error_description=End-User+aborted&state=x")
    assert response.status_code == 400
    assert "Microsoft avbrøt innloggingen" in response.get_data(as_text=True)
    assert _failures(db) == ["provider"]


def test_signing_in_again_ends_the_previous_session_of_the_browser(client, db, oidc_provider):
    _sign_in(client, oidc_provider, "kari")
    _sign_in(client, oidc_provider, "kari")
    records = db.session.scalars(select(UserSession).order_by(UserSession.id))
    assert [record.end_reason for record in records] == ["replaced", None]
    assert _is_logged_in(client)
