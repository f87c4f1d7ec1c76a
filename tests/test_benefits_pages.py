"""Benefits pages: landing per role, the dashboard, the owner's form, periods, and one set of numbers everywhere."""

import io
import json
import re

import openpyxl
import pytest

from tracker.benefits import queries, services
from tracker.periods import Quarter
from tracker.portfolio.status import VEDTATT

Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)


pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4

# Planned savings: 2026 300 000 + 2 500 000 + 900 000 + 0 − 1 120 000 = 2 580 000;
# 2029 600 000 + 1 000 000 + 0 + 400 000 − 1 120 000 = 880 000, of which group 2 400 000 − 1 120 000.
PLANS = {
    "1.1": {2026: 300_000, 2029: 600_000},
    "1.2": {2026: 2_500_000, 2029: 1_000_000},
    "1.3": {2026: 900_000},
    "2.2": {2026: 0, 2027: 9_100_000, 2029: 400_000},
    "2.11": {2026: -1_120_000, 2029: -1_120_000},
}


@pytest.fixture()
def people(make_user):
    return {role: make_user(role) for role in ("admin", "ledergruppe", "tiltaksansvarlig", "leser")}


@pytest.fixture()
def measures(make_measure, people):
    """Adopted measures of one owner: on plan, a deviation, not reported (1.3), a late starter and a cost."""
    owner = people["tiltaksansvarlig"]
    return {code: make_measure(code, plan=plan, status=VEDTATT, owner=owner) for code, plan in PLANS.items()}


@pytest.fixture()
def portfolio(measures, people, make_figures, db):
    """The measures with figures: 1.1 on plan and approved in Q4, 1.2 and 2.11 off plan, a take-out."""
    admin = people["admin"]
    make_figures(measures["1.1"], Q3, 100_000, 300_000)
    make_figures(measures["1.1"], Q4, 220_000, 300_000, approved_by=admin)
    make_figures(measures["1.2"], Q4, 900_000, 1_500_000, "Vedtak utsatt", "Ny plan")
    make_figures(measures["2.11"], Q4, -1_000_000, -1_300_000, "Dyrere", "Forhandle")
    services.set_take_out(measures["1.1"], 2026, 300_000, "", admin)
    db.session.commit()
    return measures["1.1"].programme


def data_figures(html: str) -> dict[str, int | None]:
    """{data-figure key: value} from a page; empty values (no target, no gap) become None."""
    found = re.findall(r'data-figure="([^"]+)" data-value="(-?\d*)"', html)
    return {key: (int(value) if value else None) for key, value in found}


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("admin", "/gevinster/"),
        ("ledergruppe", "/gevinster/"),
        ("tiltaksansvarlig", "/gevinster/mine"),
        ("leser", "/portefolje/"),
    ],
)
def test_each_role_lands_on_its_page(make_programme, people, client, login, role, landing):
    make_programme()
    login(people[role])
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.endswith(landing)


FIELDS = (
    "planned_nok",
    "forecast_nok",
    "risk_adjusted_forecast_nok",
    "realised_nok",
    "realised_approved_nok",
    "target_nok",
    "gap_nok",
)
EXPORT_COLUMNS = {
    "target_nok": 1,
    "planned_nok": 2,
    "forecast_nok": 3,
    "risk_adjusted_forecast_nok": 4,
    "realised_nok": 5,
    "realised_approved_nok": 6,
    "gap_nok": 8,
}
SUMMARY_KEYS = {name: name for name in FIELDS} | {"planned_nok": "planned_savings_nok"}


