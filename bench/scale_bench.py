"""Scale benchmark: every main page for the Elverum portfolio (44 measures) and a generated one of
5 000 measures, each with six years of plans, 24 quarters of figures and status updates,
milestones, risks and 48 audit entries per measure.

Per page and size: p50/p95 over HTTP (gunicorn with the project's gunicorn.conf.py, 2 workers,
wrk with one connection per worker, so that latency is the page's and not a queue's), the size of its HTML, and the SQL statements one request issues, both
when it computes its read model (the first request after a change of data) and when it reuses it
(counted in-process with Flask's test client). Goals at 5 000 measures: p95 ≤ 150 ms on every
page, no page over 1 MB, and as many statements as for 44 measures.

    .venv/bin/python -m bench.scale_bench [--measures 5000] [--seconds 3]
"""

import argparse
import shutil
import sys
import time

from sqlalchemy import func, select

from bench import server
from bench.common import (
    BENCH_PASSWORD,
    BENCH_USER,
    MAIN_PAGES,
    count_statements,
    resolve_pages,
    seed_database,
    temp_dir,
)
from bench.common import table as markdown_table
from bench.generate import generate
from tracker.extensions import db
from tracker.portfolio.models import Measure
from tracker.readmodel.cache import store

GOAL_P95_MS = 150.0
GOAL_HTML_BYTES = 1_000_000


def _middle_measure(app) -> int:
    """A measure in the middle of the portfolio (it has every kind of row)."""
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Measure))
        return db.session.scalar(select(Measure.id).order_by(Measure.id).offset(count // 2).limit(1))


def in_process(app, pages) -> dict[str, dict]:
    """Per page: statements computing and reusing the read model, the first request's ms, HTML bytes."""
    client = app.test_client()
    if client.post("/login", data={"username": BENCH_USER, "password": BENCH_PASSWORD}).status_code != 302:
        raise RuntimeError("Log-in failed")
    found = {}
    with app.app_context():
        engine = db.engine
        for label, path in pages:
            client.get(path)  # templates compiled, the session touched
            store().entries.clear()
            with count_statements(engine) as computing:
                started = time.perf_counter()
                client.get(path)
                first_ms = (time.perf_counter() - started) * 1000
            with count_statements(engine) as reusing:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered HTTP {response.status_code}")
            found[label] = {
                "statements": (len(computing), len(reusing)),
                "first_ms": first_ms,
                "html_bytes": len(response.data),
            }
        db.engine.dispose()
    return found


def over_http(database_url: str, pages, seconds: float, connections: int) -> dict[str, dict]:
    """Per page: wrk's p50/p95 against gunicorn, after every worker has computed its read model."""
    port = server.free_port()
    process = server.start_gunicorn(database_url, 2, port)
    try:
        cookie = server.log_in(port)
        for _, path in pages:
            server.warm(port, path, cookie, workers=2)
        return {label: server.wrk(port, path, cookie, connections, seconds) for label, path in pages}
    finally:
        server.stop(process)


def measure_portfolio(n_measures: int, seconds: float, connections: int) -> dict[str, dict]:
    """Build a portfolio of n measures and measure every main page."""
    folder = temp_dir(f"scale{n_measures}")
    database_url = f"sqlite:///{folder / 'scale.sqlite'}"
    app = seed_database(database_url)
    try:
        with app.app_context():  # Elverum's 44 measures get the same kinds of rows as generated ones
            started = time.perf_counter()
            rows = generate(n_measures)
            print(f"  {n_measures} tiltak generert på {time.perf_counter() - started:.1f} s: {rows}")
            db.engine.dispose()
        pages = resolve_pages(app, MAIN_PAGES, measure_id=_middle_measure(app))
        results = in_process(app, pages)
        for label, figures in over_http(database_url, pages, seconds, connections).items():
            results[label].update(figures)
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _row(label: str, little: dict, big: dict) -> tuple[list[str], bool]:
    fast = big["p95_ms"] <= GOAL_P95_MS
    small = big["html_bytes"] <= GOAL_HTML_BYTES
    same = big["statements"] == little["statements"]
    errors = little["errors"] + big["errors"]
    row = [
        label,
        f"{little['p50_ms']:.0f} / {little['p95_ms']:.0f}",
        f"{big['p50_ms']:.0f} / {big['p95_ms']:.0f}",
        f"{big['rps']:.0f}",
        f"{little['html_bytes'] / 1024:.0f} / {big['html_bytes'] / 1024:.0f}",
        "{} → {}".format(*(" / ".join(map(str, size["statements"])) for size in (little, big))),
        f"{big['first_ms']:.0f}",
        " / ".join("ja" if ok else "NEI" for ok in (fast, small, same)) + (f", {errors} feil" if errors else ""),
    ]
    return row, fast and small and same and not errors


def run(n_measures: int = 5000, seconds: float = 3.0, connections: int = 2) -> bool:
    """Measure both portfolios, print the comparison; True when every goal is met."""
    before = server.load_average()
    print(f"\nSkala: Elverum (44 tiltak) mot {n_measures} genererte tiltak, alle hovedsidene")
    little = measure_portfolio(44, seconds, connections)
    big = measure_portfolio(n_measures, seconds, connections)
    body, ok = [], True
    for label in big:
        row, met = _row(label, little[label], big[label])
        body.append(row)
        ok = ok and met
    print(
        f"HTTP: gunicorn 2 workers, wrk {connections} connections, {seconds:g} s per side; load average før {before}, "
        f"etter {server.load_average()}"
    )
    header = [
        "side",
        "44: p50 / p95 ms",
        f"{n_measures}: p50 / p95 ms",
        f"{n_measures}: req/s",
        "HTML KB 44 / " + str(n_measures),
        "SQL-setninger 44 → " + str(n_measures) + " (beregner / gjenbruker)",
        f"første etter endring, ms ({n_measures})",
        "mål: p95 ≤ 150 ms / ≤ 1 MB / setninger konstant",
    ]
    print(markdown_table(body, header))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=5000, help="measures in the generated portfolio")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of wrk load per page (default 3)")
    # As many connections as workers: each request is served at once, so p50/p95 are the pages'
    # own latency over HTTP; more connections than workers would add their queueing time.
    parser.add_argument("--connections", type=int, default=2, help="wrk's connections (default 2, one per worker)")
    args = parser.parse_args(argv)
    server.require_wrk()
    return 0 if run(args.measures, args.seconds, args.connections) else 1


if __name__ == "__main__":
    sys.exit(main())
