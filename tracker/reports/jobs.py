"""The report jobs: build what is due (exactly once per period and audience) and send the outbox.

These are outermost callers (like a CLI command): they commit. Each claim is committed before
its report is built; the build renders without holding a write lock, while a heartbeat thread
keeps the claim alive, and then stores the report and its mails in one short write transaction
only if the claim is still this process's (the fencing token, tracker.reports.claims). A build
that outlives REPORT_BUILD_LIMIT_MIN is failed: the archive shows "feilet" with the reason, and a
log line says so. Each mail is marked `sending` and committed before SMTP is called.
"""

import logging
import threading
import time
from datetime import date, timedelta

from flask import Flask, current_app

from tracker import mail as smtp
from tracker.accounts.permissions import SYSTEM
from tracker.database_setup import write_transaction
from tracker.extensions import db
from tracker.periods import today_oslo
from tracker.portfolio.models import Programme
from tracker.portfolio.queries import current_programme
from tracker.reports import claims, mail_text, services
from tracker.reports.claims import Ticket
from tracker.reports.due import reports_due
from tracker.reports.models import TRIGGER_SCHEDULE, OutboxMail
from tracker.reports.snapshot import ReportSnapshot

log = logging.getLogger(__name__)
MAX_HEARTBEAT_S = 60.0


def _stale_after() -> timedelta:
    return timedelta(minutes=float(current_app.config.get("REPORT_CLAIM_STALE_MIN", 30)))


def _build_limit() -> timedelta:
    return timedelta(minutes=float(current_app.config.get("REPORT_BUILD_LIMIT_MIN", 15)))


def _over_limit(limit: timedelta) -> str:
    minutes = f"{limit.total_seconds() / 60:g}".replace(".", ",")
    return f"Byggingen tok mer enn {minutes} min og ble avbrutt."


class Heartbeat:
    """A thread that keeps a claim alive while its build runs, and fails the claim at the build limit.

    It beats several times within the stale limit (at most every MAX_HEARTBEAT_S), each beat a
    write transaction of its own on its own session, and stops when the claim is no longer its
    ticket's: finished, taken over, or failed because the build outlived `limit`.
    """

    def __init__(self, app: Flask, ticket: Ticket, every_s: float, limit: timedelta):
        self.app, self.ticket, self.every_s, self.limit = app, ticket, every_s, limit
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-run-{ticket.run_id}", daemon=True)

    @property
    def is_over_limit(self) -> bool:
        return time.monotonic() - self.started > self.limit.total_seconds()

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s) and self._beat():
            pass

    def _beat(self) -> bool:
        """One beat; False when the claim is no longer ours, so the thread stops."""
        with self.app.app_context():
            try:
                if self.is_over_limit:
                    _fail(self.ticket, _over_limit(self.limit))
                    return False
                with write_transaction():
                    alive = claims.beat(self.ticket)
                    db.session.commit()
                return alive
            except Exception:  # noqa: BLE001 - a missed beat is retried; the stale limit allows several
                log.exception("Heartbeat of the %s report for %s failed", self.ticket.audience, self.ticket.period)
                return True
            finally:
                db.session.remove()


def _heartbeat_every_s() -> float:
    return min(_stale_after().total_seconds() / 4, MAX_HEARTBEAT_S)


def _claim(period, audience: str) -> Ticket | None:
    """Claim (period, audience) in a write transaction of its own; None when not ours to build."""
    with write_transaction():
        run = claims.claim_run(period, audience, _stale_after())
        ticket = Ticket.of(run) if run is not None else None
        db.session.commit()  # the claim is visible to every other process before we build
    return ticket


def _fail(ticket: Ticket, reason: str) -> None:
    """Mark the claim failed (if still ours) and say so in the log."""
    with write_transaction():
        failed = claims.fail_run(ticket, reason)
        db.session.commit()
    if failed:
        log.error(
            "The scheduled %s report for %s failed (attempt %s): %s",
            ticket.audience,
            ticket.period,
            ticket.token,
            reason,
        )


def _store(programme_id: int, ticket: Ticket, rendered: services.Rendered) -> int | None:
    """Finish the claim, store the report and queue its mails in one transaction, if the claim is ours."""
    with write_transaction():
        if not claims.finish_run(ticket):
            log.warning(
                "The %s report for %s lost its claim (attempt %s) while building: discarded, neither stored nor mailed",
                ticket.audience,
                ticket.period,
                ticket.token,
            )
            return None
        programme = db.session.get(Programme, programme_id)
        report = services.store_report(
            programme, ticket.period, ticket.audience, rendered, SYSTEM, TRIGGER_SCHEDULE, send=True
        )
        claims.link_report(ticket, report)
        db.session.commit()
        return report.id


