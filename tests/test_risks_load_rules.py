"""The organisational-risk load per leader and per unit, and the strengthening actions (pure, hand-checked)."""

import pytest

from tracker.risks.rules import (
    LoadItem,
    label_key,
    leader_and_unit_loads,
    load_weight,
    needs_strengthening,
    risk_loads,
)

# Kari carries A (lav 1), B (middels 2) and C (not assessed: as middels, 2) = 5; Ola carries D (høy 3).
# E is høy but not in change (utredet or gjennomført) and counts nowhere; F has no leader.
ITEMS = (
    LoadItem("1.1", "Kari", ("Hjemmetjenesten",), "lav"),
    LoadItem("1.2", "Kari", ("Hjemmetjenesten", "Sykehjemmet"), "middels"),
    LoadItem("1.3", "Kari", ("hjemmetjenesten ",), None),
    LoadItem("2.1", "Ola", (), "høy"),
    LoadItem("2.2", "Kari", ("Sykehjemmet",), "høy", is_in_change=False),
    LoadItem("3.1", None, ("Sykehjemmet",), "lav"),
)


def _leaders(item):
    return [item.leader] if item.leader else []


def _units(item):
    return item.units


@pytest.mark.parametrize(("level", "weight"), [("lav", 1), ("middels", 2), ("høy", 3), (None, 2)])
def test_each_measure_weighs_by_its_level_and_an_unassessed_one_as_middels(level, weight):
    assert load_weight(level) == weight


def test_load_per_leader_sums_every_measure_in_change():
    rows = risk_loads(ITEMS, _leaders, threshold=4)
    assert [(row.label, row.load, row.codes, row.is_above_threshold) for row in rows] == [
        ("Kari", 5, ("1.1", "1.2", "1.3"), True),
        ("Ola", 3, ("2.1",), False),
    ]


def test_load_per_unit_counts_a_measure_once_per_unit_and_ignores_case_and_spacing():
    rows = risk_loads(ITEMS, _units, threshold=4)
    assert [(row.label, row.load, row.codes, row.is_above_threshold) for row in rows] == [
        ("Hjemmetjenesten", 5, ("1.1", "1.2", "1.3"), True),
        ("Sykehjemmet", 3, ("1.2", "3.1"), False),
    ]


@pytest.mark.parametrize(("measures", "flagged"), [(6, False), (7, True)])
def test_low_each_high_together_is_flagged_only_above_the_threshold(measures, flagged):
    """Seven measures of low risk each (1 + 1 + … = 7) put a leader above a threshold of 6; six do not."""
    items = [LoadItem(f"1.{n}", "Kari", ("Skolene",), "lav") for n in range(measures)]
    (row,) = risk_loads(items, _leaders, threshold=6)
    assert (row.load, row.is_above_threshold) == (measures, flagged)


def test_the_same_unit_twice_on_one_measure_counts_once():
    (row,) = risk_loads([LoadItem("1.1", "Kari", ("Skolene", " skolene"), "høy")], _units, threshold=6)
    assert (row.label, row.load) == ("Skolene", 3)


def test_high_indicators_without_a_strengthening_action_are_named_in_order():
    scores = {"ledelsesforankring": 4, "kapasitet": 5, "kompetanse": 3, "avhengigheter": 5, "medvirkning": 1}
    actions = {"ledelsesforankring": "Ukentlig oppfølging i ledergruppa", "kapasitet": "   "}
    assert needs_strengthening(scores, actions) == ["kapasitet", "avhengigheter"]
    assert needs_strengthening({"kapasitet": 3}, {}) == []


def test_the_risk_view_and_the_work_queue_share_one_sum_per_leader_and_per_unit():
    by_leader, by_unit = leader_and_unit_loads(ITEMS, threshold=4)
    assert [(row.label, row.load) for row in by_leader] == [("Kari", 5), ("Ola", 3)]
    assert [(row.label, row.load) for row in by_unit] == [("Hjemmetjenesten", 5), ("Sykehjemmet", 3)]
    assert label_key("  Hjemme   Tjenesten ") == "hjemme tjenesten"
