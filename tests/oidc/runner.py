"""Runs the local OpenID provider (provider.js, the npm package oidc-provider) for the tests. Not a test module.

`start(redirect_uris, folder)` installs the pinned npm package when node_modules is missing,
starts node on a free port and waits until the provider answers. `OidcProvider.sign_in(url, login)`
walks the provider's own sign-in and consent pages over HTTP, as a browser would, and returns the
URL the provider sends the browser back to (the tracker's callback with code and state).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

OIDC_DIR = Path(__file__).resolve().parent
ACCOUNTS = json.loads((OIDC_DIR / "accounts.json").read_text(encoding="utf-8"))
TENANTS = ACCOUNTS["tenants"]
CLIENT_ID = "tracker-test"
CLIENT_SECRET = "tracker-test-secret-which-is-long-enough"
START_TIMEOUT_S = 30
# Where the Flask test client's app sends the provider's answer (url_for(..., _external=True)).
TEST_CLIENT_CALLBACK = "http://localhost/auth/oidc/callback"
FORM_ACTION_RE = re.compile(r'<form[^>]*action="([^"]+)"')


class ProviderUnavailable(RuntimeError):
    """node or npm is missing, or the provider did not start."""


def claims(login: str) -> dict:
    """The claims the provider puts in the ID token of this test account (tid resolved)."""
    account = dict(ACCOUNTS["accounts"][login])
    return {"tid": TENANTS.get(account.pop("tenant")), **account}


@dataclass
class OidcProvider:
    issuer: str
    process: subprocess.Popen
    log_path: Path
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    home_tenant: str = TENANTS["home"]

    def config(self, **overrides) -> dict:
        """The tracker's settings for signing in with this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_ALLOWED_TENANTS": [self.home_tenant],
            **overrides,
        }

    def sign_in(self, authorization_url: str, login: str, redirect_prefix: str) -> str:
        """Sign in as `login` on the provider's pages and consent; the URL it sends back to the tracker."""
        browser = requests.Session()
        url, data = authorization_url, None
        for _ in range(10):
            response = (
                browser.post(url, data=data, allow_redirects=False) if data else browser.get(url, allow_redirects=False)
            )
            if response.is_redirect:
                url, data = urljoin(url, response.headers["Location"]), None
                if url.startswith(redirect_prefix):
                    return url
                continue
            url, data = self._answer(response, login)
        raise AssertionError(f"the provider never sent the browser back: {url}")

    @staticmethod
    def _answer(response: requests.Response, login: str) -> tuple[str, dict]:
        """The form on a provider page filled in: the sign-in page takes any password."""
        action = FORM_ACTION_RE.search(response.text)
        if response.status_code != 200 or action is None:
            raise AssertionError(f"unexpected provider page {response.status_code}: {response.text[:500]}")
        if 'name="login"' in response.text:
            return urljoin(response.url, action.group(1)), {"prompt": "login", "login": login, "password": "x"}
        return urljoin(response.url, action.group(1)), {"prompt": "consent"}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def install() -> None:
    """npm ci from the committed lock file when node_modules is missing."""
    if (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise ProviderUnavailable("node and npm are needed for the single sign-on tests (Debian: nodejs, npm)")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise ProviderUnavailable(f"npm ci in {OIDC_DIR} failed:\n{result.stdout}\n{result.stderr}")


def start(redirect_uris: list[str], log_folder: Path) -> OidcProvider:
    """The provider on http://127.0.0.1:<free port>, its client allowed to return to `redirect_uris`."""
    install()
    port = free_port()
    log_path = log_folder / f"oidc-provider-{port}.log"
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": ",".join(redirect_uris),
    }
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(["node", "provider.js"], cwd=OIDC_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    provider = OidcProvider(issuer=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    _wait_until_ready(provider)
    return provider


def _wait_until_ready(provider: OidcProvider) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            break
        if "ready " in provider.log_path.read_text(encoding="utf-8"):
            return
        time.sleep(0.1)
    provider.stop()
    raise ProviderUnavailable(f"the OpenID provider did not start:\n{provider.log_path.read_text(encoding='utf-8')}")
