"""Issue 14: reports politicians and AMU can act on, as of the quarter's end, fit for the archive (PDF/A-2b)."""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from sqlalchemy import select

from tests.helpers import ROOT
from tracker import palette
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.periods import Quarter
from tracker.portfolio.models import StatusChange
from tracker.reports import charts, services
from tracker.reports.collect import collect
from tracker.reports.documents import document
from tracker.reports.drawing import Rule
from tracker.reports.layout import BarChart, years_section
from tracker.reports.pdf_tables import CELL_SIZE, HEAD_SIZE
from tracker.reports.words import against_target, plural
from tracker.staff.models import EmployeeConsequence

Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)
STANDARD_FONTS = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def reader_of(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in reader_of(pdf).pages).split())


def fonts_of(reader: pypdf.PdfReader) -> list[tuple[str, object]]:
    """Every font a page or a form on it uses: (base font name, the descriptor of its glyphs or None)."""
    found = []
    for page in reader.pages:
        resources = [page["/Resources"]]
        resources += [
            xobject.get_object().get("/Resources", {}) for xobject in page["/Resources"].get("/XObject", {}).values()
        ]
        for resource in resources:
            for font in resource.get_object().get("/Font", {}).values():
                font = font.get_object()
                for part in font.get("/DescendantFonts", [font]):
                    found.append((str(font["/BaseFont"]), part.get_object().get("/FontDescriptor")))
    return found


