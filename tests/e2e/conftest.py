"""Browser fixtures: the tracker served on 127.0.0.1 from a file-based SQLite database of its own,
and Debian's chromium driven by Playwright.

The live server runs once per test session (werkzeug, threaded, in a background thread) with the
real forms: CSRF is on. The database holds the Elverum portfolio, an earlier programme that is
closed and empty (EARLIER_PROGRAMME: so every page's header has the programme switcher, while
Elverum, the newest open one, stays everyone's default) and one user per role; tests change
different measures so that they do not depend on each other's order.
"""

import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from config import TestingConfig
from tracker import create_app, periods
from tracker.accounting import services as accounting
from tracker.accounting.models import Deflator, LedgerLine
from tracker.accounting.rules import KIND_ACTUAL, KIND_BUDGET, FilterSpec
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db
from tracker.periods import Quarter

ROOT = Path(__file__).resolve().parents[2]
DATA_FILE = ROOT / "data" / "omstilling-2025.json"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-passord-2026"
# Username → (role, full name). The owner owns OWNED_CODES (adopted measures); the others own nothing.
USERS = {
    "admin": ("admin", "Ada Admin"),
    "leder": ("ledergruppe", "Lise Leder"),
    "eier": ("tiltaksansvarlig", "Ola Eier"),
    "leser": ("leser", "Live Leser"),
}
OWNED_CODES = ("1.1", "2.3", "3.1")
# (name, first plan year, last plan year): older than Elverum's, closed, no measures.
EARLIER_PROGRAMME = ("Omstilling 2021", 2021, 2024)
# The server's clock is pinned, so the figures the tests expect (plans for the current year,
# the quarter that is due) do not change with the date the suite runs on.
PINNED_NOW_UTC = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
QUARTER = Quarter.containing(PINNED_NOW_UTC.date())
_request_state = threading.local()


def pytest_collection_modifyitems(items):
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    for item in items:
        if item.get_closest_marker("e2e") or "/tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.skip(reason=f"chromium is not installed at {CHROMIUM} (make browser)"))


@dataclass
class LiveServer:
    url: str
    app: object

    def measure_id(self, code: str) -> int:
        """The database id of the measure with this code (for building URLs)."""
        from tracker.portfolio.models import Measure

        with self.app.app_context():
            return db.session.scalar(select(Measure.id).where(Measure.code == code))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _seed(app) -> None:
    from tracker.accounts.services import create_user
    from tracker.measures.importing import import_file
    from tracker.portfolio.models import Measure
    from tracker.portfolio.programmes import create_programme, set_closed
    from tracker.portfolio.services import change_status
    from tracker.scenarios import services as scenarios

    with app.app_context():
        db.create_all()
        set_closed(SYSTEM, create_programme(SYSTEM, *EARLIER_PROGRAMME), True)
        import_file(DATA_FILE, SYSTEM)
        users = {
            name: create_user(name, PASSWORD, role, full_name=full_name, actor=SYSTEM)
            for name, (role, full_name) in USERS.items()
        }
        for code in OWNED_CODES:
            measure = db.session.scalar(select(Measure).where(Measure.code == code))
            # Adopted, so the owner owes quarterly figures for it.
            change_status(measure, users["admin"], measure.version, "vedtatt", date(2026, 1, 15), "PS 1/26")
            measure.owner_id = users["eier"].id
        _seed_ledger(db.session.scalar(select(Measure).where(Measure.code == "1.1")))
        # A budget alternative on the menu, not adopted (so no figure changes): scenario 1 in the page lists.
        programme = db.session.scalar(select(Measure).where(Measure.code == "1.1")).programme
        scenarios.create_scenario(programme, "Forslag til budsjett", ["1.1", "1.2", "2.3", "4.3"], SYSTEM)
        db.session.commit()


# Measure 1.1's ledger (kind, year, period, kroner): 2024 as the baseline, 2026 up to October, a budget.
LEDGER = (
    *((KIND_ACTUAL, 2024, month, 100_000) for month in range(1, 13)),
    *((KIND_ACTUAL, 2026, month, 90_000) for month in range(1, 11)),
    (KIND_BUDGET, 2026, 0, 1_100_000),
)


def _seed_ledger(measure) -> None:
    """Map measure 1.1 to a small ledger, so the accounting panel, the dashboard's table and the pages show figures."""
    accounting.set_filters(measure, [FilterSpec(ansvar="41*")], SYSTEM)
    db.session.add_all(
        LedgerLine(kind=kind, year=year, period=period, ansvar="4100", art="10100", funksjon="202", amount_nok=amount)
        for kind, year, period, amount in LEDGER
    )
    db.session.add(Deflator(year=2025, rate_basis_points=430, source="Prop. 1 S (2024–2025)"))


