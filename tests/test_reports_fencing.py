"""Fenced report claims: a build that outlives the stale limit is never built or mailed twice.

Two `generate-due` runs (two app instances, as two processes would be, in two threads) on one
database, the first one's build made slow by a collect step that sleeps past a small stale limit.
On SQLite and, when reachable, PostgreSQL.
"""

import logging
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.helpers import other_writer_is_blocked
from tracker.database import utcnow
from tracker.periods import Quarter
from tracker.reports import claims, jobs, services
from tracker.reports.collect import collect
from tracker.reports.models import MAIL_SENT, OutboxMail, Report, ReportRecipient, ReportRun

DUE_Q3 = date(2026, 10, 14)  # 2026-Q3's reports are due: one for each audience
STALE_MIN = 0.05  # 3 s without a heartbeat makes a claim stale; a live build beats every 0.75 s
SLOW_S = 6.0  # the slow build's collect step: twice the stale limit
RECIPIENTS = {"politikere": ("ordforer@example.no", "formannskap@example.no"), "amu": ("amu@example.no",)}
MAIL_SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_STARTTLS", "MAIL_USE_SSL", "MAIL_USERNAME")


@pytest.fixture()
def programme(make_measure, db):
    make_measure("1.1", plan={2026: 300_000}, milestones=[{"what": "Oppstart", "due_date": "2026-07-31"}])
    for audience, emails in RECIPIENTS.items():
        db.session.add_all(ReportRecipient(audience=audience, name=email, email=email) for email in emails)
    db.session.commit()


class SlowCollect:
    """The report's collect step; the first call made in thread `slow_thread` sleeps `seconds` first."""

    def __init__(self, seconds: float, slow_thread: str = "slow"):
        self.seconds, self.slow_thread = seconds, slow_thread
        self.started = threading.Event()

    def __call__(self, *args, **kwargs):
        if threading.current_thread().name == self.slow_thread and not self.started.is_set():
            self.started.set()
            time.sleep(self.seconds)
        return collect(*args, **kwargs)


@pytest.fixture()
def instances(make_app, app, db):
    """instances(**config) → a new app on the test database (another process), mailing where the test's app does."""
    made = []

    def _make(**config):
        instance = make_app(**{key: app.config[key] for key in MAIL_SETTINGS}, **config)
        made.append(instance)
        return instance

    yield _make
    for instance in made:
        with instance.app_context():
            db.engine.dispose()


def _start(instance, name: str, errors: list) -> threading.Thread:
    def run():
        with instance.app_context():
            try:
                jobs.generate_due(DUE_Q3)
            except Exception as exc:  # noqa: BLE001 - asserted by the test
                errors.append(exc)
            finally:
                instance.extensions["sqlalchemy"].session.remove()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def _race(instances, monkeypatch, slow_config: dict, fast_config: dict) -> list:
    """Run generate-due in a slow instance, then, past the stale limit, in a fast one; the errors."""
    slow = SlowCollect(SLOW_S)
    monkeypatch.setattr(services, "collect", slow)
    errors: list = []
    first = _start(instances(**slow_config), "slow", errors)
    assert slow.started.wait(30), "the slow build never started"
    time.sleep(STALE_MIN * 60 * 1.5)  # past the stale limit: only a heartbeat can keep the claim
    second = _start(instances(**fast_config), "fast", errors)
    second.join(120)
    first.join(120)
    return errors


def _assert_built_and_mailed_once(db, smtp_server) -> None:
    db.session.expire_all()
    counts = db.session.execute(
        select(Report.period, Report.audience, func.count()).group_by(Report.period, Report.audience)
    )
    assert sorted(counts) == [("2026-Q3", "amu", 1), ("2026-Q3", "politikere", 1)]
    received = sorted(rcpt for message in smtp_server.messages for rcpt in message["to"])
    assert received == sorted(email for emails in RECIPIENTS.values() for email in emails)
    assert all(mail.state == MAIL_SENT for mail in db.session.scalars(select(OutboxMail)))
    runs = db.session.scalars(select(ReportRun)).all()
    assert {(run.state, run.error) for run in runs} == {("built", None)}
    assert {run.report_id for run in runs} == set(db.session.scalars(select(Report.id)))


def test_a_slow_build_keeps_its_claim_alive_so_the_second_run_leaves_it_alone(
    programme, instances, monkeypatch, db, smtp_server, caplog
):
    errors = _race(instances, monkeypatch, {"REPORT_CLAIM_STALE_MIN": STALE_MIN}, {"REPORT_CLAIM_STALE_MIN": STALE_MIN})
    assert errors == []
    _assert_built_and_mailed_once(db, smtp_server)
    # Nobody took a claim over: every run was built on its first attempt.
    assert {run.attempts for run in db.session.scalars(select(ReportRun))} == {1}
    assert "lost its claim" not in caplog.text


