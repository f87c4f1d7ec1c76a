"""axe-core (WCAG 2.1 A and AA) on every main page, for the roles that use it, in chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import QUARTER as PINNED_QUARTER
from tests.e2e.conftest import assert_accessible, console_errors

pytestmark = pytest.mark.e2e

QUARTER = PINNED_QUARTER.key


@pytest.mark.parametrize("path", ["/login", "/tilgjengelighet"])
def test_public_pages_have_no_wcag_violations(page, path):
    page.goto(path)
    assert_accessible(page)


def test_the_accessibility_statement_names_the_standard_and_how_to_report_problems(page):
    page.goto("/tilgjengelighet")
    assert page.get_by_role("heading", level=1).inner_text() == "Tilgjengelighetserklæring"
    expect(page.get_by_text("WCAG 2.1").first).to_be_visible()
    expect(page.get_by_role("heading", name="Tilbakemelding")).to_be_visible()
    assert page.get_by_role("link", name="uutilsynet.no").get_attribute("href") == "https://www.uutilsynet.no/"


def test_every_page_links_to_the_accessibility_statement(logged_in):
    page = logged_in("leser")
    page.get_by_role("link", name="Tilgjengelighetserklæring").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tilgjengelighetserklæring"


def test_the_rejected_login_page_has_no_wcag_violations(page):
    page.goto("/login")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Skriv brukernavnet ditt.")).to_be_visible()
    assert_accessible(page)


# (user, path): {m} is measure 1.1 (owned by "eier"), {q} the current quarter.
MAIN_PAGES = [
    ("leder", "/gevinster/"),
    ("leder", "/portefolje/"),
    ("leder", "/portefolje/tiltak/{m}"),
    ("leder", "/gevinster/tiltak/{m}"),
    ("leder", "/oppfolging/risiko"),
    ("leder", "/rapporter/"),
    ("leder", "/ledergruppe/"),
    ("leder", "/ledergruppe/moter"),
    ("leder", "/ledergruppe/beslutningslogg"),
    ("eier", "/gevinster/mine"),
    ("eier", "/oppfolging/tiltak/{m}/kvartalsrapport/{q}"),
    ("eier", "/gevinster/tiltak/{m}/kvartal/{q}"),
    ("eier", "/oppfolging/tiltak/{m}/statusrapporter/{q}"),
    ("eier", "/oppfolging/tiltak/{m}/milepaeler"),
    ("eier", "/portefolje/tiltak/{m}"),
    ("leser", "/portefolje/"),
    ("leser", "/gevinster/"),
    ("leser", "/ledergruppe/"),
    ("admin", "/portefolje/"),
    ("admin", "/portefolje/tiltak/{m}"),
    ("admin", "/portefolje/tiltak/{m}/rediger"),
    ("admin", "/portefolje/tiltak/{m}/status"),
    ("admin", "/portefolje/tiltak/{m}/ansvarlig"),
    ("admin", "/portefolje/import"),
    ("admin", "/gevinster/"),
    ("admin", "/gevinster/import"),
    ("admin", "/gevinster/perioder"),
    ("admin", "/gevinster/tiltak/{m}/plan"),
    ("admin", "/gevinster/tiltak/{m}/uttak"),
    ("admin", "/oppfolging/runder"),
    ("admin", "/oppfolging/tiltak/{m}/kvartalsrapport/{q}"),
    ("admin", "/ledergruppe/"),
    ("admin", "/rapporter/"),
    ("admin", "/rapporter/mottakere"),
    ("admin", "/brukere/"),
    ("admin", "/brukere/ny"),
    ("admin", "/logg/"),
    ("admin", "/logg/tiltak/{m}"),
    ("admin", "/regnskap/"),
    ("admin", "/regnskap/tiltak/{m}/linjer"),
    ("admin", "/konto/passord"),
    ("admin", "/tilgjengelighet"),
    ("admin", "/programmer/"),
    ("admin", "/programmer/ny"),
    # Issue 11's pages: budget alternatives, a measure's variants and årsverk, targets per year.
    ("leder", "/budsjettalternativer/"),
    ("leder", "/budsjettalternativer/1"),
    ("leder", "/budsjettalternativer/sammenlign?id=1"),
    ("admin", "/budsjettalternativer/nytt"),
    ("admin", "/budsjettalternativer/tiltak/{m}/alternativer"),
    ("admin", "/budsjettalternativer/tiltak/{m}/arsverk"),
    ("admin", "/gevinster/mal"),
]


@pytest.mark.parametrize(("user", "path"), MAIN_PAGES, ids=[f"{u}:{p}" for u, p in MAIN_PAGES])
def test_main_pages_have_no_wcag_violations(page_as, live_server, user, path):
    page = page_as(user)
    console_errors(page)
    response = page.goto(path.format(m=live_server.measure_id("1.1"), q=QUARTER))
    assert response.status == 200, f"{path} answered HTTP {response.status}"
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)
    # Nothing refused by the Content-Security-Policy (inline script or style) and no script error.
    assert console_errors(page) == []


# (user, path, a field to empty first): forms submitted with errors show them by the fields.
FORMS_WITH_ERRORS = [
    ("admin", "/brukere/ny", None),
    ("admin", "/konto/passord", None),
    ("admin", "/portefolje/tiltak/{m}/rediger", "Tittel"),
    ("admin", "/portefolje/import", None),
    ("admin", "/gevinster/import", None),
    ("admin", "/gevinster/tiltak/{m}/plan", None),
    ("admin", "/gevinster/tiltak/{m}/uttak", None),
    ("admin", "/rapporter/", None),
    ("admin", "/rapporter/mottakere", None),
    ("admin", "/regnskap/", None),
    ("eier", "/gevinster/tiltak/{m}/kvartal/{q}", None),
    ("admin", "/programmer/ny", None),
]


@pytest.mark.parametrize(
    ("user", "path", "clear"), FORMS_WITH_ERRORS, ids=[f"{u}:{p}" for u, p, _ in FORMS_WITH_ERRORS]
)
def test_forms_showing_errors_have_no_wcag_violations(page_as, live_server, user, path, clear):
    page = page_as(user)
    page.goto(path.format(m=live_server.measure_id("1.1"), q=QUARTER))
    if clear:
        page.get_by_label(clear, exact=True).fill("")
    with page.expect_navigation():
        page.locator("main form .button.primary").first.click()
    expect(page.locator("[aria-invalid=true], .field .error, [role=alert]").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(("user", "path"), [("leser", "/brukere/"), ("leser", "/portefolje/tiltak/999999")])
def test_error_pages_have_no_wcag_violations(page_as, user, path):
    page = page_as(user)
    response = page.goto(path)
    assert response.status in (403, 404)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Ingen tilgang|Fant ikke siden"))
    assert_accessible(page)


# WCAG 1.4.10 (reflow): at 320 CSS px wide (1280 px at 400 % zoom) nothing but a data table may
# need horizontal scrolling. Elements inside tables and visually hidden ones are left out.
OVERFLOWING = """() => {
    const exempt = [...document.querySelectorAll('table, svg')];
    exempt.forEach(e => { e.style.display = 'none'; });
    const width = document.documentElement.clientWidth;
    const wide = e => e.getBoundingClientRect().right > width + 1
        || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible');
    const found = document.documentElement.scrollWidth <= width + 1 ? [] : [...document.querySelectorAll('body *')]
        .filter(e => !['absolute', 'fixed'].includes(getComputedStyle(e).position) && wide(e))
        .slice(-5).map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 40)}`);
    exempt.forEach(e => { e.style.display = ''; });
    return found;
}"""
REFLOW_PAGES = [
    ("admin", "/tilgjengelighet"),
    ("admin", "/gevinster/"),
    ("admin", "/portefolje/"),
    ("admin", "/portefolje/tiltak/{m}"),
    ("admin", "/portefolje/tiltak/{m}/rediger"),
    ("admin", "/rapporter/"),
    ("eier", "/gevinster/mine"),
    ("eier", "/gevinster/tiltak/{m}/kvartal/{q}"),
    ("eier", "/oppfolging/tiltak/{m}/statusrapporter/{q}"),
    ("eier", "/oppfolging/tiltak/{m}/kvartalsrapport/{q}"),
    ("admin", "/ledergruppe/"),
]


@pytest.fixture(scope="module")
def narrow_page_as(browser, live_server):
    from tests.e2e.conftest import log_in

    cache = {}

    def _page(username):
        if username not in cache:
            context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
            cache[username] = context.new_page()
            log_in(cache[username], username)
        return cache[username]

    yield _page
    for page in cache.values():
        page.context.close()


@pytest.mark.parametrize(("user", "path"), REFLOW_PAGES, ids=[f"{u}:{p}" for u, p in REFLOW_PAGES])
def test_pages_reflow_at_320_px_without_horizontal_scrolling_outside_tables(narrow_page_as, live_server, user, path):
    page = narrow_page_as(user)
    page.goto(path.format(m=live_server.measure_id("1.1"), q=QUARTER))
    assert page.evaluate(OVERFLOWING) == []
