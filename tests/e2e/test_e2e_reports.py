"""axe-core (WCAG 2.1 A and AA) on the report pages and on the reports' HTML versions, charts included."""

import re

import pytest

from tests.e2e.conftest import assert_accessible, console_errors
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db
from tracker.periods import Quarter
from tracker.portfolio.queries import default_programme
from tracker.reports import services

pytestmark = pytest.mark.e2e
Q3 = Quarter(2026, 3)


@pytest.fixture(scope="module")
def reports(live_server):
    """Both reports for 3rd quarter 2026, the politicians' published; {audience: (id, html)}."""
    with live_server.app.app_context():
        programme = default_programme()
        built = {audience: services.build_report(programme, Q3, audience, SYSTEM) for audience in ("politikere", "amu")}
        services.publish_report(SYSTEM, built["politikere"])
        db.session.commit()
        found = {audience: (report.id, report.html_text) for audience, report in built.items()}
        db.session.remove()
    return found


def test_the_public_page_and_the_published_report_have_no_wcag_violations(page, reports):
    report_id, _ = reports["politikere"]
    response = page.goto("/offentlig/rapporter/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)
    console_errors(page)
    response = page.goto(f"/offentlig/rapporter/{report_id}.html")
    assert response.status == 200
    assert page.locator("svg[role=img]").count() == 2
    assert_accessible(page)
    assert console_errors(page) == []  # its own style is allowed by its Content-Security-Policy


def test_the_archive_with_reports_has_no_wcag_violations(page_as, reports):
    page = page_as("admin")
    page.goto("/rapporter/")
    # Other browser tests may have built earlier versions of the quarter: the published one is ours.
    assert page.get_by_role("button", name=re.compile(r"^Avpubliser 3\. kvartal 2026 versjon \d+$")).count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("audience", ["politikere", "amu"])
def test_the_html_versions_with_their_svg_charts_have_no_wcag_violations(page, reports, audience):
    _, html = reports[audience]
    page.set_content(html)
    assert page.locator("svg[role=img] > title").count() >= 1
    assert_accessible(page)
