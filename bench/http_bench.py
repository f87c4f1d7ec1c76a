"""HTTP benchmark: pages against a trivial endpoint of the same app on the same gunicorn server.

gunicorn (2 sync workers) serves the embedded default configuration on 127.0.0.1 with a temporary
SQLite file holding the Elverum portfolio. 8 client threads request one URL at a time for a bounded
time each; we print requests/second, its ratio to the trivial endpoint (/ping, which also loads the
logged-in user) and p50/p95 latency. Goal: every page at least 25 % of the trivial throughput.

    .venv/bin/python -m bench.http_bench [--seconds 6] [--rounds 3] [--clients 8] [--workers 2]
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from bench.common import (
    BENCH_PASSWORD,
    BENCH_USER,
    PAGES,
    ROOT,
    TRIVIAL,
    percentile,
    resolve_pages,
    seed_database,
    temp_dir,
)
from bench.common import table as markdown_table
from tracker.extensions import db

GOAL_RATIO = 0.25
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    """One request on a fresh connection (gunicorn's sync workers close after each response)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def _cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            found[key.strip()] = val.strip()
    return found


def log_in(port: int) -> str:
    """Log in through the real form (CSRF on); returns the Cookie header of the session."""
    status, headers, body = request(port, "GET", "/login")
    cookies = _cookies(headers)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body) or re.search(
        rb'name="csrf_token" value="([^"]+)"', body
    )
    if status != 200 or token is None:
        raise RuntimeError(f"Could not read the login form (HTTP {status})")
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1).decode(), "username": BENCH_USER, "password": BENCH_PASSWORD}
    )
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    headers_out = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    status, headers, _ = request(port, "POST", "/login", body=form, headers=headers_out)
    if status != 302:
        raise RuntimeError(f"Log-in failed (HTTP {status})")
    cookies.update(_cookies(headers))
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def raw_get(port: int, message: bytes) -> int:
    """Send a prepared GET and read the response to its end; returns the status code.

    Leaner than http.client, so that the load generator, which shares the machine with the
    server, spends as little CPU per request as it can.
    """
    with socket.create_connection((HOST, port), timeout=30) as connection:
        connection.sendall(message)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    head = b"".join(chunks[:1])[:12]
    return int(head[9:12]) if head.startswith(b"HTTP/") else 0


def load(port: int, path: str, cookie: str, clients: int, seconds: float) -> dict:
    """Run `clients` threads against one path for `seconds`; throughput and latency percentiles."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    message = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n".encode()

    def worker():
        mine, bad = [], []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status = raw_get(port, message)
            mine.append(time.perf_counter() - started)
            if status != 200:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": len(latencies) / elapsed, "elapsed": elapsed, "latencies": latencies, "errors": errors}


def start_gunicorn(database_url: str, workers: int, port: int, folder) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-secret-key",
        TRACKER_ENV="development",
    )
    command = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "wsgi:app",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(300):
        try:
            if request(port, "GET", "/ping")[0] == 200:
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run(seconds: float = 6.0, clients: int = 8, workers: int = 2, rounds: int = 3) -> list[dict]:
    """Measure the trivial endpoint and every page in alternating rounds; print and return rows.

    Each round measures /ping and then each page for seconds/rounds; a page's share is the median
    of its per-round shares of that round's /ping throughput, so slow drifts in the machine's load
    (other processes) cancel out instead of landing on whichever URL was measured last.
    """
    folder = temp_dir("http")
    database_url = f"sqlite:///{folder / 'bench.sqlite'}"
    app = seed_database(database_url)
    urls = [*resolve_pages(app, (TRIVIAL,)), *resolve_pages(app, PAGES)]
    with app.app_context():
        db.engine.dispose()  # gunicorn's workers open their own connections
    port = free_port()
    process = start_gunicorn(database_url, workers, port, folder)
    results: dict[str, list[dict]] = {label: [] for label, _ in urls}
    try:
        cookie = log_in(port)
        for _, path in urls:  # warm both workers' caches
            for _ in range(2 * workers):
                request(port, "GET", path, headers={"Cookie": cookie})
        for _ in range(rounds):
            for label, path in urls:
                results[label].append(load(port, path, cookie, clients, seconds / rounds))
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    trivial = results[TRIVIAL[0]]
    rows = []
    for label, path in urls:
        runs = results[label]
        latencies = [value for run_ in runs for value in run_["latencies"]]
        errors = [code for run_ in runs for code in run_["errors"]]
        shares = [run_["rps"] / base["rps"] for run_, base in zip(runs, trivial, strict=True)]
        rows.append(
            {
                "label": label,
                "path": path,
                "ratio": statistics.median(shares),
                "shares": shares,
                "rps": len(latencies) / sum(run_["elapsed"] for run_ in runs),
                "p50_ms": percentile(latencies, 50) * 1000,
                "p95_ms": percentile(latencies, 95) * 1000,
                "errors": len(errors),
                "error_codes": sorted(set(errors)),
            }
        )
    _print(rows, seconds, clients, workers, rounds)
    return rows


def _print(rows, seconds, clients, workers, rounds) -> None:
    print(
        f"\nHTTP: gunicorn {workers} workers, {clients} clients, {seconds:g} s per URL in {rounds} rounds, "
        "Elverum (44 tiltak)"
    )
    body = []
    for row in rows:
        goal = "–" if row["label"] == TRIVIAL[0] else ("ja" if row["ratio"] >= GOAL_RATIO else "NEI")
        errors = f"{row['errors']} {row['error_codes']}" if row["errors"] else "0"
        spread = "–" if row["label"] == TRIVIAL[0] else ", ".join(f"{share * 100:.0f}" for share in row["shares"])
        body.append(
            [
                row["label"],
                row["path"],
                f"{row['ratio'] * 100:.0f} %",
                spread,
                f"{row['rps']:.0f}",
                f"{row['p50_ms']:.1f}",
                f"{row['p95_ms']:.1f}",
                errors,
                goal,
            ]
        )
    header = ["side", "sti", "andel av triviell", "per runde %", "req/s", "p50 ms", "p95 ms", "feil", "mål ≥ 25 %"]
    print(markdown_table(body, header))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds of load per URL in all (default 6)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args(argv)
    rows = run(args.seconds, args.clients, args.workers, args.rounds)
    return 0 if all(row["ratio"] >= GOAL_RATIO and not row["errors"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