def test_a_build_that_lost_its_claim_is_discarded_neither_stored_nor_mailed(
    programme, instances, monkeypatch, db, smtp_server, caplog
):
    """The slow process beats too seldom (its own stale limit is 10 min), as a frozen process would:
    the second takes its claim over, builds and mails; the first's finished build is thrown away."""
    caplog.set_level(logging.WARNING, logger="tracker.reports.jobs")
    errors = _race(instances, monkeypatch, {"REPORT_CLAIM_STALE_MIN": 10}, {"REPORT_CLAIM_STALE_MIN": STALE_MIN})
    assert errors == []
    _assert_built_and_mailed_once(db, smtp_server)
    taken_over = db.session.scalars(select(ReportRun).where(ReportRun.attempts == 2)).all()
    assert len(taken_over) == 1
    assert f"report for {taken_over[0].period} lost its claim (attempt 1)" in caplog.text


def test_a_build_past_its_limit_fails_visibly_and_is_retried(
    programme, app, db, monkeypatch, caplog, client, make_user, login
):
    monkeypatch.setitem(app.config, "REPORT_CLAIM_STALE_MIN", STALE_MIN)
    # 3 s: far beyond a normal build (the other audience's must pass), far below the slow one's 6 s.
    monkeypatch.setitem(app.config, "REPORT_BUILD_LIMIT_MIN", 0.05)
    monkeypatch.setattr(services, "collect", SlowCollect(SLOW_S, slow_thread=threading.current_thread().name))
    caplog.set_level(logging.ERROR, logger="tracker.reports.jobs")

    built, _ = jobs.generate_due(DUE_Q3, send=False)

    [failed] = db.session.scalars(select(ReportRun).where(ReportRun.state == "failed")).all()
    assert len(built) == 1 and failed.error == "Byggingen tok mer enn 0,05 min og ble avbrutt."
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    assert f"The scheduled {failed.audience} report for 2026-Q3 failed (attempt 1)" in caplog.text
    login(make_user("admin"))
    page = client.get("/rapporter/").get_data(as_text=True)
    assert "Automatisk bygging som feilet" in page and "feilet" in page and failed.error in page

    # Later (its heartbeat long past the stale limit) the next run takes it over and builds it.
    db.session.execute(update(ReportRun).values(heartbeat_dt=utcnow() - timedelta(hours=1)))
    db.session.commit()
    monkeypatch.setattr(services, "collect", collect)
    assert len(jobs.generate_due(DUE_Q3, send=False)[0]) == 1
    db.session.expire_all()
    runs = {(run.state, run.attempts, run.error) for run in db.session.scalars(select(ReportRun))}
    assert runs == {("built", 1, None), ("built", 2, None)}
    assert "Automatisk bygging som feilet" not in client.get("/rapporter/").get_data(as_text=True)


def test_a_build_that_raises_fails_with_the_reason(programme, app, db, monkeypatch):
    def broken(*args, **kwargs):  # noqa: ARG001
        raise RuntimeError("ugyldig tekst")

    monkeypatch.setattr(services, "collect", broken)
    assert jobs.generate_due(DUE_Q3, send=False)[0] == []
    errors = set(db.session.scalars(select(ReportRun.error)))
    assert errors == {"Byggingen feilet: RuntimeError: ugyldig tekst"}
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_only_the_current_token_may_beat_finish_or_fail_a_claim(programme, db):
    run = claims.claim_run(Quarter(2026, 3), "amu", timedelta(minutes=30))
    db.session.commit()
    first = claims.Ticket.of(run)
    later = utcnow() + timedelta(hours=1)
    assert claims.beat(first)
    assert claims.claim_run(Quarter(2026, 3), "amu", timedelta(minutes=30)) is None  # alive: not taken over
    taken = claims.claim_run(Quarter(2026, 3), "amu", timedelta(minutes=30), now_dt=later)
    db.session.commit()
    second = claims.Ticket.of(taken)
    assert (first.token, second.token) == (1, 2)
    assert not claims.beat(first) and not claims.finish_run(first) and not claims.fail_run(first, "x")
    assert claims.finish_run(second)
    db.session.commit()
    assert claims.claim_run(Quarter(2026, 3), "amu", timedelta(0), now_dt=later + timedelta(days=1)) is None


def test_the_schedule_claims_with_the_write_lock_taken_first(programme, app, db, monkeypatch):
    """On SQLite the claim (a read, then an insert or update) is one BEGIN IMMEDIATE transaction."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking")
    seen = []

    def claim_run(period, audience, stale_after, now_dt=None):  # noqa: ARG001
        db.session.scalar(select(ReportRun.id))
        seen.append(other_writer_is_blocked(db))

    monkeypatch.setattr(claims, "claim_run", claim_run)
    jobs.generate_due(DUE_Q3, send=False)
    assert seen == [True, True]
