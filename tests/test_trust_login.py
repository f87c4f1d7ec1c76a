"""Log-in: lock-out after repeated failures (counted in the database), session fixation, audit."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.accounts import sessions
from tracker.accounts.models import LoginAttempt
from tracker.accounts.throttle import locked_until
from tracker.audit.models import AuditEntry

T0 = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


def _minutes(*offsets: float) -> list[datetime]:
    return [T0 + timedelta(minutes=offset) for offset in offsets]


@pytest.mark.parametrize(
    ("failures", "now", "expected"),
    [
        # Nine failures are allowed.
        (_minutes(*range(9)), T0 + timedelta(minutes=9), None),
        # The tenth within 15 minutes locks until 15 minutes after it.
        (_minutes(*range(10)), T0 + timedelta(minutes=10), T0 + timedelta(minutes=24)),
        # Still locked one minute before the end, open exactly at the end.
        (_minutes(*range(10)), T0 + timedelta(minutes=23), T0 + timedelta(minutes=24)),
        (_minutes(*range(10)), T0 + timedelta(minutes=24), None),
        # Ten failures spread over more than 15 minutes do not lock.
        (_minutes(*[i * 2 for i in range(10)]), T0 + timedelta(minutes=19), None),
        # Ten within exactly 15 minutes do.
        (_minutes(0, 1, 2, 3, 4, 5, 6, 7, 8, 15), T0 + timedelta(minutes=16), T0 + timedelta(minutes=30)),
        # Order of the input does not matter.
        (list(reversed(_minutes(*range(10)))), T0 + timedelta(minutes=10), T0 + timedelta(minutes=24)),
    ],
)
def test_lockout_rule(failures, now, expected):
    assert locked_until(failures, now, 10, WINDOW, LOCKOUT) == expected


def _fail(client, username: str, times: int) -> None:
    for _ in range(times):
        assert client.post("/login", data={"username": username, "password": "feil-passord"}).status_code in (401, 429)


def test_ten_failures_lock_the_username_even_for_the_right_password(client, make_user, login):
    user = make_user("leser", username="kari")
    _fail(client, "kari", 10)

    response = login(user)

    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "For mange mislykkede innloggingsforsøk" in page
    assert "også med riktig passord" in page
    assert "sperret i 15 minutter" in page


def test_nine_failures_still_let_the_right_password_in(client, make_user, login):
    user = make_user("leser", username="kari")
    _fail(client, "kari", 9)
    assert login(user).status_code == 302


def test_lockout_is_counted_in_the_database_across_two_app_instances(make_app, make_user, db):
    """Two workers (two create_app calls) on one database share the failure count."""
    user = make_user("leser", username="kari")
    first, second = make_app(), make_app()
    try:
        _fail(first.test_client(), "kari", 5)
        _fail(second.test_client(), "KARI", 5)  # usernames are counted regardless of case

        response = first.test_client().post(
            "/login", data={"username": user.username, "password": "riktig-passord-123"}
        )

        assert response.status_code == 429
        assert db.session.scalar(select(LoginAttempt.outcome).order_by(LoginAttempt.id.desc()).limit(1)) == "blocked"
    finally:
        for other in (first, second):
            with other.app_context():
                db.engine.dispose()


def test_lockout_ends_after_the_lockout_minutes(client, make_user, login, db):
    user = make_user("leser", username="kari")
    _fail(client, "kari", 10)
    assert login(user).status_code == 429

    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.at_dt = attempt.at_dt - timedelta(minutes=16)
    db.session.commit()

    assert login(user).status_code == 302


def test_refused_attempts_during_a_lockout_do_not_extend_it(client, make_user, login, db):
    user = make_user("leser", username="kari")
    _fail(client, "kari", 10)
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.at_dt = attempt.at_dt - timedelta(minutes=14)
    db.session.commit()
    _fail(client, "kari", 3)  # refused while locked: recorded as "blocked", not as failures

    for attempt in db.session.scalars(select(LoginAttempt).where(LoginAttempt.outcome == "failure")):
        attempt.at_dt = attempt.at_dt - timedelta(minutes=2)
    db.session.commit()

    assert login(user).status_code == 302


def test_unknown_usernames_are_throttled_too(client):
    _fail(client, "finnes-ikke", 10)
    response = client.post("/login", data={"username": "finnes-ikke", "password": "x"})
    assert response.status_code == 429


def test_successful_failed_and_blocked_logins_are_audited(client, make_user, login, db):
    user = make_user("leser", username="kari")
    login(user, password="feil-passord")
    login(user)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("login.%")).order_by(AuditEntry.id))
    assert [(entry.action, entry.username) for entry in entries] == [
        ("login.failed", "kari"),
        ("login.success", "kari"),
    ]


def test_login_issues_a_fresh_session_and_drops_what_was_there_before(client, make_user, login, db):
    """Session fixation: a planted cookie value or token does not survive the log-in."""
    user = make_user("leser", username="kari")
    with client.session_transaction() as planted:
        planted["planted"] = "fra angriperen"
        planted[sessions.TOKEN_KEY] = "angriperens-token"

    assert login(user).status_code == 302

    with client.session_transaction() as current:
        assert "planted" not in current
        token = current[sessions.TOKEN_KEY]
    assert token != "angriperens-token"
    record = sessions.find(token)
    assert record is not None and record.user_id == user.id and record.ended_dt is None
    assert record.token_hash != token  # only the hash is stored


def test_one_time_password_leads_to_the_change_password_page(client, make_user, login, db):
    user = make_user("admin", username="admin", must_change_password=True)

    response = login(user)
    assert response.status_code == 302 and response.location.endswith("/konto/passord")
    assert client.get("/portefolje/").location.endswith("/konto/passord")

    changed = client.post(
        "/konto/passord",
        data={
            "current_password": "riktig-passord-123",
            "new_password": "et-helt-nytt-passord",
            "confirm_password": "et-helt-nytt-passord",
        },
    )
    assert changed.status_code == 302
    assert client.get("/portefolje/").status_code == 200
    db.session.refresh(user)
    assert user.must_change_password is False
    assert login(user).status_code == 401
    assert login(user, password="et-helt-nytt-passord").status_code == 302


def test_change_password_keeps_the_user_on_the_form_with_field_errors(client, make_user, login):
    user = make_user("leser", username="kari")
    login(user)
    response = client.post(
        "/konto/passord",
        data={
            "current_password": "galt-passord-99",
            "new_password": "nytt-passord-77",
            "confirm_password": "nytt-passord-77",
        },
    )
    assert response.status_code == 400
    assert "Nåværende passord er feil." in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(client, make_user, target):
    make_user("leser", username="kari")
    response = client.post(f"/login?next={target}", data={"username": "kari", "password": "riktig-passord-123"})
    assert response.status_code == 302
    assert response.location == "/"
