"""`flask setup`: bring a fresh database to a usable tracker (used by the README's start command)."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from tracker.accounts.models import ROLE_ADMIN, User
from tracker.accounts.passwords import generate_password
from tracker.accounts.permissions import SYSTEM
from tracker.accounts.services import create_user
from tracker.database_setup import write_transaction
from tracker.extensions import db
from tracker.measures.importing import import_file
from tracker.portfolio.queries import default_programme


@click.command("setup")
@click.option("--no-import", is_flag=True, help="Do not import the default portfolio.")
@with_appcontext
def setup_command(no_import: bool) -> None:
    """Migrate the database, import the Elverum portfolio if empty, create a first admin."""
    upgrade()
    with write_transaction():  # the first import and admin, serialised like any other write
        if not no_import and default_programme() is None:
            result = import_file(current_app.config["DEFAULT_PORTFOLIO_PATH"], SYSTEM)
            db.session.commit()
            click.echo(f"Importerte porteføljen «{result.programme}»: {len(result.created)} tiltak.")
        if db.session.scalar(select(func.count()).select_from(User)) == 0:
            password = generate_password()
            create_user(
                "admin", password, ROLE_ADMIN, full_name="Administrator", actor=SYSTEM, must_change_password=True
            )
            db.session.commit()
            click.echo("")
            click.echo("Første innlogging: brukernavn «admin», engangspassord: " + password)
            click.echo("Passordet vises bare denne ene gangen; bytt det etter innlogging.")
            click.echo("")


COMMANDS = (setup_command,)
