"""Shared fixtures. Every database test runs on SQLite and, when reachable, on PostgreSQL.

The schema is created once per backend; after each test every table is emptied, so tests may
commit (as views do) and use several connections, threads or app instances on one database.
"""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from config import TestingConfig
from tracker import create_app
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db as _db

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "omstilling-2025.json"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEST_PASSWORD = "riktig-passord-123"


def postgres_url() -> str | None:
    """The PostgreSQL test database, or None when it is switched off or unreachable."""
    url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG_URL)
    if url.lower() in {"", "0", "off", "none"}:
        return None
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        if os.environ.get("REQUIRE_POSTGRES"):
            raise
        return None
    return url


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL is not reachable")
    return url


@pytest.fixture(scope="session")
def make_app(database_url) -> Callable:
    """Build an app on the test database; keyword arguments override configuration."""

    def _make(**overrides):
        return create_app(TestingConfig, **{"SQLALCHEMY_DATABASE_URI": database_url, **overrides})

    return _make


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    Tests hold an app context open, and Flask reuses it for requests, so without this the
    logged-in user cached by Flask-Login in `g` would leak from one client into another.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def _schema(make_app):
    app = make_app()
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    return app


def _empty_all_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture()
def app(_schema):
    with _schema.app_context():
        yield _schema
        _db.session.remove()
        _empty_all_tables()


@pytest.fixture()
def db(app):
    return _db


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def make_user(app) -> Callable:
    """make_user(role, username=None, **fields) → a committed User with TEST_PASSWORD."""
    from tracker.accounts.permissions import SYSTEM
    from tracker.accounts.services import create_user

    counter = {"n": 0}

    def _make(role: str = "leser", username: str | None = None, **fields):
        counter["n"] += 1
        user = create_user(username or f"{role}{counter['n']}", TEST_PASSWORD, role, actor=SYSTEM, **fields)
        _db.session.commit()
        return user

    return _make


@pytest.fixture()
def login(client) -> Callable:
    """login(user_or_username, password=TEST_PASSWORD, client=client) → the response."""

    def _login(user, password: str = TEST_PASSWORD, using=None):
        username = getattr(user, "username", user)
        return (using or client).post("/login", data={"username": username, "password": password})

    return _login


@pytest.fixture()
def elverum(app):
    """The Elverum portfolio imported from the shipped data file; returns the Programme."""
    from tracker.measures.importing import import_file

    import_file(DATA_FILE, SYSTEM)
    _db.session.commit()
    from tracker.portfolio.queries import get_programme

    return get_programme()


@pytest.fixture()
def measure_by_code(app) -> Callable:
    from tracker.portfolio.models import Measure

    def _get(code: str) -> Measure:
        return _db.session.scalar(sa.select(Measure).where(Measure.code == code))

    return _get


@pytest.fixture(scope="session")
def tmp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="tracker-test-"))


class _CollectingHandler:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ARG002 - aiosmtpd's hook name
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"


@pytest.fixture()
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on a free local port; the app is pointed at it.

    Yields the handler: `smtp_server.messages` is a list of {"from", "to", "message"}.
    """
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    old = {
        key: app.config.get(key)
        for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_STARTTLS", "MAIL_USE_SSL", "MAIL_USERNAME")
    }
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_STARTTLS=False, MAIL_USE_SSL=False, MAIL_USERNAME=None
    )
    handler.port = port
    try:
        yield handler
    finally:
        controller.stop()
        app.config.update(old)