def _build(programme_id: int, ticket: Ticket, today: date) -> int | None:
    """Render with the claim kept alive, then store it if the claim is still ours; the report id or None."""
    with Heartbeat(current_app._get_current_object(), ticket, _heartbeat_every_s(), _build_limit()) as heartbeat:
        try:
            programme = db.session.get(Programme, programme_id)
            rendered = services.render_report(programme, ticket.period, ticket.audience, today=today)
        except Exception as exc:  # noqa: BLE001 - any failure of the build is shown in the archive
            db.session.rollback()
            log.exception("Building the %s report for %s failed", ticket.audience, ticket.period)
            _fail(ticket, f"Byggingen feilet: {type(exc).__name__}: {exc}")
            return None
        db.session.rollback()  # end the reads; storing is a write transaction of its own
        if heartbeat.is_over_limit:
            _fail(ticket, _over_limit(heartbeat.limit))
            return None
        return _store(programme_id, ticket, rendered)


def build_due(as_of: date | None = None) -> list[int]:
    """Build every scheduled report due on `as_of` (Oslo today by default); returns report ids.

    The schedule builds the default programme's reports (the only one, or the newest open one);
    a closed programme gets none. Other programmes' reports are built with "build now" or the CLI.
    """
    programme = current_programme(SYSTEM)
    if programme is None or programme.is_closed:
        return []
    programme_id, today = programme.id, as_of or today_oslo()
    last_built = claims.last_built_by_schedule()
    due = reports_due(today, last_built, current_app.config["REPORT_DUE_DAYS_AFTER_QUARTER"])
    # The schedule never builds a quarter that has not ended (whatever the due days are set to).
    due = [(period, audience) for period, audience in due if period.end_date < today]
    db.session.commit()  # end the reads: each claim and each store is a write transaction of its own
    built = []
    for period, audience in due:
        ticket = _claim(period, audience)
        report_id = _build(programme_id, ticket, today) if ticket is not None else None
        if report_id is not None:
            built.append(report_id)
    return built


def signature(audience: str) -> str:
    """The configured signature of the audience's mails (REPORT_MAIL_SIGNATURE_POLITIKERE / _AMU)."""
    return (
        current_app.config.get(f"REPORT_MAIL_SIGNATURE_{audience.upper()}") or "Med vennlig hilsen\nTiltaksporteføljen"
    )


def _mail_for(row: OutboxMail) -> smtp.Mail:
    report = row.report
    snapshot = ReportSnapshot.from_json(report.snapshot_json)
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/rapporter/"
    return smtp.Mail(
        to=(row.email,),
        subject=mail_text.subject(snapshot, report.is_preview),
        body=mail_text.body(snapshot, row.name, link, signature(report.audience), report.is_preview),
        attachments=(
            smtp.Attachment(f"{report.file_stem}.pdf", report.pdf_bytes, "application/pdf"),
            smtp.Attachment(f"{report.file_stem}.html", report.html_text.encode("utf-8"), "text/html"),
        ),
        message_id=row.message_id,
    )


def send_pending() -> int:
    """Send every pending mail in the outbox; returns how many SMTP accepted."""
    mail_ids = services.sendable_mail_ids(_stale_after())
    db.session.commit()  # end the read: each claim and each mark is a write transaction of its own
    return sum(_send_one(mail_id) for mail_id in mail_ids)


def _send_one(mail_id: int) -> bool:
    """Claim one mail (committed), send it holding no lock, then mark it sent or pending again."""
    with write_transaction():
        claimed = services.claim_mail(mail_id, _stale_after())
        db.session.commit()
    if not claimed:
        return False
    row = db.session.get(OutboxMail, mail_id)
    message, address = _mail_for(row), row.email
    db.session.rollback()
    error = None
    try:
        smtp.send_mail(current_app.config, message)
    except Exception as exc:  # noqa: BLE001 - any SMTP/network failure: retry on the next run
        log.warning("Mail %s to %s failed: %s", message.message_id, address, exc)
        error = f"{type(exc).__name__}: {exc}"
    with write_transaction():
        services.mark_mail(db.session.get(OutboxMail, mail_id), error)
        db.session.commit()
    return error is None


def generate_due(as_of: date | None = None, send: bool = True) -> tuple[list[int], int]:
    """The scheduled job: build what is due, then send the outbox (also mails left by a crash)."""
    built = build_due(as_of)
    return built, (send_pending() if send else 0)
