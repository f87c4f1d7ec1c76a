"""Building, archiving, exactly-once scheduling, the outbox and the report CLI."""

import json
import os
import subprocess
import sys
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers import ROOT
from tracker.accounts.permissions import SYSTEM
from tracker.database import utcnow
from tracker.periods import Quarter
from tracker.reports import claims, jobs, services
from tracker.reports.models import MAIL_PENDING, MAIL_SENT, OutboxMail, Report, ReportRecipient, ReportRun
from tracker.reports.snapshot import ReportSnapshot

Q3 = Quarter(2026, 3)
DUE_Q3 = date(2026, 10, 14)


def reports_by_key(db) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(Report.period, Report.audience, func.count()).group_by(Report.period, Report.audience)
    )
    return {(period, audience): count for period, audience, count in rows}


def add_recipients(db, audience: str, *emails: str) -> None:
    for email in emails:
        db.session.add(ReportRecipient(audience=audience, name=email.split("@")[0], email=email))
    db.session.commit()


@pytest.fixture()
def programme(make_measure):
    """Two adopted measures of group 1; 1.1 has a milestone that falls due in 2026-Q3."""
    make_measure(
        "1.1",
        plan={2026: 300_000, 2027: 600_000},
        status="vedtatt",
        milestones=[{"what": "Oppstart", "due_date": "2026-07-31"}],
    )
    return make_measure("1.2", plan={2026: 2_500_000, 2027: 7_100_000}, status="vedtatt").programme


def test_a_rebuild_is_a_new_version_and_old_versions_are_kept(programme, db):
    first = services.build_report(programme, Q3, "politikere", SYSTEM)
    db.session.commit()
    second = services.build_report(programme, Q3, "politikere", SYSTEM)
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    assert reports_by_key(db) == {("2026-Q3", "politikere"): 2}
    assert second.pdf_bytes.startswith(b"%PDF")
    snapshot = ReportSnapshot.from_json(second.snapshot_json)
    assert snapshot.period == "2026-Q3" and [m.code for m in snapshot.measures] == ["1.1", "1.2"]


def test_changes_since_last_report_compare_with_the_previous_quarters_snapshot(programme, db, measure_by_code):
    services.build_report(programme, Quarter(2026, 2), "politikere", SYSTEM)
    db.session.commit()
    measure = measure_by_code("1.2")
    measure.status = "under gjennomføring"
    db.session.commit()
    snapshot = ReportSnapshot.from_json(services.build_report(programme, Q3, "politikere", SYSTEM).snapshot_json)
    assert snapshot.previous_period == "2026-Q2"
    rows = [(c.code, c.what, c.old, c.new) for c in snapshot.changes]
    assert ("1.2", "Status", "Vedtatt", "Under gjennomføring") in rows
    # Everything else that changed between the two quarter ends is milestones falling due.
    others = [row for row in rows if row[1] != "Status"]
    assert others and all(row[1].startswith("Milepæl") and row[2:] == ("Planlagt", "Forsinket") for row in others)
    assert [row[0] for row in others] == ["1.1"]


def test_generate_due_builds_each_due_report_once(programme, db):
    built, _ = jobs.generate_due(DUE_Q3)
    assert len(built) == 2
    assert jobs.generate_due(DUE_Q3)[0] == []
    assert jobs.generate_due(DUE_Q3 + timedelta(days=30))[0] == []
    assert reports_by_key(db) == {("2026-Q3", "politikere"): 1, ("2026-Q3", "amu"): 1}
    assert {r.trigger for r in db.session.scalars(select(Report))} == {"schedule"}


def test_the_day_before_q3_is_due_a_first_run_builds_only_q2(programme, db):
    jobs.generate_due(DUE_Q3 - timedelta(days=1), send=False)
    assert reports_by_key(db) == {("2026-Q2", "politikere"): 1, ("2026-Q2", "amu"): 1}
    assert jobs.generate_due(DUE_Q3 - timedelta(days=1), send=False)[0] == []


def test_two_concurrent_generate_due_runs_build_each_report_once(programme, app, db):
    barrier = threading.Barrier(2)
    errors = []

    def run():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                jobs.generate_due(DUE_Q3, send=False)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert reports_by_key(db) == {("2026-Q3", "politikere"): 1, ("2026-Q3", "amu"): 1}


def test_two_generate_due_processes_build_each_report_once(programme, db, database_url):
    env = dict(os.environ, TRACKER_ENV="testing", TEST_DATABASE_URL=database_url)
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "reports", "generate-due", "--as-of", "2026-10-14"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    db.session.expire_all()
    assert reports_by_key(db) == {("2026-Q3", "politikere"): 1, ("2026-Q3", "amu"): 1}


