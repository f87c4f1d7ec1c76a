"""`flask audit …`: reading the audit trail from the command line (there is no way to change it)."""

import json

import click
from flask.cli import AppGroup

from tracker.audit import labels, services
from tracker.extensions import db
from tracker.periods import format_datetime, parse_date

audit_cli = AppGroup("audit", help="Read the audit trail.")


@audit_cli.command("list")
@click.option("--user", "username", default=None, help="Only entries by this username.")
@click.option("--action", default=None, help="Only this action, e.g. login.failed or measure.status.")
@click.option("--since", default=None, help="Only entries from this day (YYYY-MM-DD, Oslo time) on.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1), help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_command(username: str | None, action: str | None, since: str | None, limit: int, as_json: bool) -> None:
    """The newest entries first, with who, when (UTC in JSON), what and old → new."""
    try:
        since_date = parse_date(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    audit_filter = services.AuditFilter(username=username, action=action, from_date=since_date)
    entries = list(db.session.scalars(services.entries_query(audit_filter).limit(limit)))
    if as_json:
        click.echo(json.dumps([services.as_dict(entry) for entry in entries], ensure_ascii=False, indent=2))
        return
    for entry in entries:
        what = entry.object_label or ""
        changes = "; ".join(labels.change_lines(entry.changes))
        click.echo(
            f"{format_datetime(entry.at_dt)}  {entry.username or 'system':<16} {entry.action:<24} {what}  {changes}"
        )


COMMANDS = (audit_cli,)