def test_dashboard_export_and_summary_json_show_the_same_numbers(portfolio, people, client, login, runner):
    login(people["ledergruppe"])
    page = data_figures(client.get("/gevinster/?quarter=2026-Q4&year=2026").get_data(as_text=True))
    page_2029 = data_figures(client.get("/gevinster/?quarter=2026-Q4&year=2029").get_data(as_text=True))
    summary = json.loads(runner.invoke(args=["portfolio", "summary", "--json", "--as-of", "2026-Q4"]).output)
    export = openpyxl.load_workbook(io.BytesIO(client.get("/gevinster/eksport.xlsx?quarter=2026-Q4").data))
    by_year = {row[0]: row for row in export["Per år"].iter_rows(min_row=3, values_only=True)}
    by_group = {
        (row[0].split()[0], row[1]): row[1:]
        for row in export["Per arbeidsgruppe"].iter_rows(min_row=3, values_only=True)
    }

    for year, row in summary["years"].items():
        for name in FIELDS:
            value = row[SUMMARY_KEYS[name]]
            assert page[f"year-{year}-{name}"] == value, (year, name)
            assert by_year[int(year)][EXPORT_COLUMNS[name]] == value, (year, name)
    for number, group in summary["groups"].items():
        for year, shown in (("2026", page), ("2029", page_2029)):
            for name in FIELDS:
                value = group["years"][year][SUMMARY_KEYS[name]]
                assert shown[f"group-{year}-{number}-{name}"] == value, (number, year, name)
                assert by_group[(number, int(year))][EXPORT_COLUMNS[name]] == value, (number, year, name)
    # The same numbers, computed by hand for 2026 against the plan: 1.1 on plan, 1.2 1 000 000 under its 2 500 000,
    # 2.11 180 000 more cost; realised 220 000 + 900 000 − 1 000 000, of which 220 000 approved.
    planned_2026 = summary["years"]["2026"]["planned_savings_nok"]
    assert planned_2026 == 2_580_000
    assert summary["years"]["2026"]["forecast_nok"] == planned_2026 - 1_000_000 - 180_000
    assert summary["years"]["2026"]["realised_nok"] == 120_000
    assert summary["years"]["2026"]["realised_approved_nok"] == 220_000
    # Nothing is reported for 2029: the forecast is the plan, 880 000, against a target of 2 000 000.
    assert summary["years"]["2029"]["target_nok"] == 2_000_000
    assert summary["years"]["2029"]["gap_nok"] == 2_000_000 - summary["years"]["2029"]["forecast_nok"] == 1_120_000
    assert page_2029["headline-gap_nok"] == summary["years"]["2029"]["gap_nok"]
    assert summary["groups"]["2"]["years"]["2029"]["target_nok"] == 500_000


def test_summary_json_without_figures_forecasts_the_plan(measures, runner):
    summary = json.loads(runner.invoke(args=["portfolio", "summary", "--json", "--as-of", "2026-Q2"]).output)
    assert summary["as_of"] == "2026-Q2"
    row = summary["years"]["2029"]
    assert (row["planned_savings_nok"], row["forecast_nok"], row["realised_nok"]) == (880_000, 880_000, 0)
    assert (row["target_nok"], row["gap_nok"]) == (2_000_000, 2_000_000 - 880_000)
    assert summary["years"]["2027"]["target_nok"] is None and summary["years"]["2027"]["gap_nok"] is None
    # Group 2 must save 500 000 and plans 400 000 − 1 120 000 in 2029.
    group_2 = summary["groups"]["2"]["years"]["2029"]
    assert group_2["forecast_nok"] == -720_000
    assert group_2["gap_nok"] == 500_000 - group_2["forecast_nok"]


def test_dashboard_lists_deviations_and_missing_updates_with_drill_down(portfolio, people, client, login, measures):
    login(people["admin"])
    html = client.get("/gevinster/?quarter=2026-Q4").get_data(as_text=True)
    assert "Vedtak utsatt" in html and "Forhandle" in html
    silent, late = measures["1.3"], measures["2.2"]
    assert f'href="/gevinster/tiltak/{silent.id}">Tiltak 1.3</a>' in html  # no report for Q4
    assert f'href="/gevinster/tiltak/{late.id}">Tiltak 2.2</a>' not in html  # nothing planned in 2026
    ledger = client.get(f"/gevinster/tiltak/{measures['1.1'].id}").get_data(as_text=True)
    assert "Godkjent" in ledger and "Ikke godkjent" in ledger


def test_dashboard_draws_charts_without_inline_styles_scripts_or_cdn(portfolio, people, client, login):
    login(people["ledergruppe"])
    html = client.get("/gevinster/").get_data(as_text=True)
    assert html.count("<svg") == 2 and 'role="img"' in html
    assert (
        "style=" not in html
        and "<script>" not in html
        and "http" not in html.split("<body>")[1].replace("http://www.w3.org/2000/svg", "")
    )
    assert html.count("<caption>") >= 4  # each chart has a table alternative


