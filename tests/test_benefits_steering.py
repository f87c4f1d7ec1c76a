"""Figures to steer by, end to end: later-year forecasts (form and Excel), targets per year, carried gap,
approved take-outs, one-off savings and "prognose i fare" on the dashboard."""

import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from tests.test_benefits_import import workbook_bytes
from tracker.accounts.permissions import SYSTEM
from tracker.audit.models import AuditEntry
from tracker.benefits import queries, services
from tracker.benefits.importing import FiguresImportError, import_figures
from tracker.periods import Quarter
from tracker.portfolio import targets
from tracker.portfolio.status import VEDTATT

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4
Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)
HEADERS = [
    "Tiltak",
    "År",
    "Kvartal",
    "Realisert hittil i år (kr)",
    "Prognose helår (kr)",
    "Herav engangseffekt (kr)",
    "Prognose 2027 (kr)",
    "Prognose 2029 (kr)",
    "Forklaring avvik",
    "Korrigerende tiltak",
]


@pytest.fixture()
def measures(make_measure, make_user):
    """Two adopted measures: 1.1 plans 1,0 / 2,0 / 2,0 / 2,0 mill. kr in 2026-2029, 2.1 0,5 every year."""
    owner = make_user("tiltaksansvarlig")
    plan_11 = {2026: 1_000_000, 2027: 2_000_000, 2028: 2_000_000, 2029: 2_000_000}
    return {
        "1.1": make_measure("1.1", plan=plan_11, status=VEDTATT, owner=owner),
        "2.1": make_measure("2.1", plan=dict.fromkeys(range(2026, 2030), 500_000), status=VEDTATT, owner=owner),
    }


def summary(runner, as_of="2026-Q4") -> dict:
    result = runner.invoke(args=["portfolio", "summary", "--json", "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_later_year_forecast_from_the_excel_import_moves_that_years_forecast_and_gap(measures, runner, db):
    programme = measures["1.1"].programme
    before = summary(runner)["years"]["2029"]
    rows = [("1.1", 2026, 3, 400_000, 1_000_000, None, None, 1_200_000, "Senere start", "Ny plan")]
    import_figures(programme, workbook_bytes(rows, HEADERS), SYSTEM)
    db.session.commit()
    after = summary(runner)["years"]["2029"]
    # 2029: plan 2,0 + 0,5; the forecast for 1.1 is now 1,2: 800 000 lower, and the gap to 2 000 000 as much wider.
    assert (before["forecast_nok"], after["forecast_nok"]) == (2_500_000, 1_700_000)
    assert (before["gap_nok"], after["gap_nok"]) == (-500_000, 300_000)
    assert summary(runner)["years"]["2027"]["forecast_nok"] == 2_500_000  # no 2027 forecast given: the plan stands


def test_a_later_year_forecast_below_plan_needs_the_rows_explanation(measures, db):
    rows = [("1.1", 2026, 3, 400_000, 1_000_000, None, 1_500_000, None, None, None)]
    with pytest.raises(FiguresImportError) as caught:
        import_figures(measures["1.1"].programme, workbook_bytes(rows, HEADERS), SYSTEM)
    assert "Prognosen for 2027 er et avvik fra planen" in caught.value.messages[0]


def test_the_newest_later_forecast_stands_until_replaced(measures, make_figures, runner):
    make_figures(measures["1.1"], Q3, 300_000, 1_000_000, "Sent", "Tiltak", later={2029: 1_500_000})
    make_figures(measures["1.1"], Q4, 600_000, 1_000_000)  # gives no 2029 forecast: Q3's stands
    assert summary(runner)["years"]["2029"]["forecast_nok"] == 1_500_000 + 500_000
    assert summary(runner, "2026-Q2")["years"]["2029"]["forecast_nok"] == 2_500_000  # before Q3: the plan


def test_the_owner_form_takes_later_year_forecasts_and_the_one_off_part(measures, client, login, db):
    login(measures["1.1"].owner)
    url = f"/gevinster/tiltak/{measures['1.1'].id}/kvartal/2026-Q4"
    page = client.get(url).get_data(as_text=True)
    assert "Prognose 2027 (kr)" in page and "Prognose 2029 (kr)" in page and "Herav engangseffekt (kr)" in page
    data = {"realised": "900 000", "forecast": "1 000 000", "one_off": "200 000", "forecast_2028": "1 000 000"}
    refused = client.post(url, data=data).get_data(as_text=True)
    assert "Prognosen for 2028 er et avvik fra planen: forklar hvorfor." in refused
    data |= {"explanation": "Færre brukere", "corrective_action": "Nytt tiltak"}
    assert client.post(url, data=data).status_code == 302
    figure = queries.get_figure(measures["1.1"], Q4)
    assert (figure.one_off_nok, figure.later_forecasts_by_year()) == (200_000, {2028: 1_000_000})


def test_a_closed_years_recurring_shortfall_is_carried_into_the_next_year(measures, make_figures, runner, db, clock):
    from datetime import date

    make_figures(measures["1.1"], Q4, 900_000, 900_000, one_off=300_000)
    make_figures(measures["2.1"], Q4, 500_000, 500_000)
    assert summary(runner)["years"]["2027"]["carried_gap_nok"] is None  # 2026 not closed yet
    clock.set(date(2027, 1, 20))
    services.close_quarter(Q4, SYSTEM)
    db.session.commit()
    shown = summary(runner, "2027-Q1")
    # 2026 had no target: its plan (1,5 mill.) − recurring realised (1,4 − 0,3 one-off) = 400 000 carried.
    assert shown["years"]["2027"]["carried_gap_nok"] == 400_000
    assert shown["years"]["2026"]["one_off_nok"] == 300_000
    assert shown["groups"]["1"]["years"]["2027"]["carried_gap_nok"] == 400_000
    assert shown["groups"]["2"]["years"]["2027"]["carried_gap_nok"] == 0


def test_targets_per_year_are_set_with_a_reason_audited_and_give_gaps(measures, client, login, make_user, runner, db):
    programme = measures["1.1"].programme
    login(make_user("admin"))
    refused = client.post("/gevinster/mal", data={"scope": "program", "year": "2027", "amount": "2 000 000"})
    assert "Skriv hvorfor målet endres." in refused.get_data(as_text=True)
    group = programme.groups[0]
    for scope, amount in (("program", "3 000 000"), (str(group.id), "1 800 000")):
        response = client.post(
            "/gevinster/mal", data={"scope": scope, "year": "2027", "amount": amount, "reason": "HØP 2026-2029"}
        )
        assert response.status_code == 302
    shown = summary(runner)
    assert (shown["years"]["2027"]["target_nok"], shown["years"]["2027"]["gap_nok"]) == (3_000_000, 500_000)
    group_2027 = shown["groups"]["1"]["years"]["2027"]
    assert (group_2027["target_nok"], group_2027["gap_nok"]) == (1_800_000, -200_000)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(["targets.set", "targets.group"])))
    assert [entry.changes["reason"]["new"] for entry in entries] == ["HØP 2026-2029", "HØP 2026-2029"]
    with pytest.raises(targets.TargetError):
        targets.set_target(programme, 2031, 1, "Utenfor", SYSTEM)


