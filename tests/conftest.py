"""Shared fixtures. Every database test runs on SQLite and, when reachable, on PostgreSQL.

The schema is created once per backend; after each test every table is emptied, so tests may
commit (as views do) and use several connections, threads or app instances on one database.
Test data comes from factories (make_user, make_programme, make_measure, make_figures,
make_update) built on the real services; `clock` fixes today's date.
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner

from config import TestingConfig
from tests.helpers import DATA_FILE, TEST_PASSWORD, empty_all_tables, postgres_url
from tests.oidc import runner as oidc_runner
from tracker import create_app, periods
from tracker.accounts.permissions import SYSTEM
from tracker.benefits import services as benefits
from tracker.extensions import db as _db
from tracker.measures.importing import import_document, import_file
from tracker.periods import Quarter
from tracker.portfolio.models import GroupRequirement, Measure, Programme, ProgrammeTarget, WorkGroup
from tracker.portfolio.queries import programme_by_key
from tracker.updates import services as updates

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


class FreshTransactionRunner(FlaskCliRunner):
    """A CLI runner whose every command starts with no transaction open, as a new process does.

    Tests share one session with the commands they invoke; a read the test made since its last
    commit would otherwise still be open, and a command marked `@writes` refuses to start inside it.
    """

    def invoke(self, *args, **kwargs):
        if has_app_context():
            _db.session.rollback()
        return super().invoke(*args, **kwargs)


@pytest.fixture(scope="session")
def _schema(make_app):
    app = make_app()
    app.test_client_class = FreshGlobalsClient
    app.test_cli_runner_class = FreshTransactionRunner
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    return app


@pytest.fixture()
def app(_schema):
    with _schema.app_context():
        yield _schema
        _db.session.remove()
        empty_all_tables()


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
def csrf_app(make_app, app):  # noqa: ARG001 (app: the schema, emptied after the test)
    """A second app instance (a worker of its own) with CSRF protection on, as in production."""
    protected = make_app(WTF_CSRF_ENABLED=True)
    yield protected
    with protected.app_context():
        _db.engine.dispose()


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
    """The Elverum portfolio imported from the shipped data file; returns the Programme.

    About 0,6 s: only for tests about Elverum's own data (the report's totals, import and export,
    demo data). Other tests build what they need with make_measure and friends below.
    """
    result = import_file(DATA_FILE, SYSTEM)
    _db.session.commit()
    return programme_by_key(result.programme)


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


# --- single sign-on: a real OpenID provider on this machine ---------------------------------


@pytest.fixture(scope="session")
def oidc_providers(tmp_path_factory) -> Iterator[Callable]:
    """oidc_providers(*redirect_uris) → the local OpenID provider (npm oidc-provider on node) for them.

    One provider per set of redirect URIs, started on first use and stopped when the session ends.
    Without node and npm the tests that need it are skipped (an error when REQUIRE_OIDC_PROVIDER is set).
    """
    running: dict[tuple[str, ...], oidc_runner.OidcProvider] = {}
    folder = tmp_path_factory.mktemp("oidc")

    def _start(*redirect_uris: str) -> oidc_runner.OidcProvider:
        if redirect_uris not in running:
            try:
                running[redirect_uris] = oidc_runner.start(list(redirect_uris), folder)
            except oidc_runner.ProviderUnavailable as exc:
                if os.environ.get("REQUIRE_OIDC_PROVIDER"):
                    raise
                pytest.skip(str(exc))
        return running[redirect_uris]

    yield _start
    for provider in running.values():
        provider.stop()


@pytest.fixture()
def oidc_provider(app, oidc_providers) -> Iterator[oidc_runner.OidcProvider]:
    """The local OpenID provider, with the test app set up to sign in with it for this test."""
    provider = oidc_providers(oidc_runner.TEST_CLIENT_CALLBACK)
    settings = provider.config()
    old = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        yield provider
    finally:
        app.config.update(old)


# --- the clock ---------------------------------------------------------------------------------

TODAY = date(2026, 11, 23)  # the 4th quarter of 2026 in Oslo


class Clock:
    """The day every caller of tracker.periods sees as today; `set(day)` moves it."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.set(TODAY)

    def set(self, day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 12, 0, tzinfo=periods.OSLO)
        self.today = day
        self._monkeypatch.setattr(
            periods, "now_oslo", lambda now_dt=None: now_dt.astimezone(periods.OSLO) if now_dt else moment
        )


@pytest.fixture()
def clock(monkeypatch) -> Clock:
    """Freeze "now" at noon on TODAY (2026-11-23, 2026-Q4) in Europe/Oslo; clock.set(day) moves it."""
    return Clock(monkeypatch)