def test_owner_form_checks_input_and_keeps_it_on_error(portfolio, people, client, login, measures):
    measure = measures["2.2"]
    login(people["tiltaksansvarlig"])
    mine = client.get("/gevinster/mine").get_data(as_text=True)
    assert f"/gevinster/tiltak/{measures['1.3'].id}/kvartal/2026-Q4" in mine  # due this quarter
    assert f"/gevinster/tiltak/{measure.id}/kvartal/2026-Q4" not in mine  # 2.2 owes nothing in 2026

    url = f"/gevinster/tiltak/{measure.id}/kvartal/2026-Q4"
    response = client.post(url, data={"realised": "12 345", "forecast": "mye"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "«mye» er ikke et tall" in html
    assert 'value="12 345"' in html and 'value="mye"' in html

    response = client.post(url, data={"realised": "0", "forecast": "-200 000"})  # planned 0: a deviation
    html = response.get_data(as_text=True)
    assert "forklar hvorfor" in html and "beskriv korrigerende tiltak" in html
    assert 'value="-200 000"' in html

    response = client.post(url, data={"realised": "5 000 000", "forecast": "0"})
    assert "kan ikke være mer enn 1\u00a0000\u00a0000 kr" in response.get_data(as_text=True)

    response = client.post(
        url, data={"realised": "0", "forecast": "-200 000", "explanation": "Forsinket", "corrective_action": "Ny plan"}
    )
    assert response.status_code == 302
    assert queries.get_figure(measure, Q4).forecast_year_nok == -200_000


def test_owner_cannot_report_on_someone_elses_measure(portfolio, client, login, make_user, measures):
    login(make_user("tiltaksansvarlig", "annen"))
    assert client.get(f"/gevinster/tiltak/{measures['1.1'].id}/kvartal/2026-Q4").status_code == 403


def test_admin_closes_a_quarter_in_the_ui_and_the_cli(portfolio, people, client, login, runner):
    login(people["tiltaksansvarlig"])
    assert client.post("/gevinster/perioder", data={"quarter": "2026-Q3"}).status_code == 403
    client.post("/logout")
    login(people["admin"])
    response = client.post("/gevinster/perioder", data={"quarter": "2026-Q3"})
    assert response.status_code == 302 and queries.is_closed(Q3)
    result = runner.invoke(args=["periods", "close", "2026-Q3"])
    assert result.exit_code != 0 and "allerede lukket" in result.output
    result = runner.invoke(args=["periods", "close", "2026-Q2"])
    assert result.exit_code == 0 and queries.is_closed(Quarter(2026, 2))
    listing = runner.invoke(args=["periods", "list"]).output
    assert "2026-Q2" in listing and "2026-Q3" in listing and "Nåværende kvartal: 2026-Q4" in listing


def test_measure_page_shows_the_benefits_panel(portfolio, people, client, login, measures):
    login(people["leser"])
    measure = measures["1.1"]
    html = client.get(f"/portefolje/tiltak/{measure.id}").get_data(as_text=True)
    assert "Gevinstrealisering" in html and f"/gevinster/tiltak/{measure.id}" in html
    # One unit on the measure page: mill. kr with one decimal (the ledger behind the link has kroner).
    assert '0,2 mill. kr <span class="sub">(godkjent 0,2 mill. kr)</span>' in html
    assert "220\u00a0000 kr" not in html
    ledger = client.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    assert "220\u00a0000" in ledger


def test_approval_from_the_list_stays_on_this_site(portfolio, people, client, login, measures):
    figure = services.get_figure(measures["1.2"], Q4)
    login(people["admin"])
    response = client.post(f"/gevinster/tall/{figure.id}/godkjenn", data={"next": "https://example.org/"})
    assert response.status_code == 302 and response.location.endswith(f"/gevinster/tiltak/{figure.measure_id}")
    assert figure.is_approved is True


def test_readers_see_the_ledger_without_report_links(portfolio, people, client, login, measures):
    measure = measures["1.1"]
    login(people["leser"])
    html = client.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    assert "Gevinstregnskap: 1.1" in html and "/kvartal/" not in html and "Godkjenn realisert" not in html
    assert client.post(f"/gevinster/tall/{queries.get_figure(measure, Q3).id}/godkjenn").status_code == 403


def test_plan_and_take_out_forms_for_the_controller(portfolio, people, client, login, measures, db):
    from tracker.portfolio.models import PlanRevision

    measure = measures["2.2"]
    login(people["admin"])
    response = client.post(f"/gevinster/tiltak/{measure.id}/plan", data={"year": "2027", "new_saving": "8 000 000"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Skriv hvorfor planen endres." in html and 'value="8 000 000"' in html
    response = client.post(
        f"/gevinster/tiltak/{measure.id}/plan",
        data={"year": "2027", "new_saving": "8 000 000", "reason": "KS-sak 12/26"},
    )
    assert response.status_code == 302
    revision = db.session.scalars(db.select(PlanRevision)).one()
    assert (revision.year, revision.old_saving_nok, revision.new_saving_nok) == (2027, 9_100_000, 8_000_000)
    ledger = client.get(f"/gevinster/tiltak/{measure.id}").get_data(as_text=True)
    assert "KS-sak 12/26" in ledger and "9\u00a0100\u00a0000" in ledger

    response = client.post(f"/gevinster/tiltak/{measure.id}/uttak", data={"year": "2027", "amount": "4 000 000"})
    assert response.status_code == 302
    assert queries.get_take_out(measure, 2027).amount_nok == 4_000_000
    client.post("/logout")
    login(people["tiltaksansvarlig"])
    assert client.get(f"/gevinster/tiltak/{measure.id}/plan").status_code == 403


def test_no_form_for_a_quarter_that_has_not_begun(portfolio, people, client, login, measures):
    login(people["admin"])
    assert client.get(f"/gevinster/tiltak/{measures['1.1'].id}/kvartal/2027-Q1").status_code == 404
    assert client.get(f"/gevinster/tiltak/{measures['1.1'].id}/kvartal/2026-Q9").status_code == 404
