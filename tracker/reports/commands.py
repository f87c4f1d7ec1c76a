"""`flask reports …`: build what is due, build one report to a file, list the archive, send mail."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.accounts.permissions import SYSTEM
from tracker.database_setup import write_transaction
from tracker.errors import ReadOnlyError
from tracker.extensions import db
from tracker.periods import Quarter, format_datetime, parse_date
from tracker.portfolio.lookups import programme_option, programme_or_exit
from tracker.portfolio.queries import default_programme
from tracker.reports import jobs, services
from tracker.reports.models import AUDIENCES, TRIGGER_MANUAL

reports_cli = AppGroup("reports", help="Quarterly status reports to the politicians and to AMU.")


def _date(ctx, param, value):  # noqa: ARG001 - click callback signature
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _quarter(ctx, param, value):  # noqa: ARG001
    try:
        return Quarter.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@reports_cli.command("generate-due")
@click.option("--as-of", "as_of", callback=_date, help="Treat this day (YYYY-MM-DD) as today.")
@click.option("--no-send", is_flag=True, help="Build, but leave the mails in the outbox.")
def generate_due_command(as_of, no_send: bool) -> None:
    """Build every report that is due and not yet built by the schedule, then send the outbox."""
    built, sent = jobs.generate_due(as_of, send=not no_send)
    click.echo(f"Bygget {len(built)} rapport(er), sendt {sent} e-post(er).")


@reports_cli.command("send-pending")
def send_pending_command() -> None:
    """Send the mails waiting in the outbox."""
    click.echo(f"Sendt {jobs.send_pending()} e-post(er).")


@reports_cli.command("build")
@click.option("--period", required=True, callback=_quarter, help="Quarter, e.g. 2026-Q3.")
@click.option("--audience", required=True, type=click.Choice(AUDIENCES))
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False), help="PDF file to write; HTML goes next to it."
)
@click.option("--archive", is_flag=True, help="Also store it in the archive as a new manual version.")
@click.option("--preview", is_flag=True, help="Build a draft (UTKAST) of a quarter that has not ended yet.")
@programme_option
def build_command(
    period: Quarter, audience: str, output: str, archive: bool, preview: bool, programme: str | None
) -> None:
    """Write one report to a file (and its accessible HTML version next to it)."""
    programme = programme_or_exit(programme)
    if archive and programme.is_closed:
        raise click.ClickException(ReadOnlyError.closed(programme.name).message)
    try:
        rendered = services.render_report(programme, period, audience, preview)
    except services.ReportError as exc:
        raise click.UsageError(str(exc)) from exc
    pdf, html = rendered.pdf, rendered.html
    if archive:
        db.session.rollback()  # rendered without a lock; storing is a short write transaction
        with write_transaction():
            services.store_report(programme, period, audience, rendered, SYSTEM, TRIGGER_MANUAL, send=False)
            db.session.commit()
    target = Path(output)
    target.write_bytes(pdf)
    target.with_suffix(".html").write_text(html, encoding="utf-8")
    click.echo(f"Skrev {target} ({len(pdf)} byte) og {target.with_suffix('.html')}.")


@reports_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the archive as JSON.")
@programme_option
def list_command(as_json: bool, programme: str | None) -> None:
    """The report archive of one programme, newest period first."""
    reports = services.list_reports(programme_or_exit(programme)) if programme or default_programme() else []
    entries = [
        {
            "period": report.period,
            "period_label": report.period_label,
            "audience": report.audience,
            "version": report.version,
            "trigger": report.trigger,
            "created_at": report.created_dt.isoformat(),
            "sent_to": services.sent_to(report),
            "is_preview": report.is_preview,
            "is_published": report.is_published,
        }
        for report in reports
    ]
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    for report, entry in zip(reports, entries, strict=True):
        click.echo(
            f"{entry['period_label']} {entry['audience']:<10} v{entry['version']} {entry['trigger']:<8} "
            f"{format_datetime(report.created_dt)} sendt til {len(entry['sent_to'])}"
        )


COMMANDS = (reports_cli,)
