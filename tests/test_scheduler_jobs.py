"""The scheduler: jobs as data, Europe/Oslo, one instance, catch-up at start, never in web workers."""

from datetime import date

from sqlalchemy import func, select

from tracker.reports.models import Report
from tracker.scheduler import runner as scheduler_runner
from tracker.scheduler.jobs import JOBS


def test_jobs_are_listed_as_data_and_resolve_to_functions(app):
    names = {job.name: job for job in JOBS}
    assert names["generate_due"].function == "tracker.reports.jobs.generate_due"
    assert names["generate_due"].at_start
    assert names["send_due_reminders"].function == "tracker.updates.services.send_due_reminders"
    for job in JOBS:
        assert callable(scheduler_runner.resolve(job.function))


def test_scheduler_runs_in_oslo_time_coalesced_one_instance_at_a_time(app):
    scheduler = scheduler_runner.build_scheduler(app)  # not started: a BlockingScheduler would block the test
    assert str(scheduler.timezone) == "Europe/Oslo"
    assert scheduler._job_defaults["coalesce"] is True
    assert scheduler._job_defaults["max_instances"] == 1
    jobs = {pending[0].id: pending[0] for pending in scheduler._pending_jobs}
    assert set(jobs) == {job.name for job in JOBS}
    assert "hour='6'" in str(jobs["generate_due"].trigger)
    assert str(jobs["generate_due"].trigger.timezone) == "Europe/Oslo"


def test_creating_the_app_starts_no_scheduler(make_app, monkeypatch):
    started = []
    from apscheduler.schedulers.base import BaseScheduler

    monkeypatch.setattr(BaseScheduler, "start", lambda self, *_args, **_kwargs: started.append(self))
    web_app = make_app()
    web_app.test_client().get("/login")
    assert started == []


def test_a_scheduler_started_after_a_missed_quarter_catches_up_once(make_measure, app, db):
    make_measure()
    # Down from before 2026-Q3's reports fell due until 20.01.2027: Q4 is due too, Q3 was missed.
    result = scheduler_runner.catch_up(app, today=date(2026, 10, 1))
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Report)) == 2  # Q2 on the first start
    result = scheduler_runner.catch_up(app, today=date(2027, 1, 20))
    built, _sent = result["generate_due"]
    assert len(built) == 4
    assert scheduler_runner.catch_up(app, today=date(2027, 1, 20))["generate_due"] == ([], 0)
    periods = sorted(db.session.execute(select(Report.period, Report.audience)).all())
    assert periods == [
        ("2026-Q2", "amu"),
        ("2026-Q2", "politikere"),
        ("2026-Q3", "amu"),
        ("2026-Q3", "politikere"),
        ("2026-Q4", "amu"),
        ("2026-Q4", "politikere"),
    ]


def test_a_failing_job_is_logged_not_raised(app):
    from tracker.scheduler.jobs import Job

    job = Job("broken", "tracker.reports.jobs.no_such_function", "interval", {"minutes": 1})
    assert scheduler_runner.run_job(app, job) is None


def test_scheduler_run_command_catches_up_then_starts_the_scheduler(make_measure, app, db, runner, monkeypatch):
    from apscheduler.schedulers.blocking import BlockingScheduler

    make_measure()
    started = []
    monkeypatch.setattr(scheduler_runner, "today_oslo", lambda: date(2026, 10, 20))
    monkeypatch.setattr(BlockingScheduler, "start", lambda self, *_args, **_kwargs: started.append(self))
    result = runner.invoke(args=["scheduler", "run"])
    assert result.exit_code == 0, result.output
    assert len(started) == 1
    periods = sorted(db.session.execute(select(Report.period, Report.audience)).all())
    assert periods == [("2026-Q3", "amu"), ("2026-Q3", "politikere")]
