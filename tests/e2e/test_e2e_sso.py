"""Signing in with Microsoft in chromium, through the pages of a real OpenID provider on this machine.

The provider is the npm package oidc-provider (tests/oidc/provider.js) with test accounts whose ID
tokens carry Entra ID's claims (tid, oid, roles); its sign-in page takes any password.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def provider(live_server, oidc_providers) -> Iterator:
    """The provider, and the live tracker set up to sign in with it while this module runs."""
    provider = oidc_providers(f"{live_server.url}/auth/oidc/callback")
    config = live_server.app.config
    settings = provider.config()
    old = {key: config.get(key) for key in settings}
    config.update(settings)
    try:
        yield provider
    finally:
        config.update(old)


def _sign_in_at_the_provider(page, provider, login: str) -> None:
    """The provider's own pages: sign in (any password), then consent to what the tracker asks for."""
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("hva-som-helst")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_signing_in_with_microsoft_lands_on_the_page_asked_for_with_the_role_from_the_token(
    page, live_server, provider
):
    page.goto("/portefolje/")
    assert "/login" in page.url
    page.get_by_role("link", name="Logg inn med Microsoft").click()
    _sign_in_at_the_provider(page, provider, "lise")
    page.wait_for_url(f"{live_server.url}/portefolje/**")
    expect(page.get_by_text("Lise Leder (ledergruppe)")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_visible()
    expect(page.get_by_role("link", name="Bytt passord")).to_have_count(0)  # no password to change
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("utenrolle", "Du har ikke fått en rolle i Tiltaksporteføljen"),
        ("fremmed", "organisasjon som ikke har tilgang"),
    ],
)
def test_a_token_the_tracker_does_not_accept_ends_on_a_norwegian_page(page, live_server, provider, login, message):
    page.goto("/login")
    page.get_by_role("link", name="Logg inn med Microsoft").click()
    _sign_in_at_the_provider(page, provider, login)
    page.wait_for_url(f"{live_server.url}/auth/oidc/callback**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Innloggingen mislyktes")
    expect(page.get_by_text(message)).to_be_visible()
    page.goto("/portefolje/")
    assert "/login" in page.url


def test_the_login_page_with_the_microsoft_button_is_accessible(page, provider):
    page.goto("/login")
    expect(page.get_by_role("link", name="Logg inn med Microsoft")).to_be_visible()
    assert_accessible(page)
