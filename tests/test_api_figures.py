"""/api/v1/measures, /measure-years and /summary: the dashboard's numbers, from the dashboard's function."""

import json
import re

import pytest

from tracker.accounts.permissions import SYSTEM
from tracker.benefits import services as benefits
from tracker.benefits.programme import programme_figures
from tracker.confidence import GUL_ROD
from tracker.periods import Quarter
from tracker.portfolio.status import IKKE_VEDTATT, VEDTATT
from tracker.portfolio.targets import set_target

Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)
MEASURE_FIGURES = ("planned_nok", "forecast_nok", "risk_adjusted_forecast_nok", "realised_nok", "taken_out_nok")

pytestmark = pytest.mark.usefixtures("clock")  # today is 2026-11-23, in 2026-Q4


@pytest.fixture()
def people(make_user):
    return {role: make_user(role) for role in ("admin", "ledergruppe", "tiltaksansvarlig")}


@pytest.fixture()
def measures(make_measure, make_figures, make_update, people, db):
    """1.1 behind plan with a gul/rød update; 2.1 not reported, with a take-out; 2.2 rejected."""
    owner, admin = people["tiltaksansvarlig"], people["admin"]
    found = {
        "1.1": make_measure(
            "1.1", plan={2026: 400_000, 2027: 800_000}, status=VEDTATT, owner=owner, effect_type="Høyere produktivitet"
        ),
        "2.1": make_measure("2.1", plan={2026: 250_000}, status=VEDTATT),
        "2.2": make_measure("2.2", plan={2026: 1_000_000}, status=IKKE_VEDTATT),
    }
    make_figures(found["1.1"], Q3, 150_000, 300_000, "Senere oppstart", "Ny framdriftsplan")
    make_update(found["1.1"], Q3, GUL_ROD)
    benefits.set_take_out(found["2.1"], 2026, 100_000, "", admin)
    db.session.commit()
    return found


@pytest.fixture()
def api(client, make_api_token):
    """api(path) → the JSON of a GET with a reader's token."""
    headers = {"Authorization": f"Bearer {make_api_token('leser')}"}

    def _get(path: str):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return _get


def data_figures(html: str) -> dict[str, int | None]:
    """{data-figure key: value} from a page; empty values become None."""
    found = re.findall(r'data-figure="([^"]+)" data-value="(-?\d*)"', html)
    return {key: (int(value) if value else None) for key, value in found}


def _by_code(items: list[dict]) -> dict[str, dict]:
    return {item["code"]: item for item in items}


def test_measures_carry_the_dashboards_figures_for_the_year(measures, people, api, client, login):
    rows = _by_code(api("/api/v1/measures?year=2026")["items"])
    login(people["ledergruppe"])
    page = data_figures(client.get("/gevinster/?quarter=2026-Q4&year=2026").get_data(as_text=True))

    for code in ("1.1", "2.1"):
        for name in MEASURE_FIGURES:
            assert rows[code][name] == page[f"measure-{code}-{name}"], (code, name)
    assert not any(key.startswith("measure-2.2-") for key in page)


