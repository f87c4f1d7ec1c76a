"""The users' journeys through the tracker, in chromium, against the live server.

- an owner reports quarterly figures and a status update; rejected input keeps what was typed;
- the same quarterly update with the keyboard alone;
- ledergruppe reads the dashboard and drills down from a deviation to the measure;
- two browsers edit the same measure and the second sees the conflict page;
- an admin downloads the Excel export, uploads a changed copy, builds a report and downloads its PDF.

Each test uses its own measures (see tests/e2e/conftest.py for the users and what they own).
"""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import QUARTER, assert_accessible

pytestmark = pytest.mark.e2e


def seen(locator) -> str:
    """The text as the user reads it: non-breaking spaces (used in numbers) as plain spaces."""
    return " ".join(locator.inner_text().replace("\xa0", " ").split())


def focused(page, locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until the locator has focus (fails if it never does)."""
    for _ in range(limit):
        if focused(page, locator):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {locator}")


def report_figures(page, measure_code: str, realised: str, forecast: str, explanation="", action="") -> None:
    """As an owner on "Mine tiltak": open the quarter's form for a measure and save figures."""
    page.goto("/gevinster/mine")
    page.get_by_role("link", name=re.compile(rf"^Rapporter tall for {re.escape(measure_code)} ")).click()
    page.get_by_label("Realisert hittil i år (kr)").fill(realised)
    page.get_by_label("Prognose for hele året (kr)").fill(forecast)
    page.get_by_label("Forklaring på avvik").fill(explanation)
    page.get_by_label("Korrigerende tiltak").fill(action)
    page.get_by_role("button", name="Lagre tallene").click()
    expect(page.get_by_text(f"Tallene for {QUARTER.label} er lagret.")).to_be_visible()


def test_owner_reports_figures_and_a_rejected_input_keeps_what_was_typed(logged_in):
    page = logged_in("eier")
    assert page.get_by_role("heading", level=1).inner_text() == "Mine tiltak"
    page.get_by_role("link", name=re.compile(r"^Rapporter tall for 1\.1 ")).click()
    assert seen(page.locator("dd", has_text=" kr").first) == "300 000 kr"  # the plan for 2026: 0,3 mill. kr

    page.get_by_label("Realisert hittil i år (kr)").fill("5O 000")  # the letter O, a typo
    page.get_by_label("Prognose for hele året (kr)").fill("100 000")
    page.get_by_label("Kommentar", exact=True).fill("Første rapport etter vedtaket.")
    page.get_by_role("button", name="Lagre tallene").click()

    realised = page.get_by_label("Realisert hittil i år (kr)")
    assert realised.get_attribute("aria-invalid") == "true"
    expect(page.locator("#realised-feil")).to_be_visible()
    assert realised.input_value() == "5O 000"
    assert page.get_by_label("Prognose for hele året (kr)").input_value() == "100 000"
    assert page.get_by_label("Kommentar", exact=True).input_value() == "Første rapport etter vedtaket."
    assert_accessible(page)

    realised.fill("50 000")
    page.get_by_role("button", name="Lagre tallene").click()
    # 100 000 against a plan of 300 000 is a deviation: explanation and corrective action required.
    assert page.get_by_label("Forklaring på avvik").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Realisert hittil i år (kr)").input_value() == "50 000"

    page.get_by_label("Forklaring på avvik").fill("Vedtaket kom senere enn planlagt.")
    page.get_by_label("Korrigerende tiltak").fill("Resten tas ut i 2027.")
    page.get_by_role("button", name="Lagre tallene").click()

    expect(page.get_by_text(f"Tallene for {QUARTER.label} er lagret.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gevinstregnskap: 1.1 ")
    row = page.get_by_role("row", name=re.compile(QUARTER.label))
    assert seen(row.locator("td").nth(0)) == "50 000"
    assert seen(row.locator("td").nth(1)) == "100 000"
    assert "Ikke godkjent" in seen(row)
    assert "Vedtaket kom senere enn planlagt." in seen(row)
    year_row = page.get_by_role("row", name=re.compile(rf"^{QUARTER.year} "))
    assert "Avvik" in seen(year_row)


def test_owner_submits_a_status_update_after_a_rejection_that_kept_the_text(logged_in, live_server):
    page = logged_in("eier")
    page.goto(f"/oppfolging/tiltak/{live_server.measure_id('1.1')}/statusrapporter/{QUARTER.key}")
    page.get_by_label("Begrunnelse for leveransesikkerheten").fill("Rutinen er innført i to av tre enheter.")
    page.get_by_label("Framdrift siden forrige rapport").fill("Ny vedtaksrutine fra oktober.")
    page.get_by_role("button", name="Send inn").click()

    expect(page.get_by_text("Velg leveransesikkerhet.")).to_be_visible()
    assert page.get_by_label("Begrunnelse for leveransesikkerheten").input_value() == (
        "Rutinen er innført i to av tre enheter."
    )
    assert page.get_by_label("Framdrift siden forrige rapport").input_value() == "Ny vedtaksrutine fra oktober."
    assert_accessible(page)

    page.get_by_label("Gul", exact=True).check()
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_text("Statusrapporten er sendt inn.")).to_be_visible()
    expect(page.get_by_text("Rapporten er sendt inn og kan ikke endres.")).to_be_visible()
    details = seen(page.locator("dl.meta-list"))
    assert "Leveransesikkerhet Gul" in details
    assert "Rutinen er innført i to av tre enheter." in details
    assert "Skrevet av Ola Eier" in details


def test_the_quarterly_update_can_be_done_with_the_keyboard_alone(logged_in, live_server):
    """Figures from "Mine tiltak", then the status update, with Tab, arrows, typing and Enter."""
    page = logged_in("eier")
    link = page.get_by_role("link", name=re.compile(r"^Rapporter tall for 2\.3 "))
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kvartal/{QUARTER.key}")

    realised = page.get_by_label("Realisert hittil i år (kr)")
    tab_to(page, realised)
    page.keyboard.type("0")
    page.keyboard.press("Tab")
    assert focused(page, page.get_by_label("Prognose for hele året (kr)"))
    page.keyboard.type("1 800 000")  # the plan for 2026: 1,8 mill. kr
    save = page.get_by_role("button", name="Lagre tallene")
    tab_to(page, save)
    outline = save.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focused button has no visible focus indicator"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text(f"Tallene for {QUARTER.label} er lagret.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(QUARTER.label))
    assert seen(row.locator("td").nth(1)) == "1 800 000"

    page.goto(f"/oppfolging/tiltak/{live_server.measure_id('2.3')}/statusrapporter/{QUARTER.key}")
    first_option = page.get_by_label("Grønn", exact=True)
    tab_to(page, first_option)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # arrows move the choice within the radio group
    assert page.get_by_label("Grønn/gul", exact=True).is_checked()
    page.keyboard.press("Tab")
    assert focused(page, page.get_by_label("Begrunnelse for leveransesikkerheten"))
    page.keyboard.type("Vedtaket er fattet; gevinsten kommer fra 2027.")
    send = page.get_by_role("button", name="Send inn")
    tab_to(page, send)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Statusrapporten er sendt inn.")).to_be_visible()
    assert "Leveransesikkerhet Grønn/gul" in seen(page.locator("dl.meta-list"))


