"""`flask scheduler …`: run the scheduler process and list its jobs."""

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.scheduler.jobs import JOBS
from tracker.scheduler.runner import run

scheduler_cli = AppGroup("scheduler", help="The process that runs scheduled jobs (run exactly one).")


@scheduler_cli.command("run")
def run_command() -> None:
    """Run the scheduler in the foreground (Europe/Oslo time) until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo("Planleggeren kjører. Stopp med Ctrl+C.")
    try:
        run(current_app._get_current_object())
    except (KeyboardInterrupt, SystemExit):
        click.echo("Planleggeren er stoppet.")


@scheduler_cli.command("jobs")
def jobs_command() -> None:
    """List the scheduled jobs."""
    for job in JOBS:
        when = ", ".join(f"{key}={value}" for key, value in job.trigger_args.items())
        start = " (også ved oppstart)" if job.at_start else ""
        click.echo(f"{job.name}: {job.function} [{job.trigger} {when}]{start}")


COMMANDS = (scheduler_cli,)
