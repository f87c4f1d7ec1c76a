"""Ledergruppe in chromium: the work queue on the dashboard and its own page, and a meeting from the
queue to a recorded decision, the minutes and their PDF.

Measure 2.7 is this module's: adopted and given to the owner here, so no other test touches it.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from tests.e2e.conftest import QUARTER, assert_accessible
from tracker.accounts.models import User
from tracker.accounts.permissions import SYSTEM
from tracker.extensions import db
from tracker.portfolio.models import Measure
from tracker.portfolio.services import change_status

pytestmark = pytest.mark.e2e
CODE = "2.7"
DECISION = "Avklare om kjøkkenet skal driftes i egen regi."


def seen(locator) -> str:
    return " ".join(locator.inner_text().replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def owned_measure(live_server) -> int:
    """Measure 2.7, adopted and owned by "eier" (the seed adopts only 1.1, 2.3 and 3.1)."""
    with live_server.app.app_context():
        measure = db.session.scalar(select(Measure).where(Measure.code == CODE))
        if measure.status == "utredet":
            change_status(measure, SYSTEM, measure.version, "vedtatt", date(2026, 2, 1), "PS 9/26")
        measure.owner_id = db.session.scalar(select(User.id).where(User.username == "eier"))
        db.session.commit()
        return measure.id


def test_a_decision_asked_for_reaches_the_queue_and_a_meeting_records_it(logged_in, owned_measure, tmp_path):
    owner = logged_in("eier")
    owner.goto(f"/oppfolging/tiltak/{owned_measure}/statusrapporter/{QUARTER.key}")
    owner.get_by_label("Gul", exact=True).check()
    owner.get_by_label("Begrunnelse for leveransesikkerheten").fill("Leverandøren har sagt opp avtalen.")
    owner.get_by_label("Beslutninger som trengs", exact=True).fill(DECISION)
    owner.get_by_role("button", name="Send inn").click()
    expect(owner.get_by_text("Statusrapporten er sendt inn.")).to_be_visible()

    page = logged_in("leder")  # ledergruppe lands on the dashboard: the top of the queue is there
    preview = page.locator("section.queue-preview")
    expect(preview.get_by_role("heading", name="Til behandling i ledergruppa")).to_be_visible()
    expect(page.get_by_role("heading", name="Status mot målet")).to_be_visible()
    standing = seen(page.locator(f'[data-standing-year="{QUARTER.year}"]'))
    # No target for the year: compared with the adopted plan (the few measures the tests adopted), never with
    # the 26,0 menu, which is named beside it.
    found = re.search(
        rf"For {QUARTER.year} er [\d ]+,\d av ([\d ]+,\d) mill\. kr realisert; prognosen er .*"
        r"Vedtatt: ([\d ]+,\d) mill\. kr · Meny: 26,0 mill\. kr\.",
        standing,
    )
    assert found and found.group(1) == found.group(2) != "26,0", standing
    preview.get_by_role("link", name=re.compile(r"^Se alle \d+ sakene")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Til behandling i ledergruppa")
    item = page.locator("li.queue-item").filter(has_text=f"{CODE} ").filter(has_text="Ber om beslutning")
    expect(item).to_contain_text(DECISION)
    expect(item).to_contain_text("Ansvarlig: Ola Eier")
    link = item.get_by_role("link", name=f"Statusrapporten for {CODE}")
    assert link.get_attribute("href") == f"/oppfolging/tiltak/{owned_measure}/statusrapporter/{QUARTER.key}"
    assert_accessible(page)

    page.get_by_role("link", name="Møter", exact=True).click()
    page.get_by_label("Møtedato").fill("2026-11-20")
    page.get_by_label("Tittel").fill("Ledermøte uke 47")
    page.get_by_label("Til stede").fill("Lise Leder, Per Rådmann")
    page.get_by_role("button", name="Opprett møtet").click()
    expect(page.get_by_text("Ledermøte uke 47 20.11.2026 er opprettet.")).to_be_visible()

    page.get_by_role("link", name="Til behandling", exact=True).click()
    page.get_by_label(re.compile(rf"^{re.escape(CODE)} .*: Ber om beslutning")).check()
    page.get_by_label("Møte", exact=True).select_option(label="Ledermøte uke 47 20.11.2026")
    page.get_by_role("button", name="Sett valgte saker på sakslisten").click()
    expect(page.get_by_text("1 sak(er) er satt på sakslisten for Ledermøte uke 47 20.11.2026.")).to_be_visible()

    agenda_item = page.locator("section.meeting-item").filter(has_text=f"{CODE} ")
    expect(agenda_item.get_by_role("heading", level=3)).to_contain_text("Sak 1: ")
    agenda_item.get_by_label("Beslutning", exact=True).check()
    agenda_item.get_by_label("Beslutning eller oppfølging").fill("Kjøkkenet driftes i egen regi fra 1. mars.")
    agenda_item.get_by_role("button", name="Lagre utfallet av sak 1").click()
    expect(page.get_by_text("er lagret.").first).to_be_visible()
    minutes = seen(page.locator("section.meeting-item").filter(has_text=f"{CODE} ").locator("dl.minutes"))
    assert "Utfall Beslutning" in minutes and "Kjøkkenet driftes i egen regi fra 1. mars." in minutes
    assert "Registrert Lise Leder" in minutes
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned referatet (PDF)").click()
    pdf_path = tmp_path / "referat.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages).split())
    assert "Referat og beslutningslogg: Ledermøte uke 47" in text
    assert "Beslutning: Kjøkkenet driftes i egen regi fra 1. mars." in text

    page.get_by_role("link", name="Beslutningslogg").first.click()
    expect(page.get_by_role("row", name=re.compile(re.escape(CODE)))).to_contain_text("Kjøkkenet driftes i egen regi")
    page.goto("/ledergruppe/")
    expect(page.locator("li.queue-item").filter(has_text=DECISION)).to_have_count(0)  # settled by the meeting


def test_readers_read_the_queue_and_the_meetings_but_cannot_change_them(logged_in):
    page = logged_in("leser")
    page.goto("/ledergruppe/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Til behandling i ledergruppa")
    expect(page.locator("main input[type=checkbox]")).to_have_count(0)
    page.goto("/ledergruppe/moter")
    expect(page.get_by_role("button", name="Opprett møtet")).to_have_count(0)
    assert_accessible(page)
