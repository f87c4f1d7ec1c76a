"""The scheduled jobs, as data. Each is a plain function named by its import path.

`pass_today`: the function takes today's Europe/Oslo date as its first argument.
`pass_actor`: the function takes the acting user next; the scheduler passes SYSTEM.
`at_start`: also run once when the scheduler starts, so a scheduler that was down catches up.
Every job is idempotent (its own unique rows guard against doing anything twice).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Job:
    name: str
    function: str
    trigger: str  # "cron" or "interval", with APScheduler's arguments in trigger_args
    trigger_args: dict = field(default_factory=dict)
    pass_today: bool = False
    pass_actor: bool = False
    at_start: bool = False


JOBS: tuple[Job, ...] = (
    Job(
        name="generate_due",
        function="tracker.reports.jobs.generate_due",
        trigger="cron",
        trigger_args={"hour": 6, "minute": 0},
        pass_today=True,
        at_start=True,
    ),
    Job(
        name="send_report_outbox",
        function="tracker.reports.jobs.send_pending",
        trigger="interval",
        trigger_args={"minutes": 15},
    ),
    Job(
        name="send_due_reminders",
        function="tracker.updates.services.send_due_reminders",
        trigger="cron",
        trigger_args={"hour": 7, "minute": 0},
        pass_today=True,
        pass_actor=True,
    ),
)
