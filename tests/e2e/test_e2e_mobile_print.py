"""Phones and paper: no main page scrolls sideways at 390 CSS px (wide tables scroll in their own box),
the measure page starts with its key figures, and the dashboard prints on A4 without navigation."""

import pytest

from tests.e2e.conftest import QUARTER, log_in
from tests.e2e.test_e2e_accessibility import MAIN_PAGES

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# A4 portrait less the print stylesheet's margins (210 mm − 2 × 12 mm) in CSS px (96 per inch).
A4_CONTENT_PX = round((210 - 24) / 25.4 * 96)
MORE_PAGES = [
    ("admin", "/oppfolging/risiko"),
    ("admin", "/oppfolging/runder"),
    ("eier", "/oppfolging/tiltak/{m}/organisatorisk-risiko"),
    ("eier", "/oppfolging/tiltak/{m}/kpi"),
    ("eier", "/oppfolging/tiltak/{m}/ansatte"),
    ("admin", "/brukere/api-nokler/"),
]
PAGES = sorted(set(MAIN_PAGES + MORE_PAGES))
WIDTH = "() => document.scrollingElement.scrollWidth"
# The wide boxes that scroll by themselves must be reachable by keyboard and named for screen readers.
SCROLL_BOXES = """() => [...document.querySelectorAll('.table-scroll')]
    .filter(box => box.getAttribute('tabindex') !== '0' || !box.getAttribute('aria-label'))
    .map(box => box.outerHTML.slice(0, 80))"""


@pytest.fixture(scope="module")
def phone_as(browser, live_server):
    cache = {}

    def _page(username: str):
        if username not in cache:
            context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="nb-NO")
            context.set_default_timeout(10_000)
            cache[username] = context.new_page()
            log_in(cache[username], username)
        return cache[username]

    yield _page
    for page in cache.values():
        page.context.close()


@pytest.mark.parametrize(("user", "path"), PAGES, ids=[f"{u}:{p}" for u, p in PAGES])
def test_no_main_page_scrolls_sideways_on_a_390_px_phone(phone_as, live_server, user, path):
    page = phone_as(user)
    response = page.goto(path.format(m=live_server.measure_id("1.1"), q=QUARTER.key))
    assert response.status == 200, path
    assert page.evaluate(WIDTH) <= PHONE["width"], f"{path} is {page.evaluate(WIDTH)} px wide at 390 px"
    assert page.evaluate(SCROLL_BOXES) == []


def test_the_measure_page_shows_its_key_figures_on_the_first_phone_screen(phone_as, live_server):
    page = phone_as("leder")
    page.goto(f"/portefolje/tiltak/{live_server.measure_id('1.1')}")
    figures = page.locator(".key-figures")
    assert figures.count() == 1
    assert figures.bounding_box()["y"] < PHONE["height"]


def test_the_dashboard_prints_on_a4_without_navigation(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": A4_CONTENT_PX, "height": 1000})
    page = context.new_page()
    try:
        log_in(page, "leder")
        page.goto("/gevinster/")
        page.emulate_media(media="print")
        assert page.locator(".site-header nav").is_hidden() and page.locator("form.filters").is_hidden()
        assert page.evaluate(WIDTH) <= A4_CONTENT_PX
        assert page.pdf(format="A4").startswith(b"%PDF")
    finally:
        context.close()