def test_measures_hand_checked(measures, api):
    rows = _by_code(api("/api/v1/measures?year=2026")["items"])

    assert set(rows) == {"1.1", "2.1", "2.2"}
    first = rows["1.1"]
    # Risk-adjusted: realised 150 000 is kept, the 150 000 still to come weighted gul/rød (0,50).
    assert (first["planned_nok"], first["forecast_nok"], first["risk_adjusted_forecast_nok"]) == (
        400_000,
        300_000,
        225_000,
    )
    assert (first["realised_nok"], first["realised_approved_nok"], first["taken_out_nok"]) == (150_000, 0, 0)
    assert first["is_deviation"] is True and first["latest_report"] == "2026-Q3" and first["confidence"] == "gul/rød"
    assert first["effect_type"] == "Høyere produktivitet" and first["status"] == "vedtatt" and first["is_adopted"]
    assert first["owner_username"] == measures["1.1"].owner.username and first["web_url"].endswith(
        f"/portefolje/tiltak/{measures['1.1'].id}"
    )
    # 2.1 has no update: weighted as gul (0,75); its take-out is the controller's.
    second = rows["2.1"]
    assert (second["forecast_nok"], second["risk_adjusted_forecast_nok"], second["taken_out_nok"]) == (
        250_000,
        187_500,
        100_000,
    )
    assert second["effect_type"] == "Ikke angitt" and second["confidence"] is None and second["owner_username"] is None
    # A rejected measure is listed but counts nowhere: no figures.
    rejected = rows["2.2"]
    assert rejected["counts_in_totals"] is False and rejected["is_adopted"] is False
    assert all(rejected[name] is None for name in (*MEASURE_FIGURES, "realised_approved_nok", "is_deviation"))


def test_measures_default_to_the_first_target_year_and_the_current_quarter(measures, api, db):
    items = api("/api/v1/measures")["items"]
    # The API opens on the first target year from now on: 2029, the only target (the dashboard on the current year).
    assert {(item["year"], item["as_of"]) for item in items} == {(2029, "2026-Q4")}
    assert _by_code(items)["1.1"]["planned_nok"] == 0
    # Targets per year (issue 11): a target for 2027 makes 2027 the first target year from 2026-Q4 on.
    set_target(measures["1.1"].programme, 2027, 20_000_000, "Delmål for 2027", SYSTEM)
    db.session.commit()
    assert {item["year"] for item in api("/api/v1/measures")["items"]} == {2027}


def test_measure_years_are_the_rows_of_programme_figures(measures, api, db):
    items = api("/api/v1/measure-years")["items"]
    computed = programme_figures(measures["1.1"].programme, Q4)

    assert len(items) == len(computed.measures) == 2 * 4  # 1.1 and 2.1 over 2026-2029; 2.2 counts nowhere
    for item, row in zip(items, computed.measures, strict=True):
        for name, value in item.items():
            if name in ("measure_id", "as_of"):
                continue
            assert value == getattr(row, name), (row.code, row.year, name)
        assert item["measure_id"] == measures[row.code].id and item["as_of"] == "2026-Q4"


def test_measure_years_hand_checked(measures, api):
    rows = {(item["code"], item["year"]): item for item in api("/api/v1/measure-years")["items"]}
    expected = {
        # code, year: planned, forecast, risk-adjusted (realised + gul/rød 0,50 or none 0,75 × the rest), realised,
        # taken out
        ("1.1", 2026): (400_000, 300_000, 225_000, 150_000, 0),
        ("1.1", 2027): (800_000, 800_000, 400_000, 0, 0),
        ("2.1", 2026): (250_000, 250_000, 187_500, 0, 100_000),
        ("2.1", 2029): (0, 0, 0, 0, 0),
    }
    for key, figures in expected.items():
        assert tuple(rows[key][name] for name in MEASURE_FIGURES) == figures, key
    assert [item["year"] for item in api("/api/v1/measure-years?year=2027")["items"]] == [2027, 2027]


def test_as_of_moves_the_figures_as_on_the_dashboard(measures, api):
    before = _by_code(api("/api/v1/measures?year=2026&as_of=2026-Q2")["items"])["1.1"]
    # In Q2 nothing was reported yet: the forecast is the plan, with no update weighted as gul.
    assert (before["forecast_nok"], before["risk_adjusted_forecast_nok"], before["as_of"]) == (
        400_000,
        300_000,
        "2026-Q2",
    )
    later = api("/api/v1/measures?year=2026&as_of=2027-Q3")["items"]
    assert {item["as_of"] for item in later} == {"2026-Q4"}  # never later than now


