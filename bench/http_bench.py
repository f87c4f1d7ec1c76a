"""HTTP benchmark: pages against the trivial endpoint of the same app on the same gunicorn server.

gunicorn (the project's gunicorn.conf.py, 2 workers) serves the embedded default configuration
on 127.0.0.1 from a temporary SQLite file holding the Elverum portfolio with the demo data. wrk
(8 connections) loads one URL at a time in alternating rounds: the logged-in /ping, then each
page. A page's share is the median of its per-round shares of that round's /ping throughput, so
drifts in the machine's load cancel out. Goal: every page at least 50 % of the trivial endpoint.

    .venv/bin/python -m bench.http_bench [--seconds 10] [--rounds 5] [--connections 8] [--workers 2]
"""

import argparse
import shutil
import statistics
import sys

from bench import server
from bench.common import PAGES, TRIVIAL, resolve_pages, seed_database, temp_dir
from bench.common import table as markdown_table
from tracker.accounts.permissions import SYSTEM
from tracker.demo.services import load_demo
from tracker.extensions import db

GOAL_RATIO = 0.50


def _seed_elverum_with_demo_data(database_url: str):
    """Elverum and the demo data (owners, adoption, two quarters of figures), as a pilot would have."""
    app = seed_database(database_url)
    with app.app_context():
        load_demo(None, SYSTEM)
        db.session.commit()
        db.engine.dispose()  # gunicorn's workers open their own connections
    return app


def measure(seconds: float, connections: int, workers: int, rounds: int) -> dict[str, list[dict]]:
    """Per URL label, one wrk result per round."""
    server.require_wrk()
    folder = temp_dir("http")
    database_url = f"sqlite:///{folder / 'bench.sqlite'}"
    app = _seed_elverum_with_demo_data(database_url)
    urls = [*resolve_pages(app, (TRIVIAL,)), *resolve_pages(app, PAGES)]
    port = server.free_port()
    process = server.start_gunicorn(database_url, workers, port)
    results: dict[str, list[dict]] = {label: [] for label, _ in urls}
    try:
        cookie = server.log_in(port)
        for _, path in urls:
            server.warm(port, path, cookie, workers)
        for _ in range(rounds):
            for label, path in urls:
                results[label].append(server.wrk(port, path, cookie, connections, seconds / rounds))
    finally:
        server.stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    return {"urls": urls, "results": results}


def summarise(urls, results) -> list[dict]:
    trivial = results[TRIVIAL[0]]
    rows = []
    for label, path in urls:
        runs = results[label]
        shares = [run["rps"] / base["rps"] for run, base in zip(runs, trivial, strict=True)]
        rows.append(
            {
                "label": label,
                "path": path,
                "ratio": statistics.median(shares),
                "shares": shares,
                "rps": statistics.median(run["rps"] for run in runs),
                "p50_ms": statistics.median(run["p50_ms"] for run in runs),
                "p95_ms": statistics.median(run["p95_ms"] for run in runs),
                "errors": sum(run["errors"] for run in runs),
            }
        )
    return rows


def run(seconds: float = 10.0, connections: int = 8, workers: int = 2, rounds: int = 5) -> list[dict]:
    """Measure /ping and every page in alternating rounds; print and return the rows."""
    before = server.load_average()
    measured = measure(seconds, connections, workers, rounds)
    rows = summarise(measured["urls"], measured["results"])
    print(
        f"\nHTTP: gunicorn {workers} workers, wrk {connections} connections, {seconds:g} s per URL in {rounds} "
        f"rounds, Elverum (44 tiltak) med eksempeldata; load average før {before}, etter {server.load_average()}"
    )
    body = []
    for row in rows:
        is_trivial = row["label"] == TRIVIAL[0]
        body.append(
            [
                row["label"],
                row["path"],
                "100 %" if is_trivial else f"{row['ratio'] * 100:.0f} %",
                "–" if is_trivial else ", ".join(f"{share * 100:.0f}" for share in row["shares"]),
                f"{row['rps']:.0f}",
                f"{row['p50_ms']:.1f}",
                f"{row['p95_ms']:.1f}",
                str(row["errors"]),
                "–" if is_trivial else ("ja" if row["ratio"] >= GOAL_RATIO else "NEI"),
            ]
        )
    header = ["side", "sti", "andel av /ping", "per runde %", "req/s", "p50 ms", "p95 ms", "feil", "mål ≥ 50 %"]
    print(markdown_table(body, header))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of load per URL in all (default 10)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--connections", type=int, default=8, help="wrk's concurrent connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args(argv)
    rows = run(args.seconds, args.connections, args.workers, args.rounds)
    pages = [row for row in rows if row["label"] != TRIVIAL[0]]
    return 0 if all(row["ratio"] >= GOAL_RATIO for row in pages) and not any(row["errors"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
