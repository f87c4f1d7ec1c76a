"""The owner's quarter on one page in chromium: from "Mine tiltak", a rejected and an accepted submit with
the forecast note written as the owner types, and the whole quarter with the keyboard alone.

Measures 2.4 (flagged for organisational risk here, so the risk reassessment is due) and 2.6 are this
module's: adopted and given to the owner here, so no other test touches them.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import QUARTER, assert_accessible
from tracker.accounts.models import User
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db
from tracker.portfolio.models import Measure
from tracker.portfolio.services import change_status

pytestmark = pytest.mark.e2e
INDICATORS = ("Ledelsesforankring", "Kapasitet", "Kompetanse", "Avhengigheter", "Medvirkning/involvering")


def seen(locator) -> str:
    return " ".join(locator.inner_text().replace("\xa0", " ").split())


def focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, limit: int = 90) -> None:
    """Press Tab until the locator has focus (fails if it never does)."""
    for _ in range(limit):
        if focused(locator):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {locator}")


@pytest.fixture(scope="module")
def owned(live_server) -> dict[str, int]:
    """2.4 and 2.6 adopted and owned by "eier"; 2.4 flagged for significant organisational risk."""
    with live_server.app.app_context():
        owner_id = db.session.scalar(select(User.id).where(User.username == "eier"))
        found = {}
        for code in ("2.4", "2.6"):
            measure = db.session.scalar(select(Measure).where(Measure.code == code))
            if measure.status == "utredet":
                change_status(measure, SYSTEM, measure.version, "vedtatt", date(2026, 2, 1), "PS 9/26")
            measure.owner_id = owner_id
            measure.has_significant_org_risk = measure.has_significant_org_risk or code == "2.4"
            found[code] = measure.id
        db.session.commit()
        return found


def note(page) -> str:
    return seen(page.locator("#prognose-merknad"))


def test_the_owner_does_the_quarter_on_one_page_a_rejected_then_an_accepted_submit(logged_in, owned):
    page = logged_in("eier")  # the owner lands on "Mine tiltak"
    due = page.locator("li.owner-due-measure").filter(has_text="2.4 ")
    expect(due.get_by_role("link", name="Vurder organisatorisk risiko for 2.4")).to_be_visible()
    due.get_by_role("link", name="Kvartalsrapport for tiltak 2.4").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Kvartalsrapport for {QUARTER.label}: tiltak 2.4")
    assert note(page) == "Skriv prognosen for hele året; planen for 2026 (1 400 000 kr)."

    page.get_by_label("Realisert hittil i år (kr)").fill("200 000")
    page.get_by_label("Prognose for hele året (kr)").fill("1 000 000")  # 400 000 short of 1 400 000: a deviation
    expect(page.locator("#prognose-merknad")).to_contain_text("Prognosen er 400 000 kr under planen for 2026")
    assert "et avvik. Forklar hvorfor og beskriv korrigerende tiltak." in note(page)
    page.get_by_label("Framdrift siden forrige rapport").fill("Nattjenesten er slått sammen i én sone.")
    page.get_by_role("button", name="Send inn kvartalsrapporten").click()

    expect(page.get_by_role("alert").filter(has_text="Kvartalsrapporten ble ikke lagret.")).to_be_visible()
    for message in (
        "Prognosen er et avvik fra planen: forklar hvorfor.",
        "Velg leveransesikkerhet.",
        "Begrunn vurderingen.",
        "Skriv antall berørte ansatte, 0 om ingen er berørt.",
        "Gi Kapasitet en score.",
    ):
        expect(page.get_by_text(message)).to_be_visible()
    assert page.get_by_label("Realisert hittil i år (kr)").input_value() == "200 000"
    assert (
        page.get_by_label("Framdrift siden forrige rapport").input_value() == "Nattjenesten er slått sammen i én sone."
    )
    assert page.get_by_label("Forklaring på avvik").get_attribute("aria-invalid") == "true"
    assert "Prognosen er 400 000 kr under planen" in note(page)  # written by the server too, without script
    assert_accessible(page)

    page.get_by_label("Forklaring på avvik").fill("Sammenslåingen kom i gang i oktober, ikke i mars.")
    page.get_by_label("Korrigerende tiltak for avviket").fill("Resten hentes ut i 2027.")
    page.get_by_label("Gul", exact=True).check()
    page.get_by_label("Begrunnelse for leveransesikkerheten").fill("Forsinket oppstart, men sammenslått nå.")
    page.get_by_label("Beslutninger som trengs", exact=True).fill("Godkjenne ny turnus.")
    page.get_by_label("Antall berørte ansatte").fill("14")
    page.get_by_label("Realisert endring i årsverk").fill("-1,5")
    for name in INDICATORS:
        page.get_by_label(name, exact=True).select_option("3")
    page.get_by_role("button", name="Send inn kvartalsrapporten").click()

    expect(page.get_by_text(f"Kvartalsrapporten for {QUARTER.label} er sendt inn.")).to_be_visible()
    expect(page.get_by_text(f"Statusrapporten for {QUARTER.label} er sendt inn og kan ikke endres.")).to_be_visible()
    assert "Leveransesikkerhet Gul" in seen(page.locator("dl.meta-list"))
    expect(page.get_by_text(f"Skal leveres: Ingenting; alt for {QUARTER.label} er levert.")).to_be_visible()
    page.get_by_role("link", name="Mine tiltak").click()
    expect(page.locator("li.owner-due-measure").filter(has_text="2.4 ")).to_contain_text("Alt er levert")


def test_the_owners_quarter_with_the_keyboard_alone(logged_in, owned):
    page = logged_in("eier")
    link = page.get_by_role("link", name="Kvartalsrapport for tiltak 2.6")
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kvartalsrapport/{QUARTER.key}")

    realised = page.get_by_label("Realisert hittil i år (kr)")
    tab_to(page, realised)
    page.keyboard.type("250 000")
    page.keyboard.press("Tab")
    assert focused(page.get_by_label("Prognose for hele året (kr)"))
    page.keyboard.type("1 000 000")  # the plan for 2026: 1,0 mill. kr
    expect(page.locator("#prognose-merknad")).to_have_text(
        re.compile(r"^Prognosen er lik planen for 2026 \(1\s000\s000 kr\)\.$")
    )

    tab_to(page, page.get_by_label("Grønn", exact=True))
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # arrows move the choice within the radio group
    assert page.get_by_label("Grønn/gul", exact=True).is_checked()
    page.keyboard.press("Tab")
    assert focused(page.get_by_label("Begrunnelse for leveransesikkerheten"))
    page.keyboard.type("Digital opplæring er i gang i alle enheter.")
    tab_to(page, page.get_by_label("Antall berørte ansatte"))
    page.keyboard.type("0")
    send = page.get_by_role("button", name="Send inn kvartalsrapporten")
    tab_to(page, send)
    assert send.evaluate("el => getComputedStyle(el).outlineStyle") != "none", "no visible focus indicator"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text(f"Kvartalsrapporten for {QUARTER.label} er sendt inn.")).to_be_visible()
    assert "Leveransesikkerhet Grønn/gul" in seen(page.locator("dl.meta-list"))