def test_ledergruppe_reads_the_dashboard_and_drills_down_to_a_deviation(logged_in, live_server):
    """From the dashboard's deviation to the ledger, the measure and the owner's status update."""
    owner = logged_in("eier")
    report_figures(owner, "3.1", "500 000", "2 000 000", "Færre deltakere enn ventet.", "Nytt kurs starter i januar.")
    owner.goto(f"/oppfolging/tiltak/{live_server.measure_id('3.1')}/statusrapporter/{QUARTER.key}")
    owner.get_by_label("Gul/rød", exact=True).check()
    owner.get_by_label("Begrunnelse for leveransesikkerheten").fill("For få deltakere i høst.")
    owner.get_by_label("Beslutninger som trengs", exact=True).fill("Avklare ny kursleverandør.")
    owner.get_by_role("button", name="Send inn").click()
    expect(owner.get_by_text("Statusrapporten er sendt inn.")).to_be_visible()

    page = logged_in("leder")  # ledergruppe lands on the dashboard, on the current year since issue 13
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gevinstrealisering")
    expect(page.get_by_role("heading", name=f"Nøkkeltall {QUARTER.year}")).to_be_visible()
    page.get_by_label("År", exact=True).select_option("2029")
    page.get_by_role("button", name="Vis").click()
    assert seen(page.locator('[data-figure="headline-target_nok"]')) == "40,0 mill. kr"
    assert seen(page.locator('[data-figure="headline-menu_nok"]')) == "88,1 mill. kr"  # the report's 2029 total
    # Only the adopted 1.1, 2.3 and 3.1 are planned: 0,6 + 3,6 + 5,175 in 2029.
    assert seen(page.locator('[data-figure="headline-planned_nok"]')) == "9,4 mill. kr"

    page.get_by_label("År", exact=True).select_option(str(QUARTER.year))
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", name=f"Nøkkeltall {QUARTER.year}")).to_be_visible()
    assert seen(page.locator('[data-figure="headline-menu_nok"]')) == "26,0 mill. kr"  # the report's 2026 total
    deviation = page.get_by_role("row", name=re.compile(r"^3\.1 ")).filter(has_text="Færre deltakere enn ventet.")
    assert seen(deviation.locator('[data-figure$="-planned_nok"]')) == "3,1"
    assert seen(deviation.locator('[data-figure$="-forecast_nok"]')) == "2,0"
    assert seen(deviation.locator('[data-figure$="-shortfall_nok"]')) == "1,1"
    assert "Nytt kurs starter i januar." in seen(deviation)

    deviation.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gevinstregnskap: 3.1 ")
    quarter_row = page.get_by_role("row", name=re.compile(QUARTER.label))
    assert seen(quarter_row.locator("td").nth(0)) == "500 000"
    assert seen(quarter_row.locator("td").nth(1)) == "2 000 000"
    page.get_by_role("link", name="Tiltakssiden for 3.1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiltak 3.1")
    latest = page.locator("dt", has_text="Siste statusrapport").locator("xpath=following-sibling::dd[1]")
    assert seen(latest) == f"{QUARTER.label}: Gul/rød; trenger beslutning"

    page.get_by_role("link", name="Statusrapporter for 3.1").click()
    update_row = page.get_by_role("row", name=re.compile(QUARTER.label))
    assert "Avklare ny kursleverandør." in seen(update_row)
    update_row.get_by_role("link", name=QUARTER.label).click()
    page.get_by_label("Kommentar", exact=True).fill("Tas opp i ledermøtet.")
    page.get_by_role("button", name="Lagre kommentar").click()
    expect(page.get_by_text("Kommentaren er lagret.")).to_be_visible()
    expect(page.locator(".comment", has_text="Tas opp i ledermøtet.")).to_contain_text("Lise Leder")