def test_approved_take_outs_and_their_share_of_planned(measures, client, login, make_user, db):
    admin, other = make_user("admin"), make_user("admin")
    take_out = services.set_take_out(measures["1.1"], 2026, 600_000, "", admin)
    services.set_take_out(measures["2.1"], 2026, 100_000, "", admin)
    services.approve_take_out(take_out, other)
    db.session.commit()
    login(make_user("ledergruppe"))
    html = client.get("/gevinster/?year=2026&quarter=2026-Q4").get_data(as_text=True)
    assert 'data-figure="headline-taken_out_approved_nok" data-value="600000"' in html
    assert "40 % av vedtatt" in html  # 600 000 of 1 500 000 planned
    assert 'data-figure="year-2026-taken_out_nok" data-value="700000"' in html


def test_prognose_i_fare_on_the_dashboard_with_the_reason(measures, make_measure, client, login, make_user, db):
    from tracker.dependencies.services import add_dependency

    late = make_measure(
        "1.3",
        plan={2027: 1_000_000},
        status=VEDTATT,
        milestones=[{"what": "Avtale signert", "due_date": "2026-10-01"}],
    )
    add_dependency(measures["2.1"], late, SYSTEM)
    db.session.commit()
    login(make_user("ledergruppe"))
    html = client.get("/gevinster/").get_data(as_text=True)
    assert "Prognose i fare" in html
    assert "Milepælen «Avtale signert» er forsinket (frist 01.10.2026)." in html
    assert "Bygger på tiltak 1.3, som har en forsinket milepæl." in html


def test_the_quarter_exports_in_the_import_format_and_reads_back_unchanged(
    measures, make_figures, db, client, login, make_user
):
    make_figures(measures["1.1"], Q4, 300_000, 1_000_000, "Sent", "Tiltak", later={2029: 1_500_000}, one_off=50_000)
    login(make_user("admin"))
    data = client.get("/gevinster/kvartalstall-2026-Q4.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5:9] == (
        "Herav engangseffekt (kr)",
        "Prognose 2027 (kr)",
        "Prognose 2028 (kr)",
        "Prognose 2029 (kr)",
    )
    assert rows[1][:9] == ("1.1", 2026, 4, 300_000, 1_000_000, 50_000, None, None, 1_500_000)
    assert rows[2][:3] == ("2.1", 2026, 4) and rows[2][3] is None
    filled = [rows[1]]  # only the reported row back in
    book = openpyxl.Workbook()
    book.active.append(rows[0])
    book.active.append(filled[0])
    buffer = io.BytesIO()
    book.save(buffer)
    before = len(queries.get_figure(measures["1.1"], Q4).revisions)
    import_figures(measures["1.1"].programme, buffer.getvalue(), SYSTEM)
    db.session.commit()
    assert len(queries.get_figure(measures["1.1"], Q4).revisions) == before  # nothing changed
