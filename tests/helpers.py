"""Plain values and functions the tests share; fixtures live in conftest.py. Not a test module."""

import os
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa

from tracker.audit.models import create_guard, drop_guard
from tracker.database_setup import write_transaction
from tracker.extensions import db
from tracker.readmodel.models import DataVersion

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "omstilling-2025.json"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEST_PASSWORD = "riktig-passord-123"


CSRF_TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_browser(csrf_app, username: str):
    """A browser of a CSRF-protected app, logged in through the form with the form's token."""
    browser = csrf_app.test_client()
    token = CSRF_TOKEN.search(browser.get("/login").get_data(as_text=True)).group(1)
    response = browser.post("/login", data={"username": username, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return browser


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


def empty_all_tables() -> None:
    """Delete every row of every table, children first.

    The audit table refuses DELETE (a trigger). PostgreSQL empties it with TRUNCATE, which is not
    a DELETE and fires no row trigger, so the guard stays in place. SQLite has no TRUNCATE: there
    the guard's triggers are dropped, every row deleted and the triggers created again in one
    BEGIN IMMEDIATE transaction, so no other connection ever sees the table unguarded.

    The data version is kept and bumped instead, as a write through the session would: ids start
    again after a TRUNCATE, so the next test's figures must not be served from this one's caches.
    """
    tables = [table for table in reversed(db.metadata.sorted_tables) if table.name != DataVersion.__tablename__]
    bump = sa.update(DataVersion).values(version=DataVersion.version + 1)
    with write_transaction(), db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            connection.execute(bump)
            return
        drop_guard(connection)
        for table in tables:
            connection.execute(table.delete())
        create_guard(connection)
        connection.execute(bump)


def other_writer_is_blocked(db) -> bool:
    """True when another SQLite connection cannot take the write lock right now."""
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    finally:
        other.close()


class _FormReader(HTMLParser):
    """The fields each <form> of a page would send, as a browser fills them in."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.forms[-1][self._textarea] = ""
        elif tag == "select":
            self._select, self._first_option = attrs.get("name"), None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.forms[-1].setdefault(self._select, value)
            if "selected" in attrs:
                self.forms[-1][self._select] = value

    def _input(self, attrs: dict) -> None:
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name or kind in ("submit", "button"):
            return
        if kind in ("radio", "checkbox"):
            if "checked" in attrs:
                self.forms[-1][name] = attrs.get("value", "y")
            return
        self.forms[-1][name] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            typed = self.forms[-1][self._textarea] + data
            # As in a browser: the newline right after <textarea> is not part of the value.
            self.forms[-1][self._textarea] = typed.removeprefix("\r\n") if typed.startswith("\r\n") else typed


def page_forms(html: str) -> list[dict[str, str]]:
    """The fields each <form> of a page sends, as a browser fills them in (tests that post a page's forms)."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms
