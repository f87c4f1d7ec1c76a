"""Run every benchmark once and print their tables (`make bench`). Exit 1 if a goal is missed."""

import os
import platform
import subprocess
import sys
import traceback
from datetime import UTC, datetime

from bench import http_bench, report_bench, scale_bench


def machine() -> str:
    """A one-line description of this machine, to print next to the figures."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        cpu = f"{len(names)} × {names[0]}" if names else cpu
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, Python {platform.python_version()}"


def commit() -> str:
    """The commit measured (with "+" when the work tree has changes)."""
    try:
        found = subprocess.run(["git", "describe", "--always", "--dirty=+"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return found.stdout.strip()


def main() -> int:
    print(f"Benchmarks {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}, code {commit()}")
    # Other processes on the machine move absolute numbers (and, less, the ratios): say how busy it was.
    print("Load average before (1/5/15 min): " + " / ".join(f"{value:.1f}" for value in os.getloadavg()))
    failed = 0
    for bench in (http_bench, scale_bench, report_bench):
        try:
            failed += bench.main([]) != 0
        except Exception:  # noqa: BLE001 - report it and go on with the next benchmark
            traceback.print_exc()
            failed += 1
    print("\nLoad average after (1/5/15 min): " + " / ".join(f"{value:.1f}" for value in os.getloadavg()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
