"""Several writers at once: no "database is locked", no lost update, on SQLite and PostgreSQL."""

import sqlite3
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, text

from tests.helpers import other_writer_is_blocked
from tracker.accounts.models import User
from tracker.benefits import queries as benefits_queries
from tracker.benefits import services as benefits_services
from tracker.database_setup import write_transaction
from tracker.extensions import db

THREADS = 8
INCREMENTS = 20


def _bump_epoch(user_id: int) -> None:
    """A read-modify-write the way services do it: read the row (locked on PostgreSQL), change, flush."""
    user = db.session.scalars(select(User).where(User.id == user_id).with_for_update()).one()
    user.session_epoch = user.session_epoch + 1
    db.session.flush()


def _run_in_threads(app, work) -> list[str]:
    errors: list[str] = []
    start = threading.Barrier(THREADS)

    def worker():
        with app.app_context():
            start.wait()
            for _ in range(INCREMENTS):
                try:
                    work()
                except Exception as exc:  # noqa: BLE001 - collected and asserted below
                    db.session.rollback()
                    errors.append(repr(exc))

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_eight_threads_of_read_modify_write_lose_no_increment(app, make_user, db):
    user_id = make_user("leser", username="teller").id
    db.session.commit()  # the test's own session holds nothing while the threads run

    def work():
        with write_transaction():
            _bump_epoch(user_id)
            db.session.commit()

    errors = _run_in_threads(app, work)

    assert errors == []
    db.session.expire_all()
    assert db.session.get(User, user_id).session_epoch == THREADS * INCREMENTS


def test_data_changing_requests_take_the_write_lock_before_reading(app, db, make_user):
    """On SQLite a POST's transaction begins with BEGIN IMMEDIATE; a GET's reads take no lock."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    make_user("leser", username="kari")
    db.session.commit()

    for method, blocks in (("POST", True), ("GET", False)):
        with app.test_request_context("/", method=method), app.app_context():
            db.session.scalar(select(User.id))  # a read opens the transaction
            assert other_writer_is_blocked(db) is blocks, method
            db.session.rollback()


def test_a_cli_write_takes_the_write_lock_before_its_first_read(app, db, runner, monkeypatch):
    """A command marked @writes (`periods close`) begins with BEGIN IMMEDIATE, as a POST does;
    a reading command (`periods list`) takes no lock."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    seen = {}

    def close_quarter(quarter, actor):  # noqa: ARG001
        db.session.scalar(select(User.id))  # the command's first statement is a read
        seen["close"] = other_writer_is_blocked(db)

    def closed_quarters():
        db.session.scalar(select(User.id))
        seen["list"] = other_writer_is_blocked(db)
        return []

    monkeypatch.setattr(benefits_services, "close_quarter", close_quarter)
    monkeypatch.setattr(benefits_queries, "closed_quarters", closed_quarters)
    assert runner.invoke(args=["periods", "close", "2026-Q3"]).exit_code == 0
    assert not other_writer_is_blocked(db)  # the command's write lock ended with the command
    assert runner.invoke(args=["periods", "list"]).exit_code == 0
    assert seen == {"close": True, "list": False}


def test_outside_requests_reads_hold_no_lock_so_other_workers_can_write(app, db, make_user):
    make_user("leser", username="kari")
    db.session.commit()
    db.session.scalar(select(User.id))  # the test's session reads, then another writer commits
    if db.engine.dialect.name == "sqlite":
        with sqlite3.connect(db.engine.url.database, timeout=0) as other:
            other.execute("UPDATE users SET full_name = 'Kari' WHERE username = 'kari'")
    else:
        with db.engine.connect() as other:
            other.execute(text("UPDATE users SET full_name = 'Kari' WHERE username = 'kari'"))
            other.commit()
    assert db.session.scalar(select(User.full_name).where(User.username == "kari")) == "Kari"
    db.session.rollback()


def test_write_transaction_refuses_to_start_inside_an_open_transaction(app, db):
    db.session.scalar(select(User.id))
    with pytest.raises(RuntimeError, match="commit or roll back first"), write_transaction():
        pass
    db.session.rollback()


def test_simultaneous_log_in_attempts_through_http_are_all_counted(app, make_user, db):
    """8 browsers × 5 wrong passwords at once: no error, every attempt stored, lock-out after 10."""
    from tracker.accounts.models import LoginAttempt

    make_user("leser", username="kari")
    db.session.commit()
    statuses: list[int] = []
    start = threading.Barrier(THREADS)

    def browser():
        # A plain client: each request in this thread pushes its own app context, as in a worker.
        client = FlaskClient(app, app.response_class, use_cookies=True)
        start.wait()
        for _ in range(5):
            response = client.post("/login", data={"username": "kari", "password": "feil-passord"})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=browser) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(statuses)) == [401, 429]
    outcomes = list(db.session.scalars(select(LoginAttempt.outcome)))
    assert len(outcomes) == THREADS * 5
    if db.engine.dialect.name == "sqlite":
        # Each POST is one serialised transaction: exactly ten failures, the rest refused.
        assert outcomes.count("failure") == 10
    else:
        assert outcomes.count("failure") >= 10