def test_two_browsers_edit_the_same_measure_and_the_second_sees_the_conflict(logged_in, live_server):
    edit_path = f"/portefolje/tiltak/{live_server.measure_id('4.2')}/rediger"
    first, second = logged_in("admin"), logged_in("admin")
    first.goto(edit_path)
    second.goto(edit_path)

    first.get_by_label("Tittel").fill("Rive utdaterte bygg – etappe 1")
    first.get_by_role("button", name="Lagre").click()
    expect(first.get_by_text("Endringene er lagret.")).to_be_visible()
    expect(first.get_by_role("heading", level=1)).to_contain_text("etappe 1")

    second.get_by_label("Tittel").fill("Rive utdaterte bygg – samlet plan")
    second.get_by_role("button", name="Lagre").click()
    expect(
        second.get_by_role("heading", name="Noen andre har lagret tiltaket etter at du åpnet skjemaet")
    ).to_be_visible()
    title_row = second.get_by_role("row", name=re.compile(r"^Tittel"))
    assert "Rive utdaterte bygg – etappe 1" in seen(title_row.locator("td").nth(0))
    assert "Rive utdaterte bygg – samlet plan" in seen(title_row.locator("td").nth(1))
    assert second.get_by_label("Tittel").input_value() == "Rive utdaterte bygg – samlet plan"
    assert_accessible(second)

    second.get_by_role("button", name="Lagre").click()  # saving again replaces the other change
    expect(second.get_by_text("Endringene er lagret.")).to_be_visible()
    expect(second.get_by_role("heading", level=1)).to_contain_text("samlet plan")