def test_summary_is_portfolio_summary_json_as_rows(measures, api, runner):
    items = api("/api/v1/summary")["items"]
    summary = json.loads(runner.invoke(args=["portfolio", "summary", "--json", "--as-of", "2026-Q4"]).output)
    keys = ("planned_savings_nok", "forecast_nok", "risk_adjusted_forecast_nok", "realised_nok")
    keys += ("realised_approved_nok", "taken_out_nok", "target_nok", "gap_nok")

    programme_rows = {str(item["year"]): item for item in items if item["scope"] == "programme"}
    keys += ("menu_nok", "carried_gap_nok", "one_off_nok", "taken_out_approved_nok")
    keys_with_accounting = (*keys, "accounting_indicated_nok", "accounting_taken_out_nok", "accounting_mapped_share")
    assert {year: {key: row[key] for key in keys_with_accounting} for year, row in programme_rows.items()} == summary[
        "years"
    ]
    for number, group in summary["groups"].items():
        rows = {
            str(item["year"]): item
            for item in items
            if item["scope"] == "group" and str(item["group_number"]) == number
        }
        assert {year: {key: row[key] for key in keys} for year, row in rows.items()} == group["years"]
        assert {row["group_name"] for row in rows.values()} == {group["name"]}
    # Hand-checked: 2026 is 1.1 and 2.1 (the menu also has the rejected 2.2's 1 000 000); 2029 has the
    # 2 000 000 target and nothing planned. Risk-adjusted: 150 000 + 0,5 × 150 000 (1.1) + 0,75 × 250 000 (2.1).
    assert [programme_rows["2026"][key] for key in keys] == [
        650_000,
        550_000,
        412_500,
        150_000,
        0,
        100_000,
        None,
        None,
        1_650_000,
        None,
        0,
        0,
    ]
    assert (programme_rows["2029"]["target_nok"], programme_rows["2029"]["gap_nok"]) == (2_000_000, 2_000_000)


def test_summary_effect_types_add_up_to_the_programme(measures, api):
    items = api("/api/v1/summary?year=2026")["items"]
    kinds = {item["effect_type"]: item["planned_savings_nok"] for item in items if item["scope"] == "effect_type"}
    assert kinds == {"Høyere produktivitet": 400_000, "Ikke angitt": 250_000}
    assert {item["year"] for item in items} == {2026}
    total = next(item for item in items if item["scope"] == "programme")
    assert sum(kinds.values()) == total["planned_savings_nok"]


def test_measure_years_add_up_to_the_summary(measures, api):
    years = api("/api/v1/measure-years")["items"]
    for row in api("/api/v1/summary")["items"]:
        if row["scope"] != "programme":
            continue
        of_year = [item for item in years if item["year"] == row["year"]]
        assert sum(item["forecast_nok"] for item in of_year) == row["forecast_nok"]
        assert sum(item["planned_nok"] for item in of_year) == row["planned_savings_nok"]


def test_elverums_44_measures_have_the_dashboards_figures(elverum, runner, api, client, login, make_user):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    items = api("/api/v1/measures?limit=100")["items"]
    login(make_user("ledergruppe"))
    # The API's default year is the first target year (2029); the dashboard's is the current year since issue 13.
    page = data_figures(client.get("/gevinster/?quarter=2026-Q4&year=2029").get_data(as_text=True))
    years = api("/api/v1/measure-years?limit=1000")["items"]
    computed = programme_figures(elverum, Q4)

    assert len(items) == 44
    counted = [item for item in items if item["counts_in_totals"]]
    assert counted and {item["year"] for item in items} == {2029}
    for item in counted:
        for name in MEASURE_FIGURES:
            assert item[name] == page[f"measure-{item['code']}-{name}"], (item["code"], name)
    assert [(item["code"], item["year"], item["forecast_nok"], item["realised_nok"]) for item in years] == [
        (row.code, row.year, row.forecast_nok, row.realised_nok) for row in computed.measures
    ]
