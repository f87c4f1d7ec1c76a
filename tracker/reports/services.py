"""Reports: building and archiving, schedule claims, the mail outbox and recipients.

Services add and flush, never commit; tracker.reports.jobs and the views commit.
"""

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from tracker.accounts.permissions import require_actor, require_admin
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.periods import Quarter, quarter_outside_programme
from tracker.portfolio.models import Programme
from tracker.reports.collect import collect
from tracker.reports.models import (
    AUDIENCES,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
    RUN_BUILDING,
    RUN_BUILT,
    TRIGGER_MANUAL,
    TRIGGER_SCHEDULE,
    OutboxMail,
    Report,
    ReportRecipient,
    ReportRun,
)
from tracker.reports.render_html import render_html
from tracker.reports.render_pdf import render_pdf
from tracker.reports.snapshot import ReportSnapshot
from tracker.text import NAME, check_texts, line

ADVISORY_LOCK_NAMESPACE = 0x7265_7000_0000_0000  # "rep", keeps our keys apart from others'


RECIPIENT_TEXTS = {"name": NAME, "email": line(254)}


class ReportError(ServiceError):
    """A report request that cannot be carried out; the message is Norwegian."""


@dataclass(frozen=True)
class Rendered:
    snapshot: ReportSnapshot
    pdf: bytes
    html: str


# --- building ----------------------------------------------------------------------------------


def check_audience(audience: str) -> str:
    if audience not in AUDIENCES:
        message = f"Ukjent mottakergruppe «{audience}». Velg en av: {', '.join(AUDIENCES)}."
        raise ReportError(message, {"audience": message})
    return audience


def latest_report(programme: Programme, period: Quarter, audience: str) -> Report | None:
    query = (
        select(Report)
        .where(Report.programme_id == programme.id, Report.period == period.key, Report.audience == audience)
        .order_by(Report.version.desc())
        .limit(1)
    )
    return db.session.scalars(query).first()


def previous_snapshot(programme: Programme, period: Quarter, audience: str) -> ReportSnapshot | None:
    """The snapshot of the latest report for the quarter before `period`, if any."""
    report = latest_report(programme, period.previous(), audience)
    return ReportSnapshot.from_json(report.snapshot_json) if report else None


def render_report(programme: Programme, period: Quarter, audience: str) -> Rendered:
    """Collect the snapshot and render PDF and HTML from it; stores nothing."""
    check_audience(audience)
    snapshot = collect(programme, period, audience, previous_snapshot(programme, period, audience))
    return Rendered(snapshot, render_pdf(snapshot), render_html(snapshot))


def next_version(programme: Programme, period: Quarter, audience: str) -> int:
    current = db.session.scalar(
        select(func.max(Report.version)).where(
            Report.programme_id == programme.id, Report.period == period.key, Report.audience == audience
        )
    )
    return (current or 0) + 1


def build_report(
    programme: Programme,
    period: Quarter,
    audience: str,
    actor,
    trigger: str = TRIGGER_MANUAL,
    send: bool = False,
) -> Report:
    """Build and archive a new version of the report; with `send`, queue a mail per recipient.

    Callable with only an app context (no request), so benchmarks and jobs can use it (as SYSTEM).
    """
    require_actor(actor)
    rendered = render_report(programme, period, audience)
    report = Report(
        programme_id=programme.id,
        period=period.key,
        audience=audience,
        version=next_version(programme, period, audience),
        trigger=trigger,
        created_by_id=actor.id,
        snapshot_json=rendered.snapshot.to_json(),
        pdf_bytes=rendered.pdf,
        html_text=rendered.html,
    )
    db.session.add(report)
    db.session.flush()
    if send:
        queue_mails(report)
    audit.record(
        "report.build",
        user=actor,
        obj=report,
        changes={
            "version": {"old": report.version - 1 or None, "new": report.version},
            "trigger": {"old": None, "new": trigger},
        },
    )
    return report


def check_period(programme: Programme, period: Quarter) -> None:
    """Refuse a quarter far from the programme's years (ReportError by the form's field)."""
    message = quarter_outside_programme(period, programme.start_year, programme.end_year)
    if message:
        raise ReportError(message, {"period": message})


def request_build(actor, programme: Programme, period: Quarter, audience: str, send: bool) -> Report:
    """An admin's "build now": a new version of the period's report."""
    require_admin(actor, "report.build")
    check_period(programme, period)
    return build_report(programme, period, audience, actor, TRIGGER_MANUAL, send)


def list_reports(programme: Programme | None = None) -> list[Report]:
    query = select(Report).order_by(Report.period.desc(), Report.audience, Report.version.desc())
    if programme is not None:
        query = query.where(Report.programme_id == programme.id)
    return list(db.session.scalars(query))


def sent_to(report: Report) -> list[str]:
    return [mail.email for mail in report.mails if mail.state == MAIL_SENT]


