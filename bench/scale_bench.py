"""Scale benchmark: the same pages for the Elverum portfolio (44 measures) and a generated one of
5 000 measures, each with six years of plans and 24 quarters of figures, status updates and
milestones. Prints p50/p95 per page (goal: under 300 ms at p95 for 5 000 measures) and the number
of SQL statements one request issues, which must not grow with the number of measures.

Pages are requested in-process with Flask's test client (no network), logged in as an admin.

    .venv/bin/python -m bench.scale_bench [--measures 5000] [--requests 20]
"""

import argparse
import shutil
import sys
import time

from bench.common import (
    BENCH_PASSWORD,
    BENCH_USER,
    PAGES,
    count_statements,
    percentile,
    resolve_pages,
    seed_database,
    temp_dir,
)
from bench.common import table as markdown_table

GOAL_P95_MS = 300.0


def _middle_measure_path(app, path: str) -> str:
    """Point the measure page at a measure in the middle of the portfolio (it has every kind of row)."""
    from sqlalchemy import func, select

    from tracker.extensions import db
    from tracker.portfolio.models import Measure

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Measure))
        middle = db.session.scalar(select(Measure.id).order_by(Measure.id).offset(count // 2).limit(1))
    return path.rsplit("/", 1)[0] + f"/{middle}"


def measure_portfolio(n_measures: int, requests: int) -> dict[str, dict]:
    """Build a portfolio of n measures; per page: statements per request, p50 and p95 in ms."""
    from bench.generate import generate
    from tracker.extensions import db

    folder = temp_dir(f"scale{n_measures}")
    app = seed_database(f"sqlite:///{folder / 'scale.sqlite'}")
    with app.app_context():
        started = time.perf_counter()
        rows = generate(n_measures)
        print(f"  {n_measures} tiltak generert på {time.perf_counter() - started:.1f} s: {rows}")
    pages = resolve_pages(app, PAGES)
    client = app.test_client()
    response = client.post("/login", data={"username": BENCH_USER, "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"Log-in failed (HTTP {response.status_code})")
    results = {}
    with app.app_context():
        engine = db.engine
    for label, path in pages:
        if label == "tiltaksside":
            path = _middle_measure_path(app, path)
        client.get(path)  # warm-up: template compilation, caches
        with count_statements(engine) as statements:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered HTTP {response.status_code}")
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        results[label] = {
            "path": path,
            "statements": len(statements),
            "p50_ms": percentile(timings, 50),
            "p95_ms": percentile(timings, 95),
        }
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return results


def run(n_measures: int = 5000, requests: int = 20) -> bool:
    """Measure both portfolios, print the comparison; True when both goals are met."""
    print(f"\nSkala: Elverum (44 tiltak) mot {n_measures} genererte tiltak, {requests} forespørsler per side")
    small = measure_portfolio(44, requests)
    large = measure_portfolio(n_measures, requests)
    body, ok = [], True
    for label, big in large.items():
        little = small[label]
        same = big["statements"] <= little["statements"]
        fast = big["p95_ms"] < GOAL_P95_MS
        ok = ok and same and fast
        body.append(
            [
                label,
                f"{big['p95_ms'] / little['p95_ms']:.1f}×",
                f"{little['p50_ms']:.0f} / {little['p95_ms']:.0f}",
                f"{big['p50_ms']:.0f} / {big['p95_ms']:.0f}",
                f"{little['statements']} → {big['statements']}",
                ("ja" if fast else "NEI") + " / " + ("ja" if same else "NEI"),
            ]
        )
    header = [
        "side",
        f"p95 {n_measures} / p95 44",
        "44: p50 / p95 ms",
        f"{n_measures}: p50 / p95 ms",
        "SQL-setninger 44 → " + str(n_measures),
        "mål: p95 < 300 ms / setninger konstant",
    ]
    print(markdown_table(body, header))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=5000, help="measures in the generated portfolio")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    args = parser.parse_args(argv)
    return 0 if run(args.measures, args.requests) else 1


if __name__ == "__main__":
    sys.exit(main())