# --- factories: small, explicit data built through the real services -------------------------

# The programme make_programme builds unless told otherwise: 2026-2029, 2 000 000 kr to save by
# 2029, group 1 must save 1 000 000 kr and group 2 500 000 kr.
PROGRAMME = {
    "name": "Omstilling test",
    "municipality": "Testkommune",
    "start_year": 2026,
    "end_year": 2029,
    "targets_nok": {2029: 2_000_000},
    "groups": {1: ("Barnehage og skole", 1_000_000), 2: ("Helse og omsorg", 500_000)},
}


def _mnok(saving_nok: int) -> Decimal:
    """A saving in kroner as the data file's mill. kr with the report's sign (negative = saving)."""
    return Decimal(-saving_nok) / 1_000_000


def _programme_section(spec: dict) -> tuple[dict, list[dict]]:
    """The programme and groups of a portfolio document (the import's format) for a spec."""
    programme = {
        "name": spec["name"],
        "municipality": spec["municipality"],
        "plan_period": [spec["start_year"], spec["end_year"]],
        "target_mnok": {str(year): _mnok(nok) for year, nok in spec["targets_nok"].items()},
    }
    groups = [
        {"number": number, "name": name, "savings_requirement_mnok": None if nok is None else _mnok(nok)}
        for number, (name, nok) in spec["groups"].items()
    ]
    return programme, groups


@pytest.fixture()
def make_programme(app) -> Callable:
    """make_programme(**spec) → a committed Programme with its targets and work groups, no measures.

    The spec's keys are PROGRAMME's; savings are positive kroner. Measures come from make_measure,
    which imports them into the programme made last (or the default one).
    """
    made: list[dict] = []

    def _make(**overrides) -> Programme:
        spec = {**PROGRAMME, **overrides}
        programme = Programme(
            name=spec["name"],
            municipality=spec["municipality"],
            start_year=spec["start_year"],
            end_year=spec["end_year"],
            targets=[ProgrammeTarget(year=year, savings_target_nok=nok) for year, nok in spec["targets_nok"].items()],
            groups=[
                WorkGroup(
                    number=number,
                    name=name,
                    savings_requirement_nok=nok,
                    # As the import does: the requirement applies in every year with a target.
                    requirements=[GroupRequirement(year=year, requirement_nok=nok) for year in spec["targets_nok"]]
                    if nok is not None
                    else [],
                )
                for number, (name, nok) in spec["groups"].items()
            ],
        )
        _db.session.add(programme)
        _db.session.commit()
        made.append(spec)
        return programme

    _make.made = made
    return _make


@pytest.fixture()
def make_measure(make_programme) -> Callable:
    """make_measure(code, plan={year: saving_nok}, status=…, owner=…, **fields) → a committed Measure.

    The measure is imported through the portfolio import (a one-measure document) into the last
    programme make_programme made, or a default one. Its group is the number before the dot of
    its code; `fields` are the data file's measure fields (title, milestones, kpis, …).
    The import makes every measure `utredet`; `status` and `owner` are then set directly, as
    the portfolio's forms do for users.
    """

    def _make(code: str = "1.1", plan: dict[int, int] | None = None, status: str | None = None, owner=None, **fields):
        if not make_programme.made:
            make_programme()
        programme, groups = _programme_section(make_programme.made[-1])
        raw = {
            "code": code,
            "group": int(code.split(".")[0]),
            "title": f"Tiltak {code}",
            "net_cost_change_mnok": {str(year): _mnok(nok) for year, nok in (plan or {}).items()},
            **fields,
        }
        import_document({"programme": programme, "groups": groups, "measures": [raw]}, SYSTEM)
        measure = _db.session.scalar(
            sa.select(Measure).join(Programme).where(Programme.name == programme["name"], Measure.code == code)
        )
        if status is not None:
            measure.status = status
        if owner is not None:
            measure.owner = owner
        _db.session.commit()
        return measure

    return _make


@pytest.fixture()
def adopt(app) -> Callable:
    """adopt(programme, codes, except_codes=(), decided=15.12.2025) → the AdoptionResult: a scenario of `codes`
    ("all": every measure but `except_codes`) adopted through the scenario services (issue 11), committed."""
    from tracker.scenarios import services as scenarios

    def _adopt(programme: Programme, codes="all", except_codes=(), decided: date = date(2025, 12, 15)):
        if codes == "all":
            measures = _db.session.scalars(sa.select(Measure).where(Measure.programme_id == programme.id))
            codes = sorted(m.code for m in measures if m.code not in except_codes)
        scenario = scenarios.create_scenario(programme, f"Vedtatt {len(codes)}", codes, SYSTEM)
        result = scenarios.adopt_scenario(scenario, "KS-sak 100/25", decided, SYSTEM)
        _db.session.commit()
        return result

    return _adopt


