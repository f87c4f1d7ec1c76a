"""Accounting benchmark: import a generated ledger CSV of 500 000 lines (a municipality's year) on
SQLite, re-import it (every period replaced), and compute the comparison for mapped measures.

Goal (issue 17): the import takes seconds, streamed. Not part of the test suite.

    .venv/bin/python -m bench.accounting_bench [--lines 500000] [--mapped 44]
"""

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

from bench.common import seed_database, temp_dir
from tracker.accounting import services
from tracker.accounting.importing import import_ledger
from tracker.accounting.rules import FilterSpec
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db
from tracker.portfolio.queries import current_programme, load_measures

GOAL_IMPORT_S = 30.0


def write_ledger(path: Path, lines: int, year: int = 2024) -> None:
    """A plausible ledger: 300 ansvar, 120 arter, 40 funksjoner, amounts with øre, decimal comma."""
    rng = random.Random(17)
    ansvar = [str(1000 + 10 * i) for i in range(300)]
    arter = [str(10000 + 50 * i) for i in range(120)]
    funksjoner = [str(200 + 5 * i) for i in range(40)]
    per_period = lines // 12
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write("År;Periode;Ansvar;Art;Funksjon;Prosjekt;Beløp\r\n")
        for index in range(lines):
            period = min(index // per_period + 1, 12)
            amount = f"{rng.randint(-50_000, 400_000)},{rng.randint(0, 99):02d}"
            row = (year, period, rng.choice(ansvar), rng.choice(arter), rng.choice(funksjoner), "", amount)
            handle.write(";".join(map(str, row)) + "\r\n")


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s")
    return result, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--mapped", type=int, default=44)
    args = parser.parse_args()
    folder = temp_dir("accounting")
    try:
        app = seed_database(f"sqlite:///{folder / 'accounting.sqlite'}")
        path = folder / "hovedbok-2024.csv"
        _, written = timed(f"write {args.lines} lines CSV", lambda: write_ledger(path, args.lines))
        print(f"  file size {path.stat().st_size / 1e6:.1f} MB")
        with app.app_context():

            def run_import():
                result = import_ledger(path, "actual", SYSTEM, 0)
                db.session.commit()
                return result

            first, import_s = timed("import (empty database)", run_import)
            print(f"  {first.lines} lines, {len(first.periods)} periods")
            second, reimport_s = timed("re-import (every period replaced)", run_import)
            print(f"  {second.replaced_lines} lines replaced")
            programme = current_programme()
            for index, measure in enumerate(load_measures(programme)[: args.mapped]):
                spec = FilterSpec(ansvar=f"{1 + index % 9}*", art="10000-10999", funksjon=str(200 + 5 * (index % 40)))
                services.set_filters(measure, [spec], SYSTEM)
            db.session.commit()
            years = programme.plan_years
            timed(
                f"comparison for {args.mapped} mapped measures, {len(years)} years",
                lambda: services.programme_ledger(programme, years),
            )
            timed("the same again (cached until the next import)", lambda: services.programme_ledger(programme, years))
            one = load_measures(programme)[0]
            timed("comparison for one measure (measure page)", lambda: services.measure_ledger(one, years))
        ok = import_s < GOAL_IMPORT_S and reimport_s < GOAL_IMPORT_S
        print(f"goal: import under {GOAL_IMPORT_S:.0f} s: {'met' if ok else 'MISSED'}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