# --- 4. archive-grade PDF ----------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["politikere", "amu"])
def test_the_pdf_is_pdf_a_2b_with_every_font_embedded_and_an_outline(elverum, audience):
    pdf = services.render_report(elverum, Q3, audience).pdf
    reader = reader_of(pdf)
    fonts = fonts_of(reader)
    assert fonts
    assert not [name for name, _ in fonts if name.lstrip("/").startswith(STANDARD_FONTS)]
    assert all(descriptor is not None and "/FontFile2" in descriptor.get_object() for _, descriptor in fonts)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nb-NO"
    metadata = catalog["/Metadata"].get_object()
    assert "/Filter" not in metadata
    xmp = metadata.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert f">{reader.metadata.title}</rdf:li></rdf:Alt></dc:title>" in xmp
    assert "<dc:language><rdf:Bag><rdf:li>nb-NO</rdf:li></rdf:Bag></dc:language>" in xmp
    assert reader.xmp_metadata.dc_language == ["nb-NO"]
    intent = catalog["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object()["/N"] == 3
    titles = [item.title for item in reader.outline]
    sections = document(collect(elverum, Q3, audience))
    assert titles == [section.title for section in sections]


def test_verapdf_validates_the_reports_when_it_is_installed(elverum, tmp_path):
    """veraPDF is a Java tool found in no package registry reachable here (Debian, PyPI, npm); run it where installed."""
    verapdf = shutil.which("verapdf")
    if verapdf is None:
        pytest.skip("veraPDF is not installed")
    for audience in ("politikere", "amu"):
        target = tmp_path / f"{audience}.pdf"
        target.write_bytes(services.render_report(elverum, Q3, audience).pdf)
        result = subprocess.run([verapdf, "--flavour", "2b", str(target)], capture_output=True, text=True, timeout=300)
        assert 'isCompliant="true"' in result.stdout, result.stdout[-3000:]


# --- 1. the politicians' page 1, the chart, the gap in words -------------------------------------


@pytest.mark.parametrize(
    ("gap_nok", "words"),
    [
        (-47_600_000, "47,6 mill. kr over målet"),
        (2_100_000, "2,1 mill. kr under målet"),
        (0, "på målet"),
        (30_000, "på målet"),
        (None, "intet mål for året"),
    ],
)
def test_the_gap_is_worded_over_or_under_the_target(gap_nok, words):
    assert against_target(gap_nok) == words


@pytest.mark.parametrize(("count", "text"), [(0, "0 saker"), (1, "1 sak"), (2, "2 saker")])
def test_singular_and_plural(count, text):
    assert plural(count, "sak", "saker") == text


def test_page_one_of_a_fresh_install_plans_nothing_against_the_target(elverum):
    """Only adopted measures are planned (issue 11): before any decision the forecast is 0, 40,0 under the target."""
    first_page = " ".join(
        reader_of(services.render_report(elverum, Q3, "politikere").pdf).pages[0].extract_text().split()
    )
    assert "For 2029 er prognosen 0,0 mill. kr, 40,0 mill. kr under målet på 40,0 mill. kr" in first_page


def test_page_one_answers_where_we_stand_with_the_target_line(elverum, adopt):
    adopt(elverum)  # every measure, with the report's figures: the plan is the menu, 88,1 in 2029
    snapshot = collect(elverum, Q3, "politikere")
    pdf = services.render_report(elverum, Q3, "politikere").pdf
    first_page = " ".join(reader_of(pdf).pages[0].extract_text().split())
    assert "Hvor står vi?" in first_page
    # 88,1 - 40,0 = 48,1 over the target; no confidence reported, so every saving weighs 0,75 (net costs in full).
    assert "For 2029 er prognosen 88,1 mill. kr, 48,1 mill. kr over målet på 40,0 mill. kr" in first_page
    assert "risikojustert er den 65,8 mill. kr, 25,8 mill. kr over målet" in first_page
    assert "0 saker trenger politisk beslutning" in first_page
    assert "Gap mot mål" not in text_of(pdf)
    chart = years_section(snapshot).blocks[0]
    assert [name for name, _ in chart.series] == ["Vedtatt plan", "Prognose", "Risikojustert", "Realisert"]
    assert chart.colours == tuple(
        palette.SERIES[key] for key in ("bar-planned", "bar-forecast", "bar-risk-adjusted", "bar-realised")
    )
    figure = charts.bar_figure(chart, 493)
    target_lines = [shape for shape in figure.shapes if isinstance(shape, Rule) and shape.colour == palette.TARGET]
    assert len(target_lines) == 1 + 1  # the 2029 target and its legend entry
    assert "målet for 2029 er 40,0 mill. kr" in figure.description


def test_the_confidence_chart_is_a_traffic_light(elverum):
    section = next(s for s in document(collect(elverum, Q3, "politikere")) if s.title == "Tiltak i fare")
    chart = next(block for block in section.blocks if isinstance(block, BarChart))
    assert chart.colours[:5] == tuple(
        palette.CONFIDENCE_FILL[level] for level in ("grønn", "grønn/gul", "gul", "gul/rød", "rød")
    )


def test_the_pages_read_the_chart_colours_from_the_same_palette(client):
    assert (ROOT / "static" / "css" / "palette.css").read_text(encoding="utf-8") == palette.stylesheet()
    assert '<link rel="stylesheet" href="/static/css/palette.css">' in client.get("/login").get_data(as_text=True)


def test_only_adopted_measures_are_in_the_measure_table_and_the_menu_is_an_appendix(
    elverum, measure_by_code, adopt, db
):
    adopt(elverum, except_codes=("4.2", "4.3"))  # 4.3 stays utredet: on the menu, not in the plan
    measure_by_code("4.2").status = "ikke vedtatt"
    db.session.commit()
    sections = {s.title: s for s in document(collect(elverum, Q3, "politikere"))}
    status_rows = sections["Status per tiltak"].blocks[0].rows
    assert len(status_rows) == 42
    assert not any(row[0].startswith(("4.2 ", "4.3 ")) for row in status_rows)
    menu = sections["Vedlegg: menyen"]
    assert "Meny: 88,1 mill. kr" in menu.blocks[0].text and "2 tiltak er ikke med" in menu.blocks[0].text
    assert [(row[0][:4], row[1]) for row in menu.blocks[1].rows] == [("4.2 ", "Ikke vedtatt"), ("4.3 ", "Utredet")]
    assert menu.blocks[2].rows[-1][0] == "Sum" and "88,1" in menu.blocks[2].rows[-1]


def test_the_report_takes_the_plan_model_of_issue_11(elverum, measure_by_code, adopt, make_figures, db):
    """Adopted plan, prognose i fare, approved take-out and per-year targets come from the decision model."""
    from tracker.benefits import services as benefits
    from tracker.portfolio import targets

    adopt(elverum, ["4.3"])
    measure = measure_by_code("4.3")
    make_figures(measure, Q3, 3_300_000, 4_200_000)  # on plan: 4,2 mill. kr in 2026
    benefits.set_take_out(measure, 2026, 1_000_000, "", SYSTEM)
    targets.set_target(elverum, 2026, 2_000_000, "Budsjettvedtak", SYSTEM)
    db.session.commit()
    snapshot = collect(elverum, Q3, "politikere")
    year = snapshot.year(2026)
    # 4.3 alone is planned; its realised 3,3 mill. kr is never discounted, only what is still to come:
    # 3 300 000 + 0,75 (no status report: gul) × (4 200 000 - 3 300 000) = 3 975 000.
    assert (year.planned_nok, year.target_nok, year.realised_nok) == (4_200_000, 2_000_000, 3_300_000)
    assert year.risk_adjusted_forecast_nok == 3_975_000
    assert year.taken_out_nok == 1_000_000 and year.budget_taken_out_nok == 0  # entered, not yet approved
    assert [m.code for m in snapshot.measures if m.is_adopted] == ["4.3"]


def test_the_amu_report_sums_the_adopted_plans_arsverk_per_year(elverum, measure_by_code, adopt, db):
    """Known numbers are summed, unknown ones counted: 1.1 has -1,5 in 2026 and -2 in 2027, 4.3 none."""
    from tracker.scenarios import variants

    variants.set_fte_change(measure_by_code("1.1"), {2026: Decimal("-1.5"), 2027: Decimal("-2")}, SYSTEM)
    variants.set_fte_change(measure_by_code("2.2"), {2026: Decimal("-4")}, SYSTEM)  # not adopted: not counted
    adopt(elverum, ["1.1", "4.3"])
    fte = {row.year: (row.fte_change, row.unknown) for row in collect(elverum, Q3, "amu").fte_years}
    assert fte == {2026: (-1.5, 1), 2027: (-2.0, 1), 2028: (None, 2), 2029: (None, 2)}


# --- decisions carry their audience ------------------------------------------------------------


@pytest.fixture()
def staffed(make_measure, make_update, db):
    """1.2 affects staff (registered consequences) and asks ledergruppe to keep two posts vacant; 2.2 asks the
    politicians for a decision."""
    owner_measure = make_measure("1.2", plan={2026: 2_500_000}, status="vedtatt")
    other = make_measure("2.2", plan={2026: 1_000_000}, status="vedtatt")
    make_update(owner_measure, Q3, "gul", decisions_needed="Holde to stillinger vakante", confidence_justification="x")
    make_update(
        other,
        Q3,
        "rød",
        decisions_needed="Kommunestyret må vedta ny struktur",
        decisions_audience="politikere",
        confidence_justification="x",
    )
    db.session.add(
        EmployeeConsequence(
            measure_id=owner_measure.id,
            affected_units="Skolene",
            affected_employees=10,
            fte_change_planned=Decimal("-2.0"),
            union_consultation_date=date(2026, 10, 15),
            work_env_assessment_date=date(2026, 9, 1),
            work_env_assessment_summary="ROS gjennomført",
        )
    )
    owner_measure.fte_effect = "Anslått -2 årsverk"
    db.session.commit()
    return owner_measure.programme


def test_the_politicians_get_their_decisions_and_amu_the_decisions_of_measures_that_affect_staff(staffed):
    politicians = text_of(services.render_report(staffed, Q3, "politikere").pdf)
    assert "Kommunestyret må vedta ny struktur" in politicians
    assert "Holde to stillinger vakante" not in politicians
    assert "1 beslutning" in politicians  # the ledergruppe request is counted, not listed
    amu = text_of(services.render_report(staffed, Q3, "amu").pdf)
    assert "Holde to stillinger vakante (beslutning av: Ledergruppen)" in amu
    assert "Anslått -2 årsverk" in amu and "Hele perioden -2,0" in amu
    assert "Gul" in amu  # the traffic light of 1.2


def test_the_status_update_form_asks_who_must_decide(staffed, make_user, login, client, measure_by_code, db):
    from tracker.updates.forms import StatusUpdateForm

    assert StatusUpdateForm.decisions_audience.kwargs["default"] == "ledergruppe"
    admin = make_user("admin")
    login(admin)
    measure = measure_by_code("1.2")
    page = client.get(f"/oppfolging/tiltak/{measure.id}/statusrapporter/2026-Q4").get_data(as_text=True)
    assert 'name="decisions_audience"' in page and "Politikerne" in page


# --- 3. as of the quarter's end ----------------------------------------------------------------


def test_records_dated_after_the_quarter_are_left_out_everywhere(staffed, measure_by_code, db):
    measure = measure_by_code("2.2")
    measure.status_changes.append(
        StatusChange(from_status="vedtatt", to_status="avbrutt", decided_date=date(2026, 11, 1))
    )
    measure.status = "avbrutt"
    db.session.commit()
    snapshot = collect(staffed, Q3, "amu")
    staff = {row.code: row for row in snapshot.staff}
    assert staff["1.2"].consultation == "Ikke drøftet"  # drøftet 15.10.2026, after the quarter
    assert staff["1.2"].risk_assessment == "01.09.2026: ROS gjennomført"
    line = next(m for m in snapshot.measures if m.code == "2.2")
    assert (line.status, line.is_adopted) == ("vedtatt", True)  # stopped in November: still adopted on 30.09
    assert {row.label: row.count for row in snapshot.left_out} == {
        "vedtak om status": 1,
        "drøftinger med tillitsvalgte": 1,
    }
    text = text_of(services.render_report(staffed, Q3, "amu").pdf)
    assert "Rapporten viser stillingen per 30.09.2026" in text and "2 registreringer datert etter 30.09.2026" in text
    assert "Drøftet 15.10.2026" not in text
    assert snapshot.year(2026).planned_nok == 3_500_000


def test_kpi_values_are_those_of_the_quarter(make_measure, make_figures, db):
    from tracker.kpis.models import Kpi, KpiMeasurement

    measure = make_measure("1.1", plan={2026: 4_000_000}, status="vedtatt")
    make_figures(measure, Q3, 500_000, 1_000_000, "Forsinket", "Ny plan")
    kpi = Kpi(measure_id=measure.id, name="Sykefravær", unit="%", direction="lower", baseline_value=Decimal("9"))
    kpi.measurements += [
        KpiMeasurement(year=2026, quarter=3, value=Decimal("8.5")),
        KpiMeasurement(year=2026, quarter=4, value=Decimal("7")),
    ]
    db.session.add(kpi)
    db.session.commit()
    (row,) = collect(measure.programme, Q3, "politikere").kpis
    assert (row.name, row.latest, row.latest_period, row.trend) == ("Sykefravær", "8,5 %", "3. kvartal 2026", "Bedre")
    assert "Nøkkelindikatorer for tiltak med avvik" in text_of(
        services.render_report(measure.programme, Q3, "politikere").pdf
    )


def test_a_quarter_not_yet_ended_needs_preview_and_is_marked_utkast(make_measure, runner, tmp_path, clock):
    programme = make_measure("1.1", plan={2026: 1_000_000}).programme
    with pytest.raises(services.ReportError, match="ikke slutt"):
        services.render_report(programme, Q4, "politikere")
    rendered = services.render_report(programme, Q4, "politikere", preview=True)
    assert rendered.snapshot.is_preview
    reader = reader_of(rendered.pdf)
    assert all("UTKAST" in page.extract_text() for page in reader.pages)
    assert "UTKAST" in rendered.html
    target = tmp_path / "utkast.pdf"
    refused = runner.invoke(
        args=["reports", "build", "--period", "2026-Q4", "--audience", "amu", "--output", str(target)]
    )
    assert refused.exit_code != 0 and "--preview" in refused.output
    built = runner.invoke(
        args=["reports", "build", "--period", "2026-Q4", "--audience", "amu", "--output", str(target), "--preview"]
    )
    assert built.exit_code == 0, built.output
    assert target.with_suffix(".html").exists()


def test_the_schedule_never_builds_an_unfinished_quarter(make_measure, db, clock, monkeypatch):
    from tracker.reports import jobs
    from tracker.reports.models import Report

    make_measure("1.1", plan={2026: 1_000_000})
    monkeypatch.setattr(jobs, "reports_due", lambda *_args: [(Q4, "politikere"), (Q3, "amu")])
    built, _ = jobs.generate_due(date(2026, 12, 31), send=False)
    assert [(r.period, r.audience) for r in db.session.scalars(select(Report))] == [("2026-Q3", "amu")]
    assert len(built) == 1


# --- 7. Norwegian periods, file names, mail ------------------------------------------------------


def test_mail_file_names_and_cli_say_3_kvartal_2026(make_measure, db, smtp_server, runner, app, monkeypatch):
    from tracker.reports import jobs
    from tracker.reports.models import ReportRecipient

    make_measure("1.1", plan={2026: 1_000_000, 2029: 3_000_000}, status="vedtatt")
    db.session.add(ReportRecipient(audience="politikere", name="Ordfører", email="ordforer@example.no"))
    db.session.commit()
    monkeypatch.setitem(app.config, "REPORT_MAIL_SIGNATURE_POLITIKERE", "Hilsen\nKommunedirektøren i Testkommune")
    jobs.generate_due(date(2026, 10, 14))
    message = smtp_server.messages[0]["message"]
    assert message["Subject"] == "Statusrapport 3. kvartal 2026 – Formannskapet og kommunestyret"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "3. kvartal 2026" in body and "2026-Q3" not in body and "versjon" not in body
    assert "Prognose 2029: 3,0 mill. kr, 1,0 mill. kr over målet på 2,0 mill. kr" in body
    assert "Realisert 2026:" in body and "http://localhost:5000/rapporter/" in body
    assert body.rstrip().endswith("Hilsen\nKommunedirektøren i Testkommune")
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["tiltaksrapport-politikere-2026-3-kvartal.pdf", "tiltaksrapport-politikere-2026-3-kvartal.html"]
    listed = runner.invoke(args=["reports", "list", "--json"])
    import json

    entry = next(e for e in json.loads(listed.output) if e["audience"] == "politikere")
    assert (entry["period"], entry["period_label"]) == ("2026-Q3", "3. kvartal 2026")


# --- 8. publication ----------------------------------------------------------------------------


def test_only_the_politicians_report_is_published_and_each_publication_is_audited(
    make_measure, db, client, make_user, login
):
    programme = make_measure("1.1", plan={2026: 1_000_000}).programme
    politicians = services.build_report(programme, Q3, "politikere", SYSTEM)
    amu = services.build_report(programme, Q3, "amu", SYSTEM)
    db.session.commit()
    assert client.get(f"/offentlig/rapporter/{politicians.id}.pdf").status_code == 404
    login(make_user("admin"))
    assert client.post(f"/rapporter/{politicians.id}/publisering").status_code == 302
    assert client.post(f"/rapporter/{amu.id}/publisering").status_code == 302
    db.session.expire_all()
    assert politicians.is_published and not amu.is_published
    client.post("/logout")
    page = client.get("/offentlig/rapporter/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "offentleglova" in text and "3. kvartal 2026" in text
    assert f"/offentlig/rapporter/{amu.id}" not in text
    pdf = client.get(f"/offentlig/rapporter/{politicians.id}.pdf")
    assert pdf.status_code == 200 and pdf.data == politicians.pdf_bytes
    html = client.get(f"/offentlig/rapporter/{politicians.id}.html")
    assert html.status_code == 200 and "<svg" in html.get_data(as_text=True)
    assert "style-src 'unsafe-inline'" in html.headers["Content-Security-Policy"]
    assert client.get(f"/offentlig/rapporter/{amu.id}.html").status_code == 404
    with pytest.raises(services.ReportError):
        services.publish_report(SYSTEM, amu)
    services.unpublish_report(SYSTEM, politicians)
    db.session.commit()
    assert client.get(f"/offentlig/rapporter/{politicians.id}.pdf").status_code == 404
    actions = [
        e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("report.%publish")))
    ]
    assert actions == ["report.publish", "report.unpublish"]