def test_admin_downloads_the_excel_export_and_uploads_a_changed_copy(logged_in, tmp_path, live_server):
    page = logged_in("admin")
    page.goto("/portefolje/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned porteføljen som Excel-fil").click()
    exported = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(exported)
    assert exported.suffix == ".xlsx"

    workbook = load_workbook(exported)
    sheet = workbook["Tiltak"]
    header = [cell.value for cell in sheet[1]]
    code_col, title_col = header.index("Kode"), header.index("Tittel")
    rows = [row for row in sheet.iter_rows(min_row=2) if row[code_col].value == "4.5"]
    assert rows[0][title_col].value == "Interkommunalt landbrukskontor"
    rows[0][title_col].value = "Interkommunalt landbrukskontor med Åmot"
    workbook.save(exported)

    page.goto("/portefolje/import")
    page.get_by_label("Porteføljefil").set_input_files(exported)
    page.get_by_role("button", name="Importer").click()
    result = seen(page.get_by_role("status").filter(has_text="Importen er fullført"))
    assert "Oppdatert (1): 4.5" in result
    assert "Opprettet (0)" in result
    assert_accessible(page)

    page.goto(f"/portefolje/tiltak/{live_server.measure_id('4.5')}")
    assert "Interkommunalt landbrukskontor med Åmot" in page.get_by_role("heading", level=1).inner_text()


def test_admin_builds_a_quarterly_report_and_downloads_the_pdf(logged_in, tmp_path):
    period = QUARTER.previous()
    page = logged_in("admin")
    page.goto("/rapporter/")
    page.get_by_label("Kvartal", exact=True).select_option(label=period.label)
    page.get_by_label("Mottakergruppe").select_option(label="Formannskapet og kommunestyret")
    page.get_by_role("button", name="Bygg rapport nå").click()
    flash = f"Rapporten for {period.label} (Formannskapet og kommunestyret) er bygget som versjon 1."
    expect(page.get_by_text(flash)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"PDF for {period.label} Formannskapet og kommunestyret versjon 1").click()
    pdf_path = tmp_path / "rapport.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert f"Statusrapport {period.label}" in " ".join(text.split())

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"HTML for {period.label} Formannskapet og kommunestyret versjon 1").click()
    page.set_content(download_info.value.path().read_text(encoding="utf-8"))
    assert f"Statusrapport {period.label}" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)


def test_a_reader_switches_to_the_earlier_closed_programme_and_back(logged_in):
    """The header's switcher: the choice follows the user to the page they were on, a closed programme says so."""
    page = logged_in("leser")
    page.goto("/portefolje/")
    switcher = page.get_by_label("Program", exact=True)
    assert switcher.locator("option:checked").inner_text() == "Omstilling 2025 (2026–2029)"
    try:
        switcher.select_option(label="Omstilling 2021 (2021–2024, avsluttet)")
        page.get_by_role("button", name="Bytt program").click()
        expect(page.get_by_text("Du ser nå programmet «Omstilling 2021». Programmet er avsluttet")).to_be_visible()
        assert page.get_by_role("heading", level=1).inner_text() == "Omstilling 2021: tiltaksporteføljen"
        expect(page.get_by_text("Omstilling 2021 er avsluttet")).to_be_visible()
        assert_accessible(page)
    finally:  # the choice is kept on the account: the other tests expect the default programme
        page.get_by_label("Program", exact=True).select_option(label="Omstilling 2025 (2026–2029)")
        page.get_by_role("button", name="Bytt program").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Omstilling 2025: tiltaksporteføljen"
