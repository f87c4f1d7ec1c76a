"""Logging in through the real form, in chromium."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def test_login_with_right_password_lands_on_the_portfolio_and_shows_the_user(page):
    log_in(page, "leder")
    expect(page.get_by_text("Lise Leder")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_visible()


def test_login_with_wrong_password_says_so_and_keeps_the_username(page):
    page.goto("/login")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").inner_text().strip() == "Feil brukernavn eller passord."
    assert page.get_by_label("Brukernavn").input_value() == "leder"
    assert "/login" in page.url


def test_a_page_behind_login_sends_the_visitor_to_login_and_back_afterwards(page, live_server):
    measure_id = live_server.measure_id("1.1")
    page.goto(f"/portefolje/tiltak/{measure_id}")
    assert "/login" in page.url
    page.get_by_label("Brukernavn").fill("leser")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**/portefolje/tiltak/{measure_id}")
    assert "1.1" in page.get_by_role("heading", level=1).inner_text()


def test_logging_out_ends_the_session(logged_in):
    page = logged_in("leser")
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()
    page.goto("/portefolje/")
    assert "/login" in page.url


def test_the_login_form_can_be_used_with_the_keyboard_alone(page):
    """Tab from the skip link to the fields and submit with Enter; no mouse."""
    page.goto("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Hopp til hovedinnhold"
    page.keyboard.press("Enter")
    username = page.get_by_label("Brukernavn")
    for _ in range(10):
        page.keyboard.press("Tab")
        if username.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the username field")
    page.keyboard.type("leser")
    page.keyboard.press("Tab")
    assert page.get_by_label("Passord").evaluate("el => el === document.activeElement")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/portefolje/**")
    expect(page.get_by_text("Live Leser")).to_be_visible()


def test_first_login_with_a_one_time_password_requires_a_new_one(page, live_server):
    """An account made with a one-time password must choose its own before using the tracker."""
    from tracker.accounts.permissions import SYSTEM
    from tracker.accounts.services import create_user
    from tracker.extensions import db

    with live_server.app.app_context():
        create_user(
            "nyansatt", "engangs-passord-1", "leser", full_name="Nina Ny", actor=SYSTEM, must_change_password=True
        )
        db.session.commit()

    log_in_form(page, "nyansatt", "engangs-passord-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bytt passord")
    expect(page.get_by_text("Du logget inn med et engangspassord.").first).to_be_visible()
    page.goto("/portefolje/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bytt passord")  # nothing else until changed

    page.get_by_label("Nåværende passord").fill("engangs-passord-1")
    page.get_by_label("Nytt passord", exact=True).fill("kort")
    page.get_by_label("Gjenta nytt passord").fill("kort")
    page.get_by_role("button", name="Bytt passord").click()
    expect(page.get_by_label("Nytt passord", exact=True)).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Nåværende passord").fill("engangs-passord-1")
    page.get_by_label("Nytt passord", exact=True).fill("mitt eget lange passord")
    page.get_by_label("Gjenta nytt passord").fill("mitt eget lange passord")
    page.get_by_role("button", name="Bytt passord").click()
    expect(page.get_by_text("Passordet er endret.", exact=False)).to_be_visible()
    expect(page.get_by_text("Nina Ny")).to_be_visible()

    page.get_by_role("button", name="Logg ut").click()
    log_in_form(page, "nyansatt", "engangs-passord-1")
    expect(page.get_by_role("alert")).to_have_text("Feil brukernavn eller passord.")
    log_in_form(page, "nyansatt", "mitt eget lange passord")
    expect(page.get_by_text("Nina Ny")).to_be_visible()


def log_in_form(page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
