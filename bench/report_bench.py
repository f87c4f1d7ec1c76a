"""Report benchmark: building both quarterly reports (politicians and AMU: snapshot, PDF and HTML,
archived) for the Elverum portfolio and for a generated portfolio of 2 000 measures.

Each build runs in a fresh child process on a prepared SQLite file, so its peak memory (the
process's peak resident set size) is the build's own, not the data generation's. Goals: under
2 s for Elverum; under 30 s and 300 MB for 2 000 measures.

    .venv/bin/python -m bench.report_bench [--measures 2000] [--period 2026-Q3]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from bench.common import ROOT, seed_database, temp_dir
from bench.common import table as markdown_table

AUDIENCES = ("politikere", "amu")
GOALS = {44: (2.0, None), 2000: (30.0, 300.0)}


def _status_mb(field: str) -> float:
    """A memory field of /proc/self/status in MB (Linux): VmRSS now, VmHWM the peak.

    Not getrusage's ru_maxrss: Linux carries the parent's size at fork into the child's maxrss, so
    a child started by a big parent would report the parent's size.
    """
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(database_url: str, period_key: str) -> dict:
    """In the child process: build both reports once; seconds and memory as a dict."""
    from config import TestingConfig
    from tracker import create_app
    from tracker.accounts.permissions import SYSTEM
    from tracker.extensions import db
    from tracker.periods import Quarter
    from tracker.portfolio.queries import current_programme
    from tracker.reports.services import build_report

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    period = Quarter.parse(period_key)
    result = {"seconds": {}, "cpu_seconds": {}, "pdf_kb": {}}
    with app.app_context():
        programme = current_programme()
        result["rss_before_mb"] = _status_mb("VmRSS")
        started_all = time.perf_counter()
        for audience in AUDIENCES:
            started, started_cpu = time.perf_counter(), time.process_time()
            report = build_report(programme, period, audience, SYSTEM)
            db.session.commit()
            result["seconds"][audience] = time.perf_counter() - started
            # CPU time moves much less than wall-clock time with the machine's load.
            result["cpu_seconds"][audience] = time.process_time() - started_cpu
            result["pdf_kb"][audience] = len(report.pdf_bytes) / 1024
        result["total_s"] = time.perf_counter() - started_all
    result["peak_rss_mb"] = _status_mb("VmHWM")
    return result


def measure(n_measures: int, period_key: str) -> dict:
    """Prepare a portfolio of n measures, then build its reports in a child process."""
    from bench.generate import generate
    from tracker.extensions import db

    folder = temp_dir(f"report{n_measures}")
    database_url = f"sqlite:///{folder / 'report.sqlite'}"
    app = seed_database(database_url)
    if n_measures > 44:
        with app.app_context():
            generate(n_measures)
    with app.app_context():
        db.engine.dispose()
    command = [sys.executable, "-m", "bench.report_bench", "--child", database_url, "--period", period_key]
    try:
        output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if output.returncode != 0:
        raise RuntimeError(f"The report build failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def run(n_measures: int = 2000, period_key: str = "2026-Q3") -> bool:
    before = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nRapporter: begge kvartalsrapportene ({' og '.join(AUDIENCES)}) for {period_key}, PDF og HTML")
    body, ok = [], True
    for count in (44, n_measures):
        result = measure(count, period_key)
        max_s, max_mb = GOALS.get(count, (None, None))
        fast = max_s is None or result["total_s"] < max_s
        small = max_mb is None or result["peak_rss_mb"] < max_mb
        ok = ok and fast and small
        goal = []
        if max_s is not None:
            goal.append(f"< {max_s:g} s: {'ja' if fast else 'NEI'}")
        if max_mb is not None:
            goal.append(f"< {max_mb:g} MB: {'ja' if small else 'NEI'}")
        body.append(
            [
                "Elverum (44)" if count == 44 else f"generert ({count})",
                f"{result['total_s']:.2f}",
                " / ".join(f"{result['seconds'][a]:.2f}" for a in AUDIENCES),
                " / ".join(f"{result['cpu_seconds'][a]:.2f}" for a in AUDIENCES),
                f"{result['peak_rss_mb']:.0f} ({result['peak_rss_mb'] - result['rss_before_mb']:+.0f})",
                " / ".join(f"{result['pdf_kb'][a]:.0f}" for a in AUDIENCES),
                ", ".join(goal),
            ]
        )
    header = [
        "portefølje",
        "tid begge, s",
        "politikere / AMU, s",
        "CPU-tid politikere / AMU, s",
        "topp minne MB (økning)",
        "PDF KB",
        "mål",
    ]
    print(f"load average før {before}, etter " + ", ".join(f"{value:.1f}" for value in os.getloadavg()))
    print(markdown_table(body, header))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=2000, help="measures in the generated portfolio")
    parser.add_argument("--period", default="2026-Q3", help="the quarter reported on (default 2026-Q3)")
    parser.add_argument("--child", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.period)))
        return 0
    return 0 if run(args.measures, args.period) else 1


if __name__ == "__main__":
    sys.exit(main())
