"""`flask users …` commands."""

from datetime import timedelta

import click
from flask.cli import AppGroup

from tracker.accounts import services
from tracker.accounts.models import ROLES
from tracker.accounts.permissions import SYSTEM
from tracker.database import utcnow
from tracker.database_setup import writes
from tracker.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--name", "full_name", default="", help="Full name shown in the interface.")
@click.option("--email", default=None)
@writes
def create_user_command(username: str, password: str, role: str, full_name: str, email: str | None) -> None:
    """Create a user with an Argon2id-hashed password."""
    try:
        user = services.create_user(username, password, role, full_name=full_name, email=email, actor=SYSTEM)
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Opprettet bruker {user.username} med rollen {user.role}.")


@users_cli.command("prune-sessions")
@click.option("--days", default=90, show_default=True, type=click.IntRange(min=1), help="Keep this many days.")
@writes
def prune_sessions_command(days: int) -> None:
    """Delete old session records and log-in attempts (the audit trail keeps the log-ins)."""
    removed_sessions, removed_attempts = services.prune_login_records(utcnow() - timedelta(days=days), SYSTEM)
    db.session.commit()
    click.echo(f"Slettet {removed_sessions} gamle økter og {removed_attempts} gamle innloggingsforsøk.")


COMMANDS = (users_cli,)
