"""Shared pieces of the benchmarks: a temporary database with the Elverum portfolio, the pages
measured, percentiles and a SQL statement counter. Everything stays on this machine (loopback)."""

import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "data" / "omstilling-2025.json"
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-passord-2026"
# The pages every benchmark measures: (label, candidate endpoints, the id it takes: True or
# "measure_id" for a measure's, "meeting_id" for a meeting's (bench.generate makes one), False for none).
# The first candidate endpoint that exists in the app is used; pages not built yet are skipped.
PAGES = (
    ("dashbord", ("benefits.dashboard", "main.dashboard", "benefits.index"), False),
    ("porteføljeoversikt", ("portfolio.overview",), False),
    ("tiltaksside", ("portfolio.measure",), True),
)
TRIVIAL = ("ping (triviell)", ("main.ping",), False)
# Every main page, for the scale benchmark.
MAIN_PAGES = (
    *PAGES,
    ("gevinstregnskap", ("benefits.ledger",), True),
    ("risikobildet", ("risks.portfolio",), False),
    ("perioder", ("benefits.periods",), False),
    ("endringslogg", ("audit.index",), False),
    ("til behandling", ("meetings.queue",), False),
    ("møte", ("meetings.meeting",), "meeting_id"),
    ("rapporter", ("reports.index",), False),
)


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"tracker-bench-{prefix}-"))


def seed_database(database_url: str, with_elverum: bool = True, **overrides):
    """Create the schema, import Elverum (optional) and an admin user; returns the app."""
    from config import TestingConfig
    from tracker import create_app
    from tracker.accounts.permissions import SYSTEM
    from tracker.accounts.services import create_user
    from tracker.extensions import db
    from tracker.measures.importing import import_file

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, **overrides)
    with app.app_context():
        db.create_all()
        if with_elverum:
            import_file(DATA_FILE, SYSTEM)
        create_user(BENCH_USER, BENCH_PASSWORD, "admin", full_name="Benchmark", actor=SYSTEM)
        db.session.commit()
    return app


def resolve_pages(app, pages=PAGES, measure_id: int | None = None) -> list[tuple[str, str]]:
    """[(label, path)] for the pages that exist in this app; per-measure pages show `measure_id`
    (by default the first measure, 1.1), the meeting page the first meeting."""
    from flask import url_for

    from tracker.extensions import db
    from tracker.portfolio.models import Measure

    resolved = []
    with app.app_context():
        ids = {
            "measure_id": measure_id or db.session.scalar(select(Measure.id).order_by(Measure.sort_key).limit(1)),
            "meeting_id": _first_meeting_id(db),
        }
        with app.test_request_context():
            for label, endpoints, takes_id in pages:
                endpoint = next((name for name in endpoints if name in app.view_functions), None)
                name = "measure_id" if takes_id is True else takes_id
                if endpoint is None or (name and ids[name] is None):
                    print(f"  ({label}: ikke bygget ennå, hoppes over)")
                    continue
                args = {name: ids[name]} if name else {}
                resolved.append((label, url_for(endpoint, **args)))
    return resolved


def _first_meeting_id(db) -> int | None:
    table = db.metadata.tables.get("meetings")
    if table is None:
        return None
    return db.session.scalar(select(table.c.id).order_by(table.c.id).limit(1))


def percentile(values: list[float], pct: int) -> float:
    """The pct-th percentile (inclusive method); 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


@contextmanager
def count_statements(engine) -> Iterator[list[str]]:
    """Collect every SQL statement the engine executes inside the block."""
    statements: list[str] = []

    def _before(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _before)


def table(rows: list[list[str]], header: list[str]) -> str:
    """A plain Markdown table (also readable in a terminal)."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