def _pin_clock(app, monkeypatch) -> None:
    """Inside the live server's requests "now" is PINNED_NOW_UTC; everywhere else the real time.

    Only requests are pinned (a flag set by a WSGI wrapper in the request's thread), so the other
    tests of the session, which share this process, keep the real clock.
    """
    real_now_oslo = periods.now_oslo

    def now_oslo(now_dt=None):
        if now_dt is None and getattr(_request_state, "is_pinned", False):
            now_dt = PINNED_NOW_UTC
        return real_now_oslo(now_dt)

    monkeypatch.setattr(periods, "now_oslo", now_oslo)
    wsgi_app = app.wsgi_app

    def pinned_wsgi_app(environ, start_response):
        _request_state.is_pinned = True
        try:
            return wsgi_app(environ, start_response)
        finally:
            _request_state.is_pinned = False

    app.wsgi_app = pinned_wsgi_app


def _shared(config) -> dict:
    """One live server and one browser per test session, kept on pytest's config object.

    A test module outside tests/e2e that imports these fixtures registers them a second time, and
    imports this file under a second module name; Playwright's sync API cannot run twice at once
    in one process, and one seeded server is enough, so both registrations share these.
    """
    if not hasattr(config, "_tracker_e2e_shared"):
        config._tracker_e2e_shared = {}
    return config._tracker_e2e_shared


@pytest.fixture(scope="session")
def live_server(request, tmp_path_factory) -> Iterator[LiveServer]:
    """The tracker on http://127.0.0.1:<free port>, with CSRF on, until the session ends."""
    shared = _shared(request.config)
    if "live_server" in shared:
        yield shared["live_server"]
        return
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'e2e.sqlite'}",
        WTF_CSRF_ENABLED=True,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=_free_port(),  # nothing listens there: mail attempts fail fast, locally
    )
    _seed(app)
    monkeypatch = pytest.MonkeyPatch()
    _pin_clock(app, monkeypatch)
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    shared["live_server"] = LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    try:
        yield shared["live_server"]
    finally:
        del shared["live_server"]
        server.shutdown()
        thread.join(timeout=10)
        monkeypatch.undo()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser(request):
    """Debian's chromium, headless, driven by Playwright's sync API."""
    shared = _shared(request.config)
    if "browser" in shared:
        yield shared["browser"]
        return
    from playwright.sync_api import expect, sync_playwright

    # The machine running the suite may be busy: wait up to 10 s (as actions do) before failing.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield shared["browser"]
        finally:
            shared.pop("browser").close()


@pytest.fixture()
def new_page(browser, live_server) -> Iterator[Callable]:
    """new_page() → a page in a fresh browser context (own cookies), Norwegian locale."""
    contexts = []

    def _new():
        context = browser.new_context(base_url=live_server.url, locale="nb-NO", accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_page):
    return new_page()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form and wait until the landing page has loaded."""
    page.goto("/login")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"log-in as {username} failed: {page.content()[:500]}"


@pytest.fixture()
def logged_in(new_page) -> Callable:
    """logged_in(username) → a page in its own context, logged in as that user."""

    def _make(username: str):
        fresh = new_page()
        log_in(fresh, username)
        return fresh

    return _make


@pytest.fixture(scope="session")
def page_as(browser, live_server) -> Iterator[Callable]:
    """page_as(username) → one logged-in page per user, shared by read-only tests of the session."""
    cache: dict[str, object] = {}

    def _page(username: str):
        if username not in cache:
            context = browser.new_context(base_url=live_server.url, locale="nb-NO", accept_downloads=True)
            context.set_default_timeout(10_000)
            cache[username] = context.new_page()
            watch_console(cache[username])
            log_in(cache[username], username)
        return cache[username]

    yield _page
    for page in cache.values():
        page.context.close()


_CONSOLE_ERRORS: dict[int, list[str]] = {}


def watch_console(page) -> None:
    """Collect the page's console errors (a blocked inline script or style shows up there)."""
    errors = _CONSOLE_ERRORS.setdefault(id(page), [])
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))


def console_errors(page) -> list[str]:
    """The console errors since the last call (the list is emptied)."""
    errors = _CONSOLE_ERRORS.get(id(page), [])
    found, errors[:] = list(errors), []
    return found


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations on the page as readable lines (empty when there are none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    lines = []
    for violation in results.response["violations"]:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return lines


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"WCAG 2.1 A/AA violations on {page.url}:\n" + "\n".join(violations)
