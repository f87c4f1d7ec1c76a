"""Run every benchmark once and print their tables (`make bench`). Exit 1 if a goal is missed."""

import platform
import sys
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


def main() -> int:
    print(f"Benchmarks {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}")
    results = [
        http_bench.main([]),
        scale_bench.main([]),
        report_bench.main([]),
    ]
    return 1 if any(results) else 0


if __name__ == "__main__":
    sys.exit(main())
