"""Reports: building and archiving, the mail outbox and recipients (schedule claims: claims.py).

Services add and flush, never commit; tracker.reports.jobs and the views commit.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import func, select, update

from tracker.accounts.permissions import has_role, require_actor, require_admin, require_role
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.errors import ServiceError
from tracker.extensions import db
from tracker.periods import Quarter, quarter_outside_programme, today_oslo
from tracker.portfolio.models import Programme
from tracker.portfolio.read_only import require_open
from tracker.reports.collect import collect
from tracker.reports.models import (
    AUDIENCE_AMU,
    AUDIENCE_POLITICIANS,
    AUDIENCES,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
    TRIGGER_MANUAL,
    OutboxMail,
    Report,
    ReportRecipient,
)
from tracker.reports.render_html import render_html
from tracker.reports.render_pdf import render_pdf
from tracker.reports.snapshot import ReportSnapshot
from tracker.text import NAME, check_texts, line

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


def is_ended(period: Quarter, today: date | None = None) -> bool:
    """Whether the quarter's last day has passed on `today` (Oslo's today by default)."""
    return (today or today_oslo()) > period.end_date


def check_ended(period: Quarter, preview: bool, today: date | None = None) -> None:
    """A report for a quarter not yet ended is only built as a preview (a draft marked UTKAST)."""
    if not preview and not is_ended(period, today):
        message = (
            f"{period.label} er ikke slutt ennå. Bygg et utkast (UTKAST) med forhåndsvisning "
            "(«--preview» på kommandolinjen), eller vent til kvartalet er omme."
        )
        raise ReportError(message, {"period": message})


def render_report(
    programme: Programme, period: Quarter, audience: str, preview: bool = False, today: date | None = None
) -> Rendered:
    """Collect the snapshot and render PDF and HTML from it; stores nothing. An unfinished quarter needs `preview`.

    `today` is the schedule's day (`generate-due --as-of`); by default Oslo's today.
    """
    check_audience(audience)
    check_ended(period, preview, today)
    previous = previous_snapshot(programme, period, audience)
    snapshot = collect(programme, period, audience, previous, is_preview=not is_ended(period, today))
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
    preview: bool = False,
) -> Report:
    """Build and archive a new version of the report; with `send`, queue a mail per recipient.

    Callable with only an app context (no request), so benchmarks and jobs can use it (as SYSTEM).
    """
    require_actor(actor)
    rendered = render_report(programme, period, audience, preview)
    return store_report(programme, period, audience, rendered, actor, trigger, send)


def store_report(
    programme: Programme, period: Quarter, audience: str, rendered: Rendered, actor, trigger: str, send: bool
) -> Report:
    """Archive a rendered report as the next version, audited; with `send`, queue its mails.

    Apart from build_report, so a job can render without holding a write lock and store in a
    short write transaction of its own.
    """
    require_actor(actor)
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
        is_preview=rendered.snapshot.is_preview,
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


def request_build(
    actor, programme: Programme, period: Quarter, audience: str, send: bool, preview: bool = False
) -> Report:
    """An admin's "build now": a new version of the period's report (a draft for an unfinished quarter)."""
    require_admin(actor, "report.build")
    require_open(programme)
    check_period(programme, period)
    return build_report(programme, period, audience, actor, TRIGGER_MANUAL, send, preview)


def list_reports(programme: Programme | None = None, audiences: tuple[str, ...] = AUDIENCES) -> list[Report]:
    query = select(Report).where(Report.audience.in_(audiences))
    query = query.order_by(Report.period.desc(), Report.audience, Report.version.desc())
    if programme is not None:
        query = query.where(Report.programme_id == programme.id)
    return list(db.session.scalars(query))


# --- publication (offentleglova) ----------------------------------------------------------------


def publish_report(actor, report: Report) -> None:
    """Publish the politicians' report on the public page (admin); AMU's reports and drafts never are."""
    require_admin(actor, "report.publish")
    if report.audience != AUDIENCE_POLITICIANS:
        raise ReportError("Bare rapporten til politikerne kan publiseres; AMUs rapporter er ikke offentlige.")
    if report.is_preview:
        raise ReportError("Et utkast kan ikke publiseres; bygg rapporten når kvartalet er omme.")
    if report.is_published:
        return
    report.published_dt, report.published_by_id = utcnow(), actor.id
    audit.record("report.publish", user=actor, obj=report, changes={"published": {"old": False, "new": True}})


def unpublish_report(actor, report: Report) -> None:
    """Take a report off the public page (admin)."""
    require_admin(actor, "report.unpublish")
    if not report.is_published:
        return
    report.published_dt, report.published_by_id = None, None
    audit.record("report.unpublish", user=actor, obj=report, changes={"published": {"old": True, "new": False}})


def published_reports() -> list[Report]:
    """The politicians' reports on the public page, newest period first."""
    query = select(Report).where(Report.published_dt.is_not(None), Report.audience == AUDIENCE_POLITICIANS)
    return list(db.session.scalars(query.order_by(Report.period.desc(), Report.version.desc())))


def published_report(report_id: int) -> Report | None:
    report = db.session.get(Report, report_id)
    return report if report is not None and report.is_published and report.audience == AUDIENCE_POLITICIANS else None


# --- who reads which reports -------------------------------------------------------------------


def readable_audiences(actor) -> tuple[str, ...]:
    """The audiences whose reports the actor may read: AMU's only for the roles in AMU_REPORT_ROLES."""
    amu_readers = tuple(current_app.config["AMU_REPORT_ROLES"])
    return tuple(audience for audience in AUDIENCES if audience != AUDIENCE_AMU or has_role(actor, amu_readers))


def require_report_read(actor, report: Report) -> None:
    """403 (and an audited refusal) unless the actor may read this report."""
    if report.audience == AUDIENCE_AMU:
        require_role(actor, tuple(current_app.config["AMU_REPORT_ROLES"]), "report.read", report)


def sent_to(report: Report) -> list[str]:
    return [mail.email for mail in report.mails if mail.state == MAIL_SENT]


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