# --- schedule claims ---------------------------------------------------------------------------


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
    """Claim (period, audience) for the schedule; None when built or claimed by someone else.

    The caller commits the claim before building. A claim still `building` after `stale_after`
    (its process crashed) is taken over by a conditional update, so only one process wins it.
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
    retaken = db.session.execute(
        update(ReportRun)
        .where(
            ReportRun.id == existing.id, ReportRun.state == RUN_BUILDING, ReportRun.claimed_dt < now_dt - stale_after
        )
        .values(claimed_dt=now_dt, attempts=ReportRun.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if retaken.rowcount != 1:
        return None
    db.session.refresh(existing)
    return existing


def insert_claim(period: Quarter, audience: str, now_dt: datetime) -> ReportRun | None:
    """Insert a new claim in a savepoint; None when another process's claim got there first."""
    run = ReportRun(
        period=period.key, audience=audience, trigger=TRIGGER_SCHEDULE, state=RUN_BUILDING, claimed_dt=now_dt
    )
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except (IntegrityError, OperationalError):
        # The unique constraint (or SQLite's write lock) says another process is claiming it.
        return None
    return run


def finish_run(run: ReportRun, report: Report) -> None:
    run.state = RUN_BUILT
    run.report_id = report.id


# --- outbox ------------------------------------------------------------------------------------


def recipients(audience: str) -> list[ReportRecipient]:
    query = select(ReportRecipient).where(ReportRecipient.audience == audience).order_by(ReportRecipient.name)
    return list(db.session.scalars(query))


def queue_mails(report: Report) -> list[OutboxMail]:
    """A pending mail per recipient of the report's audience, in the report's transaction."""
    mails = [
        OutboxMail(report=report, name=r.name, email=r.email, message_id=make_msgid(domain="tiltaksportefoljen"))
        for r in recipients(report.audience)
    ]
    db.session.add_all(mails)
    db.session.flush()
    return mails


def sendable_mail_ids(stale_after: timedelta, now_dt: datetime | None = None) -> list[int]:
    """Pending mails, and mails left `sending` by a crashed process for longer than `stale_after`."""
    now_dt = now_dt or utcnow()
    query = select(OutboxMail.id).where(
        (OutboxMail.state == MAIL_PENDING)
        | ((OutboxMail.state == MAIL_SENDING) & (OutboxMail.claimed_dt < now_dt - stale_after))
    )
    return list(db.session.scalars(query.order_by(OutboxMail.id)))


def claim_mail(mail_id: int, stale_after: timedelta, now_dt: datetime | None = None) -> bool:
    """Mark one mail `sending` if nobody else has; the caller commits before sending."""
    now_dt = now_dt or utcnow()
    result = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            (OutboxMail.state == MAIL_PENDING)
            | ((OutboxMail.state == MAIL_SENDING) & (OutboxMail.claimed_dt < now_dt - stale_after)),
        )
        .values(state=MAIL_SENDING, claimed_dt=now_dt, attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def mark_mail(mail: OutboxMail, error: str | None = None) -> None:
    """After SMTP accepted the mail: sent; after a failure: pending again, with the error."""
    if error is None:
        mail.state, mail.sent_dt, mail.last_error = MAIL_SENT, utcnow(), None
    else:
        mail.state, mail.last_error = MAIL_PENDING, error[:2000]


# --- recipients --------------------------------------------------------------------------------


def add_recipient(actor, audience: str, name: str, email: str) -> ReportRecipient:
    """Add a recipient to an audience's mailing list (admin); an address is on a list once."""
    require_admin(actor, "report.recipient.add")
    check_audience(audience)
    check_texts({"name": name, "email": email}, RECIPIENT_TEXTS, ReportError)
    email = email.strip().lower()
    duplicate = db.session.scalar(
        select(ReportRecipient).where(ReportRecipient.audience == audience, ReportRecipient.email == email)
    )
    if duplicate is not None:
        message = f"{email} står allerede på mottakerlisten."
        raise ReportError(message, {"email": message})
    recipient = ReportRecipient(audience=audience, name=name.strip(), email=email)
    db.session.add(recipient)
    db.session.flush()
    audit.record(
        "report.recipient.add",
        user=actor,
        obj=recipient,
        changes={"audience": {"old": None, "new": audience}, "email": {"old": None, "new": email}},
    )
    return recipient


def remove_recipient(actor, recipient: ReportRecipient) -> None:
    """Take a recipient off its mailing list (admin)."""
    require_admin(actor, "report.recipient.remove")
    audit.record(
        "report.recipient.remove",
        user=actor,
        obj=recipient,
        changes={"audience": {"old": recipient.audience, "new": None}, "email": {"old": recipient.email, "new": None}},
    )
    db.session.delete(recipient)
