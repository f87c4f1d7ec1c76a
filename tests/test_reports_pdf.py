"""The PDFs read back: Norwegian figures, embedded fonts, page numbers, metadata, long text."""

import io
import time

import pypdf
import pytest

from tracker.periods import Quarter
from tracker.reports import services
from tracker.reports.collect import collect
from tracker.reports.render_html import render_html
from tracker.reports.render_pdf import render_pdf

Q3 = Quarter(2026, 3)


def pdf_text(pdf: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def font_descriptors(reader: pypdf.PdfReader) -> list:
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    found.append((str(font["/BaseFont"]), descriptor.get_object()))
    return found


def test_politicians_report_shows_the_elverum_totals_in_norwegian_format(elverum):
    reader, text = pdf_text(services.render_report(elverum, Q3, "politikere").pdf)
    compact = text.replace("\u00a0", " ")
    # The consultant report's planned totals 2026-2030 and the 40 mill. kr target for 2029.
    for figure in ("26,0", "67,4", "80,6", "88,1", "91,3", "40,0"):
        assert figure in compact
    assert "Side 1 av " in text
    assert f"Side {len(reader.pages)} av {len(reader.pages)}" in text
    assert "Omstilling 2025 – 3. kvartal 2026" in text  # the header on every page
    assert reader.metadata.title.startswith("Statusrapport 3. kvartal 2026")
    assert reader.metadata.author == "Elverum kommune – Tiltaksporteføljen"


def test_group_savings_requirements_appear_in_mill_kr(elverum):
    _, text = pdf_text(services.render_report(elverum, Q3, "politikere").pdf)
    for group_line in ("1 Barnehage og skole", "2 Helse, mestring og omsorg", "13,5", "17,5"):
        assert group_line in text
    # The consultant report's Tabell 4 for 2029, per work group: 24,8 25,7 10,4 9,9 17,3 (sum 88,1).
    compact = " ".join(text.split())
    assert "1 Barnehage og skole 0,0 6,1 18,0 23,2 24,8 24,8" in compact
    assert "Sum 0,3 26,0 67,4 80,6 88,1 91,3" in compact


def test_fonts_are_embedded_truetype_that_cover_norwegian_letters(elverum):
    reader, text = pdf_text(services.render_report(elverum, Q3, "amu").pdf)
    descriptors = font_descriptors(reader)
    assert descriptors, "no fonts found"
    assert all("/FontFile2" in descriptor for _, descriptor in descriptors)
    assert not any(name.endswith(("Helvetica", "Times-Roman")) for name, _ in descriptors)
    assert "Arbeidsmiljøutvalget" in text and "Årsverk" in text


def test_every_page_of_example_data_is_marked(elverum, db):
    elverum.has_example_data = True
    db.session.commit()
    reader, _ = pdf_text(services.render_report(elverum, Q3, "politikere").pdf)
    assert all("EKSEMPELDATA" in page.extract_text() for page in reader.pages)
    html = services.render_report(elverum, Q3, "amu").html
    assert "Eksempeldata" in html


def test_a_very_long_text_neither_crashes_nor_disappears(elverum, measure_by_code, adopt, db):
    adopt(elverum, ["1.1"])  # the AMU report describes adopted measures only
    long_text = " ".join(f"ord{number}" for number in range(6000)) + " SLUTTEN"
    measure_by_code("1.1").consequences_employees = long_text
    db.session.commit()
    snapshot = collect(elverum, Q3, "amu")
    reader, text = pdf_text(render_pdf(snapshot))
    assert "ord5999" in text and "SLUTTEN" in text
    assert "SLUTTEN" in render_html(snapshot)


def test_a_long_status_text_in_a_table_cell_splits_across_pages(elverum, adopt, db):
    from dataclasses import replace

    adopt(elverum, ["1.1"])  # the status table lists adopted measures only
    snapshot = collect(elverum, Q3, "politikere")
    long_text = "\n".join(f"Linje {number} av statusteksten." for number in range(400)) + "\nSISTE LINJE"
    lines = (replace(snapshot.measures[0], status_text=long_text), *snapshot.measures[1:])
    _, text = pdf_text(render_pdf(replace(snapshot, measures=lines)))
    assert "Linje 399 av statusteksten." in text and "SISTE LINJE" in text


def test_table_headers_repeat_on_every_page_a_table_spans(elverum, adopt):
    adopt(elverum)
    reader, _ = pdf_text(services.render_report(elverum, Q3, "politikere").pdf)
    # Every measure is adopted: only the status table has a row saying "Vedtatt", then "Ingen statusrapport"
    # (status, then delivery confidence); it spans several pages.
    texts = [page.extract_text() for page in reader.pages]
    status_pages = [text for text in texts if "Vedtatt\nIngen statusrapport" in text]
    assert len(status_pages) >= 2
    assert all("Statuskommentar" in text for text in status_pages)


def test_html_version_is_a_complete_accessible_document(elverum):
    html = services.render_report(elverum, Q3, "politikere").html
    assert html.startswith("<!doctype html>")
    assert '<html lang="nb">' in html
    assert "<caption>Innsparing per år (mill. kr)</caption>" in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert "88,1" in html
    assert "<script" not in html


@pytest.mark.parametrize("audience", ["politikere", "amu"])
def test_rendering_the_elverum_reports_takes_seconds_not_minutes(elverum, audience):
    started = time.perf_counter()
    services.render_report(elverum, Q3, audience)
    assert time.perf_counter() - started < 10
