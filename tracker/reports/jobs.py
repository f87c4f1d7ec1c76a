"""The report jobs: build what is due (exactly once per period and audience) and send the outbox.

These are outermost callers (like a CLI command): they commit. Each claim is committed before
its report is built, and each mail is marked `sending` and committed before SMTP is called.
"""

import logging
from datetime import date, timedelta

from flask import current_app

from tracker import mail as smtp
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db
from tracker.periods import today_oslo
from tracker.portfolio.queries import get_programme
from tracker.reports import services
from tracker.reports.due import reports_due
from tracker.reports.models import AUDIENCE_LABELS, TRIGGER_SCHEDULE, OutboxMail

log = logging.getLogger(__name__)


def _stale_after() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("REPORT_CLAIM_STALE_MIN", 30)))


def build_due(as_of: date | None = None) -> list[int]:
    """Build every scheduled report due on `as_of` (Oslo today by default); returns report ids."""
    programme = get_programme()
    if programme is None:
        return []
    today = as_of or today_oslo()
    due = reports_due(today, services.last_built_by_schedule(), current_app.config["REPORT_DUE_DAYS_AFTER_QUARTER"])
    built = []
    for period, audience in due:
        run = services.claim_run(period, audience, _stale_after())
        db.session.commit()  # the claim is visible to every other process before we build
        if run is None:
            continue
        try:
            report = services.build_report(programme, period, audience, SYSTEM, TRIGGER_SCHEDULE, send=True)
            services.finish_run(run, report)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("Building the %s report for %s failed; the claim is retried when stale", audience, period)
            continue
        built.append(report.id)
    return built


def _mail_for(row: OutboxMail) -> smtp.Mail:
    report = row.report
    label = AUDIENCE_LABELS.get(report.audience, report.audience)
    body = (
        f"Hei {row.name},\n\nVedlagt er statusrapporten for {report.period} til {label} "
        f"(versjon {report.version}), som PDF og som tilgjengelig HTML.\n\n"
        f"Alle rapporter finnes i arkivet: {current_app.config['BASE_URL'].rstrip('/')}/rapporter/\n"
    )
    return smtp.Mail(
        to=(row.email,),
        subject=f"Statusrapport {report.period} – {label}",
        body=body,
        attachments=(
            smtp.Attachment(f"{report.file_stem}.pdf", report.pdf_bytes, "application/pdf"),
            smtp.Attachment(f"{report.file_stem}.html", report.html_text.encode("utf-8"), "text/html"),
        ),
        message_id=row.message_id,
    )


def send_pending() -> int:
    """Send every pending mail in the outbox; returns how many SMTP accepted."""
    sent = 0
    for mail_id in services.sendable_mail_ids(_stale_after()):
        claimed = services.claim_mail(mail_id, _stale_after())
        db.session.commit()
        if not claimed:
            continue
        row = db.session.get(OutboxMail, mail_id)
        try:
            smtp.send_mail(current_app.config, _mail_for(row))
        except Exception as exc:  # noqa: BLE001 - any SMTP/network failure: retry on the next run
            log.warning("Mail %s to %s failed: %s", row.message_id, row.email, exc)
            services.mark_mail(row, f"{type(exc).__name__}: {exc}")
            db.session.commit()
            continue
        services.mark_mail(row)
        db.session.commit()
        sent += 1
    return sent


def generate_due(as_of: date | None = None, send: bool = True) -> tuple[list[int], int]:
    """The scheduled job: build what is due, then send the outbox (also mails left by a crash)."""
    built = build_due(as_of)
    return built, (send_pending() if send else 0)