def test_a_stale_building_claim_is_retaken_once(programme, db):
    db.session.add(ReportRun(period="2026-Q3", audience="amu", claimed_dt=utcnow() - timedelta(hours=2)))
    db.session.add(ReportRun(period="2026-Q3", audience="politikere", claimed_dt=utcnow()))
    db.session.commit()
    built, _ = jobs.generate_due(DUE_Q3, send=False)
    assert len(built) == 1
    assert reports_by_key(db) == {("2026-Q3", "amu"): 1}
    run = db.session.scalar(select(ReportRun).where(ReportRun.audience == "amu"))
    assert (run.state, run.attempts, run.report_id) == ("built", 2, built[0])
    assert jobs.generate_due(DUE_Q3, send=False)[0] == []


def test_a_crash_between_building_and_sending_mails_each_recipient_exactly_once(
    programme, db, smtp_server, monkeypatch
):
    add_recipients(db, "politikere", "ordforer@example.no", "formannskap@example.no")
    add_recipients(db, "amu", "amu@example.no")

    def crash():
        raise SystemExit("killed after the build was committed")

    monkeypatch.setattr(jobs, "send_pending", crash)
    with pytest.raises(SystemExit):
        jobs.generate_due(DUE_Q3)
    db.session.remove()
    assert len(smtp_server.messages) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.state == MAIL_PENDING)) == 3

    monkeypatch.undo()
    built, sent = jobs.generate_due(DUE_Q3)
    assert (built, sent) == ([], 3)
    assert jobs.generate_due(DUE_Q3) == ([], 0)
    received = sorted(rcpt for message in smtp_server.messages for rcpt in message["to"])
    assert received == ["amu@example.no", "formannskap@example.no", "ordforer@example.no"]
    message = smtp_server.messages[0]["message"]
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert attachments[0].endswith(".pdf") and attachments[1].endswith(".html")
    stored = {mail.message_id for mail in db.session.scalars(select(OutboxMail))}
    assert {m["message"]["Message-ID"] for m in smtp_server.messages} == stored
    assert all(mail.state == MAIL_SENT for mail in db.session.scalars(select(OutboxMail)))


def test_a_failed_smtp_delivery_stays_pending_and_is_retried(programme, db, smtp_server, app):
    add_recipients(db, "amu", "amu@example.no")
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    try:
        assert jobs.generate_due(DUE_Q3)[1] == 0
    finally:
        app.config["MAIL_PORT"] = port
    mail = db.session.scalar(select(OutboxMail))
    assert (mail.state, mail.attempts) == (MAIL_PENDING, 1) and mail.last_error
    assert jobs.send_pending() == 1
    assert len(smtp_server.messages) == 1


def test_cli_build_writes_pdf_and_html_to_files(programme, runner, tmp_path):
    target = tmp_path / "rapport.pdf"
    result = runner.invoke(
        args=["reports", "build", "--period", "2026-Q3", "--audience", "amu", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    assert "Arbeidsmiljøutvalget" in target.with_suffix(".html").read_text(encoding="utf-8")


def test_cli_rejects_a_bad_period(programme, runner, tmp_path):
    result = runner.invoke(
        args=["reports", "build", "--period", "2026-Q5", "--audience", "amu", "--output", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code != 0
    assert "kvartal" in result.output


def test_cli_list_json_lists_the_archive(programme, db, runner):
    jobs.generate_due(DUE_Q3, send=False)
    services.build_report(programme, Q3, "amu", SYSTEM)
    db.session.commit()
    result = runner.invoke(args=["reports", "list", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    keys = sorted((e["period"], e["audience"], e["version"], e["trigger"]) for e in entries)
    assert keys == [
        ("2026-Q3", "amu", 1, "schedule"),
        ("2026-Q3", "amu", 2, "manual"),
        ("2026-Q3", "politikere", 1, "schedule"),
    ]
    assert all(entry["created_at"] for entry in entries)


def test_cli_generate_due_with_as_of(programme, runner, db):
    result = runner.invoke(args=["reports", "generate-due", "--as-of", "2026-10-14", "--no-send"])
    assert result.exit_code == 0, result.output
    assert "Bygget 2 rapport(er)" in result.output
    assert reports_by_key(db) == {("2026-Q3", "politikere"): 1, ("2026-Q3", "amu"): 1}


def test_on_postgresql_a_held_advisory_lock_means_another_process_is_claiming(programme, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are a PostgreSQL feature")
    from sqlalchemy import text

    key = claims.advisory_key(Q3, "amu")
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            assert claims.claim_run(Q3, "amu", timedelta(minutes=30)) is None
            db.session.rollback()
        finally:
            other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    assert claims.claim_run(Q3, "amu", timedelta(minutes=30)) is not None
    db.session.commit()


def test_losing_the_insert_race_returns_no_claim_and_leaves_the_session_usable(programme, db):
    """The unique constraint is the final guard when two processes both saw no claim."""
    with db.engine.begin() as other:
        other.execute(
            ReportRun.__table__.insert().values(
                period="2026-Q3", audience="amu", trigger="schedule", state="building", claimed_dt=utcnow(), attempts=1
            )
        )
    assert claims.insert_claim(Q3, "amu", utcnow()) is None
    assert claims.insert_claim(Q3, "politikere", utcnow()) is not None
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ReportRun)) == 2
