"""`flask api-tokens …`: create, list and revoke API tokens from the command line (as SYSTEM)."""

import json

import click
from flask.cli import AppGroup

from tracker.accounts.permissions import SYSTEM
from tracker.accounts.services import get_by_username
from tracker.api_tokens import services
from tracker.cli import commit_or_exit
from tracker.extensions import db
from tracker.periods import format_datetime

api_tokens_cli = AppGroup("api-tokens", help="Create, list and revoke tokens for the read-only HTTP API.")


@api_tokens_cli.command("create")
@click.option("--user", "username", required=True, help="The user whose rights the token reads with.")
@click.option("--name", required=True, help="What the token is for, e.g. 'Power BI økonomi'.")
def create_command(username: str, name: str) -> None:
    """Create a token; it is printed once, alone on the last line, and never stored."""
    user = get_by_username(username)
    if user is None:
        raise click.ClickException(f"Fant ingen bruker med brukernavnet {username}.")
    try:
        token, secret = services.create_token(user, name, SYSTEM)
    except services.TokenError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Opprettet API-nøkkel {token.id} «{token.name}» for {user.username} ({user.role}).")
    click.echo("Nøkkelen vises bare nå. Ta vare på den som et passord:")
    click.echo(secret)


@api_tokens_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_command(as_json: bool) -> None:
    """Every token, newest first: id, prefix, name, user, created, last used, revoked."""
    tokens = services.list_tokens()
    if as_json:
        click.echo(json.dumps([_as_dict(token) for token in tokens], ensure_ascii=False, indent=2))
        return
    for token in tokens:
        used = f"sist brukt {format_datetime(token.last_used_dt)}" if token.last_used_dt else "aldri brukt"
        state = f"trukket tilbake {format_datetime(token.revoked_dt)}" if token.revoked_dt else "aktiv"
        click.echo(f"{token.id:>4}  {token.prefix}…  {token.user.username:<16} {token.name}  ({used}; {state})")


@api_tokens_cli.command("revoke")
@click.argument("token_key")
def revoke_command(token_key: str) -> None:
    """Revoke the token with this id or prefix (as `list` shows them)."""
    token = services.find_token(token_key)
    if token is None:
        raise click.ClickException(f"Fant ingen API-nøkkel {token_key}.")
    revoked = f"API-nøkkel {token.id} {token.audit_label} er trukket tilbake."
    commit_or_exit(lambda: services.revoke_token(token, SYSTEM), services.TokenError, revoked)


def _as_dict(token) -> dict:
    """The JSON form printed by `api-tokens list --json`; keep its keys stable."""
    return {
        "id": token.id,
        "prefix": token.prefix,
        "name": token.name,
        "user": token.user.username,
        "created_dt": _iso(token.created_dt),
        "last_used_dt": _iso(token.last_used_dt),
        "revoked_dt": _iso(token.revoked_dt),
    }


def _iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


COMMANDS = (api_tokens_cli,)
