"""Building and running the scheduler: a BlockingScheduler in Europe/Oslo time.

`flask --app wsgi scheduler run` is the only thing that starts it; create_app never does, so a
web worker (of which gunicorn runs several) never runs a job.
"""

import logging
from datetime import date
from importlib import import_module

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db
from tracker.periods import OSLO, today_oslo
from tracker.scheduler.jobs import JOBS, Job

log = logging.getLogger(__name__)
MISFIRE_GRACE_S = 6 * 3600


def resolve(path: str):
    """The function at "package.module.function"."""
    module_name, _, attribute = path.rpartition(".")
    return getattr(import_module(module_name), attribute)


def run_job(app: Flask, job: Job, today: date | None = None):
    """Run one job in an app context; a failure is logged and rolled back, never raised."""
    with app.app_context():
        try:
            function = resolve(job.function)
            result = function(*job_arguments(job, today or today_oslo()))
            db.session.commit()
            log.info("Job %s done: %s", job.name, result)
            return result
        except Exception:
            db.session.rollback()
            log.exception("Job %s failed", job.name)
            return None
        finally:
            db.session.remove()


def job_arguments(job: Job, today: date) -> tuple:
    """What the job's function takes: today's date and SYSTEM as the actor, as the job says."""
    return (*((today,) if job.pass_today else ()), *((SYSTEM,) if job.pass_actor else ()))


def catch_up(app: Flask, today: date | None = None, jobs: tuple[Job, ...] = JOBS) -> dict[str, object]:
    """Run the start-up jobs once (e.g. build the reports of a quarter missed while down)."""
    return {job.name: run_job(app, job, today) for job in jobs if job.at_start}


def build_scheduler(app: Flask, jobs: tuple[Job, ...] = JOBS) -> BlockingScheduler:
    """A scheduler with every job; coalesced, one instance at a time, in Europe/Oslo."""
    scheduler = BlockingScheduler(
        timezone=OSLO, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_S}
    )
    for job in jobs:
        scheduler.add_job(run_job, job.trigger, args=(app, job), id=job.name, name=job.name, **job.trigger_args)
    return scheduler


def run(app: Flask) -> None:
    """Catch up, then run the jobs on their schedule until stopped."""
    catch_up(app)
    scheduler = build_scheduler(app)
    for job in scheduler.get_jobs():
        log.info("Scheduled %s: %s", job.name, job.trigger)
    scheduler.start()
