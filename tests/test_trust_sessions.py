"""Server-side sessions: log-out, timeouts, disabling and password changes end them; CSRF."""

from datetime import timedelta

from sqlalchemy import func, select

from tracker.accounts import services, sessions
from tracker.accounts.models import UserSession
from tracker.audit.models import AuditEntry
from tracker.database import utcnow

PROTECTED = "/portefolje/"


def _is_sent_to_login(response) -> bool:
    return response.status_code == 401 or (response.status_code == 302 and "/login" in response.location)


def _session_record(db, client) -> UserSession:
    with client.session_transaction() as current:
        token = current[sessions.TOKEN_KEY]
    db.session.expire_all()
    return sessions.find(token)


def test_a_session_cookie_replayed_after_log_out_is_refused(app, client, make_user, login):
    user = make_user("leser", username="kari")
    login(user)
    assert client.get(PROTECTED).status_code == 200
    stolen = client.get_cookie("session").value

    assert client.post("/logout").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert _is_sent_to_login(thief.get(PROTECTED))


def test_log_out_ends_the_session_record_and_is_audited(client, make_user, login, db):
    user = make_user("leser", username="kari")
    login(user)
    record = _session_record(db, client)
    client.post("/logout")
    db.session.refresh(record)
    assert record.ended_dt is not None and record.end_reason == sessions.END_LOGOUT
    assert db.session.scalar(select(AuditEntry.username).where(AuditEntry.action == "logout")) == "kari"


def test_an_idle_session_expires(client, make_user, login, db):
    user = make_user("leser", username="kari")
    login(user)
    record = _session_record(db, client)
    record.last_seen_dt = utcnow() - timedelta(minutes=61)  # SESSION_IDLE_TIMEOUT_MIN is 60
    db.session.commit()

    response = client.get(PROTECTED)

    assert _is_sent_to_login(response)
    db.session.refresh(record)
    assert record.end_reason == sessions.END_IDLE
    assert "Økten din er utløpt" in client.get("/login").get_data(as_text=True)


def test_a_session_in_use_still_ends_at_the_absolute_timeout(client, make_user, login, db):
    user = make_user("leser", username="kari")
    login(user)
    record = _session_record(db, client)
    record.created_dt = utcnow() - timedelta(hours=12, minutes=1)  # SESSION_ABSOLUTE_TIMEOUT_MIN is 720
    record.last_seen_dt = utcnow()
    db.session.commit()

    assert _is_sent_to_login(client.get(PROTECTED))
    db.session.refresh(record)
    assert record.end_reason == sessions.END_ABSOLUTE


def test_use_moves_last_seen_forward(client, make_user, login, db):
    user = make_user("leser", username="kari")
    login(user)
    record = _session_record(db, client)
    earlier = utcnow() - timedelta(minutes=30)
    record.last_seen_dt = earlier
    db.session.commit()

    assert client.get(PROTECTED).status_code == 200

    db.session.refresh(record)
    assert record.last_seen_dt > earlier + timedelta(minutes=29)


def test_disabling_a_user_ends_all_their_sessions(app, make_user, login, db):
    admin = make_user("admin", username="sjef")
    user = make_user("leser", username="kari")
    laptop, phone = app.test_client(), app.test_client()
    login(user, using=laptop)
    login(user, using=phone)

    services.update_user(user, admin, role=user.role, full_name="Kari", email=None, is_enabled=False)
    db.session.commit()

    assert _is_sent_to_login(laptop.get(PROTECTED))
    assert _is_sent_to_login(phone.get(PROTECTED))
    reasons = set(db.session.scalars(select(UserSession.end_reason).where(UserSession.user_id == user.id)))
    assert reasons == {sessions.END_DISABLED}


def test_a_password_change_by_an_admin_ends_all_sessions_of_the_user(app, make_user, login, db):
    admin = make_user("admin", username="sjef")
    user = make_user("leser", username="kari")
    other = app.test_client()
    login(user, using=other)

    services.set_password(user, "nytt-passord-fra-admin", actor=admin)
    db.session.commit()

    assert _is_sent_to_login(other.get(PROTECTED))


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(app, client, make_user, login):
    user = make_user("leser", username="kari")
    other = app.test_client()
    login(user)
    login(user, using=other)

    response = client.post(
        "/konto/passord",
        data={
            "current_password": "riktig-passord-123",
            "new_password": "et-nytt-langt-passord",
            "confirm_password": "et-nytt-langt-passord",
        },
    )

    assert response.status_code == 302
    assert client.get(PROTECTED).status_code == 200
    assert _is_sent_to_login(other.get(PROTECTED))


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user, login):
    make_user("leser", username="kari")
    response = login("kari")
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_sends_cookies_only_over_https(monkeypatch):
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True
    assert ProductionConfig.HSTS_ENABLED is True


