"""Schedule claims: exactly one process builds and mails a (period, audience), fenced by a token.

A process claims the report before building it (a unique row, and an advisory lock on
PostgreSQL), keeps the claim alive with a heartbeat while it builds, and finishes it only while
the row still carries its token: `attempts`, raised by every take-over. Another process takes
over only a claim whose heartbeat is older than the stale limit; the process that lost it can
then neither finish the claim nor store its report or queue its mails, so a slow build is never
built or mailed twice. Every function adds or updates and flushes; tracker.reports.jobs commits.
"""

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Update, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from tracker.database import utcnow
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.reports.models import AUDIENCES, RUN_BUILDING, RUN_BUILT, RUN_FAILED, TRIGGER_SCHEDULE, Report, ReportRun

ADVISORY_LOCK_NAMESPACE = 0x7265_7000_0000_0000  # "rep", keeps our keys apart from others'
ERROR_MAX_CHARS = 2000


@dataclass(frozen=True)
class Ticket:
    """What a process holds after claiming: the run, and the fencing token it claimed with."""

    run_id: int
    token: int
    period: Quarter
    audience: str

    @classmethod
    def of(cls, run: ReportRun) -> "Ticket":
        return cls(run.id, run.attempts, Quarter.parse(run.period), run.audience)


def last_built_by_schedule() -> dict[str, Quarter | None]:
    """Audience → the latest quarter the schedule has built (a claim still building is not built)."""
    rows = db.session.execute(
        select(ReportRun.audience, func.max(ReportRun.period))
        .where(ReportRun.trigger == TRIGGER_SCHEDULE, ReportRun.state == RUN_BUILT)
        .group_by(ReportRun.audience)
    )
    found = {audience: Quarter.parse(period) for audience, period in rows}
    return {audience: found.get(audience) for audience in AUDIENCES}


def advisory_key(period: Quarter, audience: str) -> int:
    """A stable signed 64-bit key for pg_try_advisory_xact_lock."""
    key = ADVISORY_LOCK_NAMESPACE | zlib.crc32(f"report:{period.key}:{audience}".encode())
    return key - (1 << 64) if key >= 1 << 63 else key


def try_advisory_lock(period: Quarter, audience: str) -> bool:
    """On PostgreSQL, a transaction-scoped advisory lock; elsewhere always granted."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(advisory_key(period, audience)))))


def claim_run(
    period: Quarter, audience: str, stale_after: timedelta, now_dt: datetime | None = None
) -> ReportRun | None:
    """Claim (period, audience) for the schedule; None when built or held by a live process.

    The caller commits the claim before building. A claim not built whose heartbeat (or claim,
    before its first beat) is older than `stale_after` is taken over by one conditional update,
    so only one process wins it, and its `attempts` (the fencing token) goes up by one.
    """
    now_dt = now_dt or utcnow()
    if not try_advisory_lock(period, audience):
        return None
    existing = db.session.scalar(
        select(ReportRun).where(
            ReportRun.period == period.key, ReportRun.audience == audience, ReportRun.trigger == TRIGGER_SCHEDULE
        )
    )
    if existing is None:
        return insert_claim(period, audience, now_dt)
    last_sign_of_life = func.coalesce(ReportRun.heartbeat_dt, ReportRun.claimed_dt)
    retaken = db.session.execute(
        update(ReportRun)
        .where(ReportRun.id == existing.id, ReportRun.state != RUN_BUILT, last_sign_of_life < now_dt - stale_after)
        .values(claimed_dt=now_dt, heartbeat_dt=now_dt, state=RUN_BUILDING, error=None, attempts=ReportRun.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if retaken.rowcount != 1:
        return None
    db.session.refresh(existing)
    return existing


def insert_claim(period: Quarter, audience: str, now_dt: datetime) -> ReportRun | None:
    """Insert a new claim in a savepoint; None when another process's claim got there first."""
    run = ReportRun(
        period=period.key,
        audience=audience,
        trigger=TRIGGER_SCHEDULE,
        state=RUN_BUILDING,
        claimed_dt=now_dt,
        heartbeat_dt=now_dt,
    )
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except (IntegrityError, OperationalError):
        # The unique constraint (or SQLite's write lock) says another process is claiming it.
        return None
    return run


def _while_held(ticket: Ticket) -> Update:
    """An UPDATE of the ticket's run that only applies while the claim is still this ticket's."""
    return (
        update(ReportRun)
        .where(ReportRun.id == ticket.run_id, ReportRun.attempts == ticket.token, ReportRun.state == RUN_BUILDING)
        .execution_options(synchronize_session=False)
    )


def beat(ticket: Ticket, now_dt: datetime | None = None) -> bool:
    """The heartbeat: the claim is alive; False when it is no longer this ticket's."""
    return db.session.execute(_while_held(ticket).values(heartbeat_dt=now_dt or utcnow())).rowcount == 1


def fail_run(ticket: Ticket, reason: str) -> bool:
    """Mark the claim failed, with the reason the archive shows; False when it was not ours any more."""
    values = {"state": RUN_FAILED, "error": reason[:ERROR_MAX_CHARS], "heartbeat_dt": utcnow()}
    return db.session.execute(_while_held(ticket).values(**values)).rowcount == 1


def finish_run(ticket: Ticket) -> bool:
    """Mark the claim built before its report is stored; False (store nothing) when it was taken over."""
    return db.session.execute(_while_held(ticket).values(state=RUN_BUILT, error=None)).rowcount == 1


def link_report(ticket: Ticket, report: Report) -> None:
    """Point the finished run at the report stored for it (same transaction as finish_run)."""
    db.session.execute(
        update(ReportRun)
        .where(ReportRun.id == ticket.run_id)
        .values(report_id=report.id)
        .execution_options(synchronize_session=False)
    )


def failed_runs(audiences: tuple[str, ...] = AUDIENCES) -> list[ReportRun]:
    """Scheduled builds that failed and are not built yet, newest quarter first (for the archive)."""
    query = select(ReportRun).where(ReportRun.state == RUN_FAILED, ReportRun.audience.in_(audiences))
    return list(db.session.scalars(query.order_by(ReportRun.period.desc(), ReportRun.audience)))