def test_only_admins_publish(make_measure, db, client, make_user, login):
    report = services.build_report(make_measure().programme, Q3, "politikere", SYSTEM)
    db.session.commit()
    login(make_user("ledergruppe"))
    assert client.post(f"/rapporter/{report.id}/publisering").status_code == 403


# --- 5. the same charts in the HTML --------------------------------------------------------------


def test_the_html_has_the_pdfs_charts_as_accessible_svg(elverum):
    rendered = services.render_report(elverum, Q3, "politikere")
    svgs = re.findall(r"<svg [^>]*>.*?</svg>", rendered.html, re.S)
    charts_in_pdf = [b for s in document(rendered.snapshot) for b in s.blocks if isinstance(b, BarChart)]
    assert len(svgs) == len(charts_in_pdf) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert palette.SERIES["bar-forecast"] in svgs[0] and palette.TARGET in svgs[0]
    assert re.search(r"</svg>\s*<table>\s*<caption>Innsparing per år", rendered.html)
    assert "(tallene i tabellen under)" not in rendered.html


# --- 6. typography ----------------------------------------------------------------------------


def test_table_headers_are_never_smaller_than_their_body():
    assert HEAD_SIZE >= CELL_SIZE
    assert charts.SIZE >= CELL_SIZE


def test_no_page_of_the_demo_reports_holds_only_a_line_or_two(elverum, db):
    from tracker.demo.services import load_demo

    load_demo(Q4, SYSTEM)
    db.session.commit()
    for audience in ("politikere", "amu"):
        reader = reader_of(services.render_report(elverum, Q3, audience).pdf)
        for number, page in enumerate(reader.pages, start=1):
            # Header (3 pieces) and footer (2) aside, a page carries at least a few lines of content.
            lines = [line for line in page.extract_text().splitlines() if line.strip()]
            assert len(lines) - 5 >= 4, (audience, number, lines)


