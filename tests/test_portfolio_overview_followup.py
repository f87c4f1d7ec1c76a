"""The overview's follow-up columns (adopted plan, forecast, traffic light, deviation, last update), the
"vis bare" filter, and the same columns in the Excel export's "Oppfølging" sheet."""

import io
import re
from datetime import date

import openpyxl
import pytest

from tracker.accounts.permissions import SYSTEM
from tracker.periods import Quarter
from tracker.updates import services as updates

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4
Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)


@pytest.fixture()
def portfolio(make_measure, make_user, make_figures, make_update, db):
    """1.1 adopted, reports nothing in Q4; 1.2 adopted, forecast 0,2 of 0,4 (a deviation), rød; 1.3 utredet; 2.1 rejected."""
    owner = make_user("tiltaksansvarlig", full_name="Kari Eier")
    measures = {
        "1.1": make_measure("1.1", plan={2026: 1_000_000, 2027: 2_000_000}, status="vedtatt", owner=owner),
        "1.2": make_measure("1.2", plan={2026: 400_000, 2027: 400_000}, status="vedtatt", owner=owner),
        "1.3": make_measure("1.3", plan={2026: 300_000}),
        "2.1": make_measure("2.1", plan={2026: 900_000}, status="ikke vedtatt"),
    }
    make_figures(measures["1.1"], Q3, 100_000, 1_000_000)
    make_figures(measures["1.2"], Q4, 50_000, 200_000, "Forsinket oppstart", "Ny plan til ledergruppa")
    make_update(measures["1.2"], Q4, "rød", confidence_justification="Forsinket")
    make_update(measures["1.1"], Q3, "grønn", confidence_justification="I rute")
    updates.create_round(measures["1.1"].programme, Q4, date(2027, 1, 10), SYSTEM)
    db.session.commit()
    return measures


def _row(html: str, code: str) -> str:
    """The table row of one measure (from its code cell to the end of the row)."""
    start = html.index(f"<td>{code}</td>")
    return html[start : html.index("</tr>", start)]


def test_the_overview_shows_plan_forecast_traffic_light_deviation_and_last_update(portfolio, client, login, make_user):
    login(make_user("ledergruppe"))
    html = client.get("/portefolje/").get_data(as_text=True)
    assert "Vedtatt plan 2026" in html and "Prognose 2026" in html and "Trafikklys" in html
    first, second = _row(html, "1.1"), _row(html, "1.2")
    assert '<td class="num" data-figure="plan">1,0</td>' in first
    assert "Grønn" in first and "3. kvartal 2026" in first and "mangler tall og statusrapport" in first
    assert re.search(r'data-figure="forecast">0,2</td>', second)
    assert "0,2 under planen" in second and "avvik</span>" in second and "Rød" in second
    assert "4. kvartal 2026" in second and "mangler" not in second
    assert '<span class="sub">(plan)</span>' in _row(html, "1.3")
    assert 'data-figure="plan-total">1,7</td>' in html  # 1,0 + 0,4 + 0,3; the rejected 2.1 does not count
    assert 'data-figure="forecast-total">1,5</td>' in html  # 1,0 + 0,2 + 0,3 (1.3's plan)


def test_the_year_of_the_follow_up_columns_can_be_chosen(portfolio, client, login, make_user):
    login(make_user("ledergruppe"))
    html = client.get("/portefolje/?aar=2027").get_data(as_text=True)
    assert "Vedtatt plan 2027" in html and '<option selected value="2027">' in html
    assert '<td class="num" data-figure="plan">2,0</td>' in _row(html, "1.1")


@pytest.mark.parametrize(
    ("show", "codes"), [("avvik", ["1.2"]), ("mangler-rapport", ["1.1", "1.3"]), ("", ["1.1", "1.2", "1.3", "2.1"])]
)
def test_show_only_deviations_or_missing_reports(portfolio, client, login, make_user, show, codes):
    login(make_user("ledergruppe"))
    html = client.get(f"/portefolje/?vis={show}").get_data(as_text=True)
    assert re.findall(r"<td>(\d+\.\d+)</td>", html) == codes


def test_forecast_at_risk_is_offered_only_once_issue_11_flags_a_measure(portfolio, client, login, make_user):
    login(make_user("ledergruppe"))
    html = client.get("/portefolje/").get_data(as_text=True)
    assert 'value="avvik"' in html and 'value="mangler-rapport"' in html
    assert "prognose-i-fare" not in html and "Prognose i fare" not in html


def test_the_excel_export_has_the_same_columns_on_its_follow_up_sheet(portfolio, client, login, make_user):
    login(make_user("ledergruppe"))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/portefolje/eksport.xlsx").data))
    rows = list(workbook["Oppfølging"].iter_rows(values_only=True))
    header, by_code = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[:7] == (
        "Kode",
        "Tittel",
        "Status",
        "Tiltaksansvarlig",
        "Trafikklys",
        "Siste oppdatering",
        "Mangler rapport",
    )
    second = by_code["1.2"]
    assert (second["Trafikklys"], second["Siste oppdatering"], second["Mangler rapport"]) == (
        "Rød",
        "4. kvartal 2026",
        None,
    )
    assert (second["Vedtatt plan 2026 (mill. kr)"], second["Prognose 2026 (mill. kr)"]) == (0.4, 0.2)
    assert (second["Prognose minus plan 2026 (mill. kr)"], second["Avvik 2026"]) == (pytest.approx(-0.2), "Ja")
    assert by_code["1.1"]["Mangler rapport"] == "tall og statusrapport"
    assert by_code["2.1"]["Prognose 2026 (mill. kr)"] is None and by_code["2.1"]["Status"] == "Ikke vedtatt"
