"""Scenario figures, hand-checked: savings, gap, årsverk with unknowns, organisational-risk load, effect mix."""

from decimal import Decimal

import pytest

from tracker.scenarios import rules
from tracker.scenarios.rules import Choice


@pytest.mark.parametrize(
    ("text", "parsed", "errors"),
    [
        ("1.1,2.3,4.10", [("1.1", None), ("2.3", None), ("4.10", None)], 0),
        (" 1.2:ALT1 , 2.3 ,", [("1.2", "alt1"), ("2.3", None)], 0),
        ("1.2,1.2:alt1", [("1.2", None)], 1),  # alternatives exclude each other
        ("1.2:alt1,1.2:alt2", [("1.2", "alt1")], 1),
        ("1.1,tiltak", [("1.1", None)], 1),
        ("", [], 0),
    ],
)
def test_codes_are_parsed_and_exclusive_alternatives_refused(text, parsed, errors):
    found, problems = rules.parse_codes(text)
    assert found == parsed and len(problems) == errors


def test_choices_are_checked_against_the_menu():
    known = {"1.1": set(), "1.2": {"alt1", "alt2"}}
    assert rules.check_choices([("1.1", None), ("1.2", "alt2")], known) == []
    assert rules.check_choices([("9.9", None)], known) == ["Ukjent tiltakskode «9.9»."]
    assert "har ikke alternativet «alt3»" in rules.check_choices([("1.2", "alt3")], known)[0]
    assert rules.check_choices([], known) == ["Velg minst ett tiltak."]


def choice(code, group, savings, fte=None, risky=False, owner=None, effect="Høyere produktivitet", variant=None):
    return Choice(code, variant, f"Tiltak {code}", group, effect, owner, risky, savings, fte or {})


CHOICES = [
    choice("1.1", 1, {2026: 300_000, 2029: 600_000}, {2026: Decimal("-0.5"), 2029: Decimal("-1")}),
    # Starts late: no effect (and so no risk load) in 2026.
    choice("4.1", 4, {2026: 0, 2029: 2_000_000}, {2029: None}, risky=True, owner="Kari", effect="Bedre strategi"),
    choice("4.3", 4, {2026: 4_200_000, 2029: 4_400_000}, {2026: Decimal("-6")}, risky=True, owner="Kari"),
    choice("2.11", 2, {2026: -1_120_000, 2029: -1_120_000}, risky=True, effect="Økte inntekter"),
]


def test_a_scenario_year_by_hand():
    year = rules.scenario_year(CHOICES, 2029, 40_000_000, {1: 13_500_000, 4: 5_000_000})
    # 600 000 + 2 000 000 + 4 400 000 − 1 120 000
    assert year.savings_nok == 5_880_000
    assert (year.target_nok, year.gap_nok) == (40_000_000, 34_120_000)
    # Årsverk: only 1.1 has a number for 2029 (−1); 4.1 is None, 4.3 and 2.11 have none: 3 unknown.
    assert (year.fte_change, year.fte_unknown_count) == (Decimal("-1"), 3)
    # 4.1, 4.3 and 2.11 carry significant risk and have an effect in 2029.
    assert year.significant_org_risk_count == 3
    assert year.risk_by_group == ((2, 1), (4, 2))
    assert year.risk_by_owner == (("Ingen tiltaksansvarlig", 1), ("Kari", 2))
    assert dict(year.effect_types) == {
        "Høyere produktivitet": 5_000_000,
        "Bedre strategi": 2_000_000,
        "Økte inntekter": -1_120_000,
    }
    groups = {group.number: group for group in year.groups}
    assert (groups[4].savings_nok, groups[4].requirement_nok, groups[4].gap_nok) == (6_400_000, 5_000_000, -1_400_000)
    assert (groups[2].requirement_nok, groups[2].gap_nok) == (None, None)


def test_risk_load_counts_only_measures_in_effect_that_year():
    year = rules.scenario_year(CHOICES, 2026, None)
    assert year.significant_org_risk_count == 2  # 4.1 saves nothing in 2026
    assert (year.gap_nok, year.fte_change, year.fte_unknown_count) == (None, Decimal("-6.5"), 2)


def test_variants_carry_their_own_code():
    assert choice("1.2", 1, {}, variant="alt1").code == "1.2:alt1"
    assert sorted(["4.10", "1.2:alt1", "4.9", "1.2"], key=rules.code_key) == ["1.2", "1.2:alt1", "4.9", "4.10"]