def test_log_in_without_a_csrf_token_is_refused_with_the_username_kept(csrf_app, make_user):
    make_user("leser", username="kari")
    response = csrf_app.test_client().post("/login", data={"username": "kari", "password": "riktig-passord-123"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Skjemaet var utløpt eller manglet sikkerhetsnøkkel" in page
    assert 'value="kari"' in page
    assert "riktig-passord-123" not in page


def test_log_in_with_a_valid_csrf_token_works(csrf_app, make_user):
    make_user("leser", username="kari")
    browser = csrf_app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = browser.post("/login", data={"username": "kari", "password": "riktig-passord-123", "csrf_token": token})
    assert response.status_code == 302


def test_an_expired_token_on_another_form_offers_to_resend_what_was_typed(csrf_app, make_user):
    make_user("leser", username="kari")
    browser = csrf_app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    browser.post("/login", data={"username": "kari", "password": "riktig-passord-123", "csrf_token": token})

    response = browser.post(
        "/konto/passord",
        data={"csrf_token": "utløpt", "current_password": "riktig-passord-123", "note": "Min tekst"},
        headers={"Origin": "http://localhost"},
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Skjemaet må sendes på nytt" in page
    assert 'name="note" value="Min tekst"' in page
    assert "Send på nytt" in page
    assert "riktig-passord-123" not in page


def test_a_forged_post_from_another_site_is_not_offered_for_resending(csrf_app):
    response = csrf_app.test_client().post(
        "/logout", data={"note": "fra angriper"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 400
    assert "Send på nytt" not in response.get_data(as_text=True)


def test_every_state_changing_route_requires_a_csrf_token(csrf_app):
    """No route that changes data may be exempt from CSRF protection."""
    browser = csrf_app.test_client()
    adapter = csrf_app.url_map.bind("localhost")
    checked = 0
    for rule in csrf_app.url_map.iter_rules():
        for method in (rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}:
            url = adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, 1), method=method)
            response = browser.open(url, method=method, data={"x": "1"})
            assert response.status_code == 400, f"{method} {rule.rule} answered {response.status_code}"
            assert "sikkerhetsnøkkel" in response.get_data(as_text=True), f"{method} {rule.rule}"
            checked += 1
    assert checked >= 3


def test_prune_sessions_deletes_only_old_records(runner, client, make_user, login, db):
    from tracker.accounts.models import LoginAttempt

    user = make_user("leser", username="kari")
    login(user, password="feil-passord")
    login(user)
    old = utcnow() - timedelta(days=100)
    db.session.add(UserSession(token_hash="0" * 64, user_id=user.id, created_dt=old, last_seen_dt=old, ended_dt=old))
    db.session.add(LoginAttempt(username="kari", outcome="failure", at_dt=old))
    db.session.commit()

    result = runner.invoke(args=["users", "prune-sessions", "--days", "90"])

    assert result.exit_code == 0, result.output
    assert "Slettet 1 gamle økter og 1 gamle innloggingsforsøk" in result.output
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 2


def test_logging_in_again_in_the_same_browser_ends_the_previous_session(client, make_user, login, db):
    make_user("leser", username="kari")
    make_user("leser", username="per")
    login("kari")
    first = _session_record(db, client)
    login("per")
    db.session.refresh(first)
    assert first.end_reason == sessions.END_REPLACED


def test_a_form_sent_after_the_session_expired_shows_what_was_typed(client, make_user, login, db):
    user = make_user("leser", username="kari")
    login(user)
    record = _session_record(db, client)
    record.last_seen_dt = utcnow() - timedelta(minutes=61)
    db.session.commit()

    response = client.post("/konto/passord", data={"current_password": "hemmelig-1234", "note": "Lang tekst jeg skrev"})

    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Økten din var utløpt, så ingenting ble lagret" in page
    assert "Lang tekst jeg skrev" in page
    assert "hemmelig-1234" not in page
    assert 'href="/login"' in page


def test_logging_out_twice_just_leads_to_the_login_page(client, make_user, login):
    make_user("leser", username="kari")
    login("kari")
    client.post("/logout")
    response = client.post("/logout", data={"csrf_token": "x"})
    assert response.status_code == 302 and "/login" in response.location
