"""Scenarios on Elverum's portfolio through the CLI: build, show, adopt; variants; the report's Tabell 27."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import DATA_FILE
from tracker.audit.models import AuditEntry
from tracker.benefits.summary import portfolio_summary
from tracker.portfolio.models import Measure, StatusChange
from tracker.scenarios import queries, services

# Measures whose Tabell 27 figures are exactly their yearly figures, so the totals compare exactly.
CHOSEN = ["1.1", "1.3", "1.7", "2.2", "2.4", "2.5", "4.1", "4.3", "4.10"]
# Tabell 27 summed by hand (mill. kr): 2026 0,3+0,9+0,6+0+1,4+0+0+4,2+1,5; 2029 0,6+7,6+2,3+9,3+3,1+4,0+2,0+4,4+1,5.
BY_HAND_NOK = {"2026": 8_900_000, "2027": 28_300_000, "2028": 33_700_000, "2029": 34_800_000}


def cli_json(runner, *args):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def cli(runner, *args) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_scenario_totals_match_the_reports_tabell_27(elverum, runner):
    cli(runner, "scenarios", "create", "Alternativ A", "--measures", ",".join(CHOSEN))
    shown = cli_json(runner, "scenarios", "show", "Alternativ A", "--json")
    table_27 = {m["code"]: m["report_table_27_mnok"] for m in json.loads(DATA_FILE.read_text("utf-8"))["measures"]}

    assert shown["name"] == "Alternativ A" and shown["measures"] == CHOSEN
    assert list(shown["years"]) == ["2026", "2027", "2028", "2029"]
    for year, row in shown["years"].items():
        assert row["savings_nok"] == BY_HAND_NOK[year]
        assert row["savings_nok"] == round(-sum(table_27[code][year] for code in CHOSEN) * 1_000_000)
        assert {"savings_nok", "target_nok", "gap_nok", "fte_change", "significant_org_risk_count"} <= set(row)
    # Only 2029 has a target: 40 mill. kr, 5,2 short.
    assert (shown["years"]["2029"]["target_nok"], shown["years"]["2029"]["gap_nok"]) == (40_000_000, 5_200_000)
    assert shown["years"]["2026"]["gap_nok"] is None
    # 4.3 carries significant risk from 2026, 4.1 from 2028 when it starts saving.
    assert [row["significant_org_risk_count"] for row in shown["years"].values()] == [1, 1, 2, 2]
    # No årsverk entered yet: 0 known, all nine unknown.
    assert (shown["years"]["2029"]["fte_change"], shown["years"]["2029"]["fte_unknown_count"]) == (0, 9)


def test_adopting_through_the_cli_moves_exactly_its_measures_into_the_plan(elverum, runner, db):
    before = portfolio_summary(elverum)
    assert before["years"]["2029"]["planned_savings_nok"] == 0 and before["years"]["2029"]["menu_nok"] == 88_100_000
    cli(runner, "scenarios", "create", "Alternativ A", "--measures", ",".join(CHOSEN))
    output = cli(runner, "scenarios", "adopt", "Alternativ A", "--decision", "KS-sak 100/25", "--date", "2025-12-15")
    assert "9 tiltak flyttet til vedtatt" in output

    db.session.expire_all()
    statuses = {m.code: m.status for m in db.session.scalars(select(Measure))}
    assert {code for code, status in statuses.items() if status == "vedtatt"} == set(CHOSEN)
    assert {status for code, status in statuses.items() if code not in CHOSEN} == {"utredet"}
    after = portfolio_summary(elverum)
    for year, amount in BY_HAND_NOK.items():
        assert after["years"][year]["planned_savings_nok"] == amount  # the sum of their yearly plans
        assert after["years"][year]["menu_nok"] == before["years"][year]["menu_nok"]  # the menu is unchanged
    assert after["years"]["2029"]["gap_nok"] == 5_200_000
    # One decision on every chosen measure: case number, body and date, in the history and the audit trail.
    changes = db.session.scalars(select(StatusChange)).all()
    assert len(changes) == 9
    assert {(c.decision_reference, c.decision_body, c.decided_date, c.to_status) for c in changes} == {
        ("KS-sak 100/25", "Kommunestyret", date(2025, 12, 15), "vedtatt")
    }
    actions = [entry.action for entry in db.session.scalars(select(AuditEntry))]
    assert actions.count("measure.status") == 9 and actions.count("scenario.adopt") == 1
    shown = cli_json(runner, "scenarios", "show", "Alternativ A", "--json")
    assert shown["adopted"] == {
        "decision_reference": "KS-sak 100/25",
        "decision_body": "Kommunestyret",
        "decided_date": "2025-12-15",
    }


def test_adopting_twice_or_a_stopped_measure_is_refused(elverum, runner, db, measure_by_code):
    cli(runner, "scenarios", "create", "A", "--measures", "1.1")
    cli(
        runner,
        "scenarios",
        "adopt",
        "A",
        "--decision",
        "KS-sak 1/26",
        "--date",
        "15.01.2026",
        "--body",
        "Formannskapet",
    )
    again = runner.invoke(args=["scenarios", "adopt", "A", "--decision", "KS-sak 2/26", "--date", "2026-01-20"])
    assert again.exit_code != 0 and "er vedtatt" in again.output
    assert measure_by_code("1.1").status_changes[-1].decision_body == "Formannskapet"

    measure_by_code("1.3").status = "avbrutt"
    db.session.commit()
    cli(runner, "scenarios", "create", "B", "--measures", "1.1,1.3,2.3")
    refused = runner.invoke(args=["scenarios", "adopt", "B", "--decision", "KS-sak 3/26", "--date", "2026-02-01"])
    assert refused.exit_code != 0 and "1.3 (Avbrutt)" in refused.output
    db.session.expire_all()
    assert measure_by_code("2.3").status == "utredet"  # nothing stored


def test_an_already_adopted_measure_is_left_as_it_is(elverum, runner, db, measure_by_code):
    cli(runner, "scenarios", "create", "A", "--measures", "1.1")
    cli(runner, "scenarios", "adopt", "A", "--decision", "KS-sak 1/26", "--date", "2026-01-15")
    cli(runner, "scenarios", "create", "B", "--measures", "1.1,2.3")
    output = cli(runner, "scenarios", "adopt", "B", "--decision", "KS-sak 9/26", "--date", "2026-06-15")
    assert "Allerede vedtatt fra før (uendret): 1.1" in output
    assert [c.decision_reference for c in measure_by_code("1.1").status_changes] == ["KS-sak 1/26"]


@pytest.mark.parametrize(
    ("measures", "message"),
    [
        ("1.2,1.2:alt1", "alternativene utelukker hverandre"),
        ("9.9", "Ukjent tiltakskode «9.9»"),
        ("1.2:alt9", "har ikke alternativet «alt9»"),
    ],
)
def test_bad_selections_are_refused(elverum, runner, db, measures, message):
    result = runner.invoke(args=["scenarios", "create", "X", "--measures", measures])
    assert result.exit_code != 0 and message in result.output


def test_a_variant_is_adopted_with_its_own_figures_and_the_menu_keeps_the_sum(elverum, runner, db, measure_by_code):
    cli(
        runner,
        "scenarios",
        "set-variant",
        "1.2:alt1",
        "--title",
        "Alt. 1: Sørskogbygda",
        "--savings",
        "2026=2500000,2027=6000000,2028=6000000,2029=6000000",
        "--fte",
        "2026=-2,2027=-4.5",
    )
    cli(runner, "scenarios", "create", "Skole", "--measures", "1.2:alt1,1.1")
    shown = cli_json(runner, "scenarios", "show", "Skole", "--json")
    assert shown["measures"] == ["1.1", "1.2:alt1"]
    assert shown["years"]["2029"]["savings_nok"] == 6_600_000
    # 1.2:alt1 has -4,5 årsverk in 2027; 1.1 has none entered.
    assert (shown["years"]["2027"]["fte_change"], shown["years"]["2027"]["fte_unknown_count"]) == (-4.5, 1)

    cli(runner, "scenarios", "adopt", "Skole", "--decision", "KS-sak 5/26", "--date", "2026-03-01")
    db.session.expire_all()
    school = measure_by_code("1.2")
    assert school.adopted_variant == "alt1"
    assert {e.year: -e.net_cost_change_nok for e in school.planned_effects if 2026 <= e.year <= 2029} == {
        2026: 2_500_000,
        2027: 6_000_000,
        2028: 6_000_000,
        2029: 6_000_000,
    }
    assert portfolio_summary(elverum)["years"]["2029"]["menu_nok"] == 88_100_000
    assert portfolio_summary(elverum)["years"]["2029"]["planned_savings_nok"] == 6_600_000


def test_the_measures_årsverk_are_entered_per_year_and_unknowns_counted(elverum, runner, db):
    cli(runner, "scenarios", "set-fte", "4.3", "--fte", "2026=-6,2027=-6")
    cli(runner, "scenarios", "create", "A", "--measures", "4.3,4.10")
    shown = cli_json(runner, "scenarios", "show", "A", "--json")
    assert (shown["years"]["2026"]["fte_change"], shown["years"]["2026"]["fte_unknown_count"]) == (-6, 1)
    assert (shown["years"]["2028"]["fte_change"], shown["years"]["2028"]["fte_unknown_count"]) == (0, 2)
    figures = queries.scenario_figures(queries.by_name(elverum, "A"))
    assert figures.year(2026).risk_by_group == ((4, 1),)  # 4.3 carries significant organisational risk


def test_a_scenario_can_be_changed_until_adopted_and_deleted(elverum, db):
    from tracker.accounts.permissions import SYSTEM

    scenario = services.create_scenario(elverum, "A", "1.1", SYSTEM)
    services.update_scenario(scenario, "A2", ["1.1", "2.3"], "To tiltak", SYSTEM)
    db.session.commit()
    assert queries.scenario_figures(scenario).codes == ["1.1", "2.3"]
    services.delete_scenario(scenario, SYSTEM)
    db.session.commit()
    assert queries.by_name(elverum, "A2") is None
