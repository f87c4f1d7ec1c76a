"""gunicorn and wrk for the benchmarks: start the app as in production, log in, load one URL.

gunicorn reads the project's gunicorn.conf.py (preload_app, the garbage collector's thresholds);
the benchmarks only choose the number of workers and a free port on 127.0.0.1. wrk (Debian's
package; `make bench` installs it) is the client: written in C, it takes far less of the shared
cores than a Python client would, and bench/wrk_report.lua prints its figures as JSON.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from bench.common import BENCH_PASSWORD, BENCH_USER, ROOT

HOST = "127.0.0.1"
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, to print next to every figure."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is missing: `make wrk` installs Debian's package (or: apt-get install wrk).")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    """One request on a fresh connection: status, headers and body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
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
            key, _, val = value.split(";", 1)[0].partition("=")
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


def start_gunicorn(database_url: str, workers: int, port: int) -> subprocess.Popen:
    """gunicorn with the project's gunicorn.conf.py and the embedded default configuration."""
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="bench-secret-key", TRACKER_ENV="development")
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    command = [gunicorn, "--workers", str(workers), "--bind", f"{HOST}:{port}", "--log-level", "warning", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(600):
        try:
            if request(port, "GET", "/ping")[0] == 200:
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def check_page(port: int, path: str, cookie: str) -> int:
    """Request a page once; its size in bytes. A page that does not answer 200 stops the benchmark."""
    status, _, body = request(port, "GET", path, headers={"Cookie": cookie})
    if status != 200:
        raise RuntimeError(f"{path} answered HTTP {status}")
    return len(body)


def warm(port: int, path: str, cookie: str, workers: int, rounds: int = 4) -> None:
    """Have every worker compute its read model for `path` (and compile its templates) before it is measured.

    Requests one after another may all land on one worker (the one that was free first), so each
    round sends `workers` at once: while one worker is busy computing, the next request goes to another.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(rounds):
            list(pool.map(lambda _: check_page(port, path, cookie), range(workers)))


def wrk(port: int, path: str, cookie: str, connections: int, seconds: float, threads: int = 2) -> dict:
    """Load one URL with wrk for `seconds`: requests/second, p50/p95/p99 in ms, errors."""
    command = [
        require_wrk(),
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=30s",
        f"--script={WRK_SCRIPT}",
        f"--header=Cookie: {cookie}",
        f"http://{HOST}:{port}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result