def test_no_word_is_split_across_lines_in_a_table(elverum):
    from tracker.reports.pdf_tables import CONTENT_WIDTH, column_widths

    snapshot = collect(elverum, Q3, "politikere")
    for section in document(snapshot):
        for block in section.blocks:
            table = getattr(block, "table", block)
            if hasattr(table, "header"):
                assert sum(column_widths(table)) <= CONTENT_WIDTH + 0.5


def test_readable_file_names():
    from tracker.reports.models import report_file_stem

    assert report_file_stem("politikere", Q3) == "tiltaksrapport-politikere-2026-3-kvartal"
    assert report_file_stem("amu", Q4, 2, True) == "tiltaksrapport-amu-2026-4-kvartal-versjon-2-utkast"


def test_the_archive_page_builds_a_draft_only_when_asked(make_measure, db, client, make_user, login, clock):
    from tracker.reports.models import Report

    make_measure()
    login(make_user("admin"))
    refused = client.post("/rapporter/bygg", data={"period": "2026-Q4", "audience": "politikere"})
    assert refused.status_code == 400 and "ikke slutt ennå" in refused.get_data(as_text=True)
    built = client.post("/rapporter/bygg", data={"period": "2026-Q4", "audience": "politikere", "preview": "y"})
    assert built.status_code == 302
    report = db.session.scalar(select(Report))
    assert report.is_preview and report.file_stem.endswith("-utkast")
    page = client.get("/rapporter/").get_data(as_text=True)
    assert "4. kvartal 2026 <strong>(utkast)</strong>" in page
    with pytest.raises(services.ReportError):
        services.publish_report(SYSTEM, report)
