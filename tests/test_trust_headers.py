"""Security headers on every response, HSTS in production, Norwegian error pages."""

import pytest

from tracker.accounts.permissions import SYSTEM
from tracker.periods import Quarter
from tracker.reports import services as reports
from tracker.security import CONTENT_SECURITY_POLICY

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def test_the_policy_is_the_agreed_one():
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP


@pytest.mark.parametrize("path", ["/login", "/ping", "/finnes-ikke", "/static/css/tracker.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # HSTS only where HTTPS is certain


def test_hsts_is_sent_when_enabled(app, make_app):
    response = make_app(HSTS_ENABLED=True).test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_pages_of_a_logged_in_user_are_not_cached(client, make_user, login):
    make_user("leser", username="kari")
    login("kari")
    assert client.get("/portefolje/").headers["Cache-Control"] == "no-store"


def test_not_found_page_is_norwegian(client):
    response = client.get("/finnes-ikke")
    assert response.status_code == 404
    assert "Siden finnes ikke" in response.get_data(as_text=True)


@pytest.mark.parametrize("csrf_enabled", [False, True], ids=["csrf-off", "csrf-on"])
def test_too_large_upload_gets_a_clear_norwegian_page(app, make_app, csrf_enabled):
    small = make_app(MAX_CONTENT_LENGTH=1024 * 1024, WTF_CSRF_ENABLED=csrf_enabled)
    response = small.test_client().post("/login", data={"username": "x", "password": "y" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Filen er for stor" in page
    assert "høyst 1 MB" in page


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_used(make_app, make_user, db):
    from sqlalchemy import select

    from tracker.audit.models import AuditEntry

    make_user("leser", username="kari")
    proxied = make_app(TRUSTED_PROXY_COUNT=1)
    proxied.test_client().post(
        "/login", data={"username": "kari", "password": "feil"}, headers={"X-Forwarded-For": "10.1.2.3"}
    )
    assert db.session.scalar(select(AuditEntry.ip_address).where(AuditEntry.action == "login.failed")) == "10.1.2.3"


def _built_report(make_measure, db, audience: str):
    report = reports.build_report(make_measure().programme, Quarter(2026, 3), audience, SYSTEM)
    db.session.commit()
    return report


def test_no_download_is_cached(make_measure, db, client, make_user, login):
    """PDF, Excel and report HTML hold the portfolio: `Cache-Control: no-store` on each."""
    report = _built_report(make_measure, db, "amu")
    login(make_user("admin"))
    paths = ["/portefolje/eksport.xlsx", "/gevinster/eksport.xlsx", f"/rapporter/{report.id}.pdf"]
    for path in [*paths, f"/rapporter/{report.id}.html"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "attachment" in response.headers["Content-Disposition"], path
        assert response.headers["Cache-Control"] == "no-store", path


def test_the_report_html_names_its_charset_once(make_measure, db, client, make_user, login):
    report = _built_report(make_measure, db, "politikere")
    login(make_user("leser"))
    assert client.get(f"/rapporter/{report.id}.html").headers["Content-Type"] == "text/html; charset=utf-8"
