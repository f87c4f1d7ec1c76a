"""axe-core (WCAG 2.1 A and AA) on every main page, in chromium."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/login", "/tilgjengelighet"])
def test_public_pages_have_no_wcag_violations(page, path):
    page.goto(path)
    assert_accessible(page)


def test_the_accessibility_statement_names_the_standard_and_how_to_report_problems(page):
    page.goto("/tilgjengelighet")
    assert page.get_by_role("heading", level=1).inner_text() == "Tilgjengelighetserklæring"
    assert page.get_by_text("WCAG 2.1").first.is_visible()
    assert page.get_by_role("heading", name="Tilbakemelding").is_visible()
    assert page.get_by_role("link", name="uutilsynet.no").get_attribute("href") == "https://www.uutilsynet.no/"


def test_every_page_links_to_the_accessibility_statement(logged_in):
    page = logged_in("leser")
    page.get_by_role("link", name="Tilgjengelighetserklæring").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tilgjengelighetserklæring"


def test_the_rejected_login_page_has_no_wcag_violations(page):
    page.goto("/login")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_text("Skriv brukernavnet ditt.").is_visible()
    assert_accessible(page)


PAGES_FOR_EVERY_ROLE = ["/portefolje/", "/portefolje/tiltak/{measure_1_1}", "/tilgjengelighet"]


@pytest.mark.parametrize("path", PAGES_FOR_EVERY_ROLE)
def test_main_pages_have_no_wcag_violations_for_an_admin(logged_in, live_server, path):
    page = logged_in("admin")
    page.goto(path.format(measure_1_1=live_server.measure_id("1.1")))
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)
