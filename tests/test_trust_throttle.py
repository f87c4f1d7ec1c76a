"""Log-in throttling that holds: simultaneous attempts, one address spraying many names, and
Argon2 outside the database's write lock. On SQLite and PostgreSQL."""

import sqlite3
import threading
from collections import Counter

from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.accounts import login as login_attempts
from tracker.accounts.models import LoginAttempt
from tracker.database import utcnow

ATTEMPTS = 40


def _at_once(app, requests: list[dict]) -> list[int]:
    """Send every request from its own thread (its own client, as a browser) at the same moment."""
    statuses: list[int] = []
    start = threading.Barrier(len(requests))

    def browser(request: dict) -> None:
        client = FlaskClient(app, app.response_class, use_cookies=True)
        start.wait()
        statuses.append(client.post("/login", **request).status_code)

    threads = [threading.Thread(target=browser, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _outcomes(db) -> Counter:
    db.session.expire_all()
    return Counter(db.session.scalars(select(LoginAttempt.outcome)))


def _wrong_password(username: str, address: str = "127.0.0.1", headers: dict | None = None) -> dict:
    return {
        "data": {"username": username, "password": "feil-passord"},
        "environ_base": {"REMOTE_ADDR": address},
        "headers": headers or {},
    }


def test_forty_simultaneous_wrong_passwords_check_at_most_the_limit(app, make_user, db):
    make_user("leser", username="kari")
    limit = app.config["LOGIN_MAX_FAILURES"]

    statuses = _at_once(app, [_wrong_password("kari", f"10.0.0.{n}") for n in range(ATTEMPTS)])

    assert set(statuses) <= {401, 429} and len(statuses) == ATTEMPTS
    outcomes = _outcomes(db)
    assert outcomes["failure"] == limit  # each one a password Argon2 checked
    assert outcomes["blocked"] == ATTEMPTS - limit


def test_forty_usernames_sprayed_from_one_address_are_throttled_by_the_address(app, make_user, db):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    assert limit < ATTEMPTS

    statuses = _at_once(app, [_wrong_password(f"bruker{n}", "10.9.9.9") for n in range(ATTEMPTS)])

    outcomes = _outcomes(db)
    assert outcomes["failure"] == limit
    assert outcomes["blocked"] == ATTEMPTS - limit
    assert statuses.count(429) >= ATTEMPTS - limit


def test_a_locked_address_refuses_even_the_right_password_but_other_addresses_log_in(app, client, make_user, db):
    make_user("leser", username="kari")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for number in range(limit):
        client.post("/login", **_wrong_password(f"bruker{number}", "10.9.9.9"))
    right = {"username": "kari", "password": "riktig-passord-123"}

    refused = client.post("/login", data=right, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    elsewhere = client.post("/login", data=right, environ_base={"REMOTE_ADDR": "10.1.1.1"})

    assert refused.status_code == 429
    assert "For mange mislykkede innloggingsforsøk fra din adresse" in refused.get_data(as_text=True)
    assert elsewhere.status_code == 302


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_on_its_own(make_app, db):
    proxied = make_app(TRUSTED_PROXY_COUNT=1)
    try:
        requests = [_wrong_password(f"bruker{n}", "10.0.0.1", {"X-Forwarded-For": f"192.0.2.{n}"}) for n in range(40)]
        statuses = _at_once(proxied, requests)
    finally:
        with proxied.app_context():
            db.engine.dispose()
    assert statuses == [401] * ATTEMPTS
    addresses = set(db.session.scalars(select(LoginAttempt.ip_address)))
    assert addresses == {f"192.0.2.{n}" for n in range(ATTEMPTS)}


def test_without_a_trusted_proxy_a_forged_forwarded_header_does_not_escape_the_limit(app, db):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    requests = [_wrong_password(f"bruker{n}", "10.9.9.9", {"X-Forwarded-For": f"192.0.2.{n}"}) for n in range(40)]

    _at_once(app, requests)

    assert _outcomes(db)["failure"] == limit
    assert set(db.session.scalars(select(LoginAttempt.ip_address))) == {"10.9.9.9"}


def test_an_attempt_still_being_checked_counts_as_a_failure(client, make_user, db, login):
    """Nine failures and one attempt whose password is being checked: the next is refused."""
    user = make_user("leser", username="kari")
    for _ in range(9):
        login(user, password="feil-passord")
    db.session.add(LoginAttempt(username="kari", outcome="pending", at_dt=utcnow(), ip_address="10.2.2.2"))
    db.session.commit()

    assert login(user).status_code == 429


def test_argon2_runs_with_no_transaction_open_and_the_write_lock_free(app, client, make_user, db, monkeypatch):
    """The password check holds no lock: other workers can write while Argon2 works."""
    make_user("leser", username="kari")
    seen: list[tuple[bool, bool]] = []
    real_verify = login_attempts.verify_password

    def watching_verify(password_hash: str, password: str) -> bool:
        seen.append((db.session().in_transaction(), _another_writer_can_write(db)))
        return real_verify(password_hash, password)

    monkeypatch.setattr(login_attempts, "verify_password", watching_verify)
    assert client.post("/login", data={"username": "kari", "password": "feil-passord"}).status_code == 401
    assert client.post("/login", data={"username": "ukjent", "password": "feil-passord"}).status_code == 401
    assert client.post("/login", data={"username": "kari", "password": "riktig-passord-123"}).status_code == 302

    assert seen == [(False, True)] * 3


def _another_writer_can_write(db) -> bool:
    """True unless some connection holds the SQLite write lock (always True on PostgreSQL)."""
    if db.engine.dialect.name != "sqlite":
        return True
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()