@pytest.fixture()
def make_figures() -> Callable:
    """make_figures(measure, quarter, realised_nok, forecast_nok, …, by=None, approved_by=None) → the figure.

    Stored through benefits.record_figures (so the rules check it) by `by`, else the measure's
    owner, else SYSTEM, and committed; `approved_by` then approves it through benefits.approve_figure.
    `later` is {later year: forecast}; `one_off` the one-off part of realised.
    """

    def _make(
        measure,
        quarter: Quarter,
        realised_nok: int,
        forecast_nok: int,
        explanation: str = "",
        action: str = "",
        *,
        by=None,
        approved_by=None,
        reason: str = "",
        later: dict[int, int] | None = None,
        one_off: int = 0,
    ):
        data = benefits.FigureInput(realised_nok, forecast_nok, explanation, action, "", reason, one_off, later or {})
        figure = benefits.record_figures(measure, quarter, data, by or measure.owner or SYSTEM)
        if approved_by is not None:
            benefits.approve_figure(figure, approved_by)
        _db.session.commit()
        return figure

    return _make


@pytest.fixture()
def make_update() -> Callable:
    """make_update(measure, quarter, confidence="gul", by=None, submit=True, **texts) → the StatusUpdate.

    Saved through updates.save_update and committed; `by` defaults to the measure's owner, else SYSTEM.
    """

    def _make(measure, quarter: Quarter, confidence: str = "gul", *, by=None, submit: bool = True, **texts):
        author = by or measure.owner or SYSTEM
        update = updates.save_update(measure, quarter, author, {"confidence": confidence, **texts}, submit=submit)
        _db.session.commit()
        return update

    return _make


@pytest.fixture()
def make_api_token(make_user) -> Callable:
    """make_api_token(user_or_role="leser", name="Power BI") → the secret of a committed API token.

    Made through api_tokens.create_token as SYSTEM (what `flask api-tokens create` does).
    """
    from tracker.api_tokens.services import create_token

    def _make(user="leser", name: str = "Power BI") -> str:
        owner = make_user(user) if isinstance(user, str) else user
        _token, secret = create_token(owner, name, SYSTEM)
        _db.session.commit()
        return secret

    return _make


# --- two programmes side by side --------------------------------------------------------------

# The next programme: 2027-2030, 1 000 000 kr to save by 2030; its own groups 1 and 3. Newer than
# PROGRAMME (a later plan period), so it is the default for everyone who has chosen none.
NEXT_PROGRAMME = {
    "name": "Omstilling 2027",
    "municipality": "Testkommune",
    "start_year": 2027,
    "end_year": 2030,
    "targets_nok": {2030: 1_000_000},
    "groups": {1: ("Oppvekst", 400_000), 3: ("Teknisk", 300_000)},
}


@pytest.fixture()
def two_programmes(make_programme, make_measure, make_user):
    """PROGRAMME and NEXT_PROGRAMME with two adopted measures each; both have a measure 1.1.

    Returns {"first": Programme, "next": Programme, "owner": the owner of one measure in each,
    "measures": {(programme name, code): Measure}}. Planned savings, by hand:
    first  2026: 300 000 (1.1) + 200 000 (2.1) = 500 000; 2029: 600 000 (1.1)
    next   2027: 500 000 (1.1) + 250 000 (3.1) = 750 000; 2030: 700 000 (1.1)
    """
    owner = make_user("tiltaksansvarlig", "eier", full_name="Eva Eier")
    first = make_programme()
    measures = {
        (first.name, "1.1"): make_measure(
            "1.1", {2026: 300_000, 2029: 600_000}, "vedtatt", owner, title="Skolestruktur", significant_org_risk=True
        ),
        (first.name, "2.1"): make_measure("2.1", {2026: 200_000}, "vedtatt", title="Færre institusjonsplasser"),
    }
    following = make_programme(**NEXT_PROGRAMME)
    measures[(following.name, "1.1")] = make_measure(
        "1.1", {2027: 500_000, 2030: 700_000}, "vedtatt", title="Digital hjemmetjeneste"
    )
    measures[(following.name, "3.1")] = make_measure(
        "3.1", {2027: 250_000}, "vedtatt", owner, title="Samlokalisering av verksteder", significant_org_risk=True
    )
    return {"first": first, "next": following, "owner": owner, "measures": measures}
