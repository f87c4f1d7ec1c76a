"""The accounting comparison's pure rules, with hand-checked cases (arithmetic in the comments)."""

from fractions import Fraction

import pytest

from tracker.accounting import rules
from tracker.accounting.rules import FilterSpec, LedgerSums, Pattern, PatternError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Pattern("any")),
        (None, Pattern("any")),
        ("*", Pattern("any")),
        ("265", Pattern("exact", "265")),
        (265, Pattern("exact", "265")),
        (" 31* ", Pattern("prefix", "31")),
        ("10000-10999", Pattern("range", "10000", "10999")),
        ("10000 - 10999", Pattern("range", "10000", "10999")),
    ],
)
def test_patterns_are_read(text, expected):
    assert rules.parse_pattern(text) == expected


@pytest.mark.parametrize("text", ["1000-999", "10999-10000", "3*1", "*1", "12;13", "a b-c", "-"])
def test_bad_patterns_are_refused_with_a_message(text):
    with pytest.raises(PatternError):
        rules.parse_pattern(text)


@pytest.mark.parametrize(
    ("pattern", "code", "is_match"),
    [
        ("", "4100", True),
        ("265", "265", True),
        ("265", "2650", False),
        ("31*", "31", True),
        ("31*", "3100", True),
        ("31*", "3210", False),
        ("10000-10999", "10000", True),
        ("10000-10999", "10999", True),
        ("10000-10999", "10500", True),
        ("10000-10999", "11000", False),
        ("10000-10999", "09999", False),
        # "1050" lies between "10000" and "10999" as text, but has another length.
        ("10000-10999", "1050", False),
    ],
)
def test_patterns_match_codes(pattern, code, is_match):
    assert rules.pattern_matches(rules.parse_pattern(pattern), code) is is_match


@pytest.mark.parametrize(
    ("first", "second", "is_overlap"),
    [
        ("", "265", True),
        ("265", "265", True),
        ("265", "266", False),
        ("31*", "3105", True),
        ("31*", "3205", False),
        ("31*", "3*", True),
        ("31*", "32*", False),
        ("10000-10999", "10500", True),
        ("10000-10999", "11000", False),
        ("10000-10999", "105*", True),  # 10500..10599
        ("10000-10999", "11*", False),  # 11000..11999
        ("10000-10999", "10900-11100", True),
        ("10000-10999", "11000-11100", False),
        ("10000-10999", "100-109", False),  # different lengths never meet
    ],
)
def test_pattern_overlap(first, second, is_overlap):
    one, other = rules.parse_pattern(first), rules.parse_pattern(second)
    assert rules.patterns_overlap(one, other) is is_overlap
    assert rules.patterns_overlap(other, one) is is_overlap


def test_filter_matches_every_dimension_and_blank_is_any():
    spec = FilterSpec(ansvar="41*", art="10000-10999", funksjon="265")
    line = {"ansvar": "4120", "art": "10100", "funksjon": "265", "prosjekt": ""}
    assert rules.filter_matches(spec, line)
    assert not rules.filter_matches(spec, {**line, "funksjon": "254"})
    assert not rules.filter_matches(spec, {**line, "ansvar": "5120"})


def test_filters_overlap_only_when_every_dimension_does():
    first = FilterSpec(ansvar="41*", art="10000-10999")
    assert rules.filters_overlap(first, FilterSpec(ansvar="4120", funksjon="265"))
    assert not rules.filters_overlap(first, FilterSpec(ansvar="4120", art="11000"))


def test_parse_filter_canonicalises_and_needs_a_dimension():
    spec, errors = rules.parse_filter({"ansvar": " 41 * ", "art": "10000 -10999", "funksjon": 265})
    assert (spec, errors) == (FilterSpec("41*", "10000-10999", "265", ""), {})
    _, errors = rules.parse_filter({"prosjekt": "7001"})
    assert set(errors) == {"ansvar"}
    _, errors = rules.parse_filter({"ansvar": "9-1"})
    assert set(errors) == {"ansvar"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Fraction(5, 2), 3), (Fraction(-5, 2), -3), (Fraction(7, 3), 2), (Fraction(-7, 3), -2), (0, 0), (12, 12)],
)
def test_round_nok_rounds_half_away_from_zero(value, expected):
    assert rules.round_nok(value) == expected


@pytest.mark.parametrize(
    ("year", "rates", "index", "missing"),
    [
        (2024, {}, Fraction(1), ()),
        # 2025 at 4,30 %: 1,043.
        (2025, {2025: 430}, Fraction(1043, 1000), ()),
        # 1,043 × 1,034 = 1,078462.
        (2026, {2025: 430, 2026: 340}, Fraction(1043, 1000) * Fraction(1034, 1000), ()),
        # 2026 missing: counts as 1,0 and is named.
        (2026, {2025: 430}, Fraction(1043, 1000), (2026,)),
        (2027, {}, Fraction(1), (2025, 2026, 2027)),
    ],
)
def test_deflator_index_multiplies_the_years_after_the_baseline(year, rates, index, missing):
    assert rules.deflator_index(year, rates) == (index, missing)


BASELINE_MONTHS = dict.fromkeys(range(1, 13), 1_000_000)  # 12 mill. kr in 2024, flat
SUMMER_HEAVY = {**dict.fromkeys(range(1, 13), 500_000), 6: 3_000_000, 7: 3_500_000}  # 11,5 mill.


@pytest.mark.parametrize(
    ("actual", "last", "baseline", "expected"),
    [
        # Flat profile: 3 months of 2,7 mill. → 2,7 / (3/12) = 10,8 mill.
        (2_700_000, 3, BASELINE_MONTHS, 10_800_000),
        # A full year needs no extrapolation.
        (11_000_000, 12, BASELINE_MONTHS, 11_000_000),
        # Summer-heavy: Jan–Jun is 5×0,5 + 3,0 = 5,5 of 11,5 → 5,0 / (5,5/11,5) = 10,454545… → 10 454 545.
        (5_000_000, 6, SUMMER_HEAVY, 10_454_545),
        # No baseline at all: linear, 1,0 mill. over 4 months → 3,0 mill.
        (1_000_000, 4, {}, 3_000_000),
        # A revenue-dominated profile (share above 1) falls back to linear too: 600 000 / (6/12) = 1,2 mill.
        (600_000, 6, {1: 1_000_000, 12: -900_000}, 1_200_000),
    ],
)
def test_actuals_are_extrapolated_with_the_baseline_profile(actual, last, baseline, expected):
    assert rules.extrapolated_year_nok(actual, last, baseline) == expected


def _sums(**per_kind_year) -> LedgerSums:
    amounts = {}
    for key, months in per_kind_year.items():
        kind, year = key.split("_")
        for period, amount in months.items():
            amounts[(kind, int(year), period)] = amount
    return LedgerSums(amounts)


def test_accounting_year_worked_example():
    """The worked example of docs/accounts.md.

    Baseline 2024: 12 000 000 flat. Deflator 2025 4,30 %, 2026 3,40 % → index 1,078462.
    Adjusted baseline 2026: 12 000 000 × 1,078462 = 12 941 544.
    Actuals 2026 Jan–Mar: 2 700 000 → extrapolated 2 700 000 / (3/12) = 10 800 000.
    Indikasjon i regnskapet: 12 941 544 − 10 800 000 = 2 141 544 (a saving).
    So far (Jan–Mar, 3/12 of the flat baseline): 12 941 544 × 3/12 − 2 700 000 = 3 235 386 − 2 700 000 = 535 386.
    Budget 2026: 11 500 000 → tatt ut av budsjett: 12 941 544 − 11 500 000 = 1 441 544.
    """
    sums = _sums(
        actual_2024=BASELINE_MONTHS, actual_2026={1: 900_000, 2: 900_000, 3: 900_000}, budget_2026={0: 11_500_000}
    )
    row = rules.accounting_year(2026, sums, {2024: 12, 2026: 3}, {2026: True}, {2025: 430, 2026: 340})
    assert row.baseline_nok == 12_000_000
    assert row.adjusted_baseline_nok == 12_941_544
    assert (row.actual_to_date_nok, row.extrapolated_nok, row.indicated_nok) == (2_700_000, 10_800_000, 2_141_544)
    assert row.indicated_to_date_nok == 535_386
    assert (row.budget_nok, row.taken_out_nok) == (11_500_000, 1_441_544)
    assert row.missing_deflator_years == ()
    assert not row.is_linear_profile


def test_accounting_year_without_actuals_budget_or_deflator():
    """No actuals for 2027 and no budget: nothing indicated; the missing deflators are named.

    Adjusted baseline 2027 with only 2025 known: 12 000 000 × 1,043 = 12 516 000.
    """
    sums = _sums(actual_2024=BASELINE_MONTHS)
    row = rules.accounting_year(2027, sums, {2024: 12}, {}, {2025: 430})
    assert row.adjusted_baseline_nok == 12_516_000
    assert row.missing_deflator_years == (2026, 2027)
    assert (row.indicated_nok, row.indicated_to_date_nok, row.taken_out_nok) == (None, None, None)
    assert (row.budget_nok, row.last_period) == (None, None)


def test_a_budgeted_year_without_mapped_budget_lines_takes_out_everything():
    """A budget exists for 2026 but has no line on the measure: budget 0, taken out = the adjusted baseline."""
    row = rules.accounting_year(2026, _sums(actual_2024={1: 120_000}), {}, {2026: True}, {})
    assert (row.budget_nok, row.taken_out_nok) == (0, 120_000)


@pytest.mark.parametrize(
    ("reported", "ledger", "is_large"),
    [
        (1_000_000, None, False),
        # 300 000 apart: over 25 % of 1 mill. and over 100 000.
        (1_000_000, 700_000, True),
        # 200 000 apart: 20 % of 1 mill., not over 25 %.
        (1_000_000, 800_000, False),
        # 90 000 apart: over 25 % of 200 000 but not over 100 000 kr.
        (200_000, 110_000, False),
        # Nothing reported, 150 000 in the ledger: over both.
        (0, 150_000, True),
    ],
)
def test_large_difference_needs_both_thresholds(reported, ledger, is_large):
    assert rules.is_large_difference(reported, ledger, 25, 100_000) is is_large


def test_mapped_share_is_the_planned_saving_on_mapped_measures():
    # 3 + 1 of 3 + 1 + 4 = 8 → 0,5.
    assert rules.mapped_share({"1.1": 3, "1.2": 1, "2.1": 4}, ["1.1", "1.2"]) == 0.5
    assert rules.mapped_share({}, ["1.1"]) is None


def test_indication_so_far_uses_the_seasonal_share():
    """Summer-heavy baseline 11 500 000, no deflator for 2025 (1,0): Jan–Jun share 5,5/11,5.

    Baseline so far: 11 500 000 × 5,5/11,5 = 5 500 000; actuals Jan–Jun 5 000 000 → 500 000 so far.
    Full year: 11 500 000 − 5 000 000 × 11,5/5,5 = 11 500 000 − 10 454 545 = 1 045 455.
    """
    sums = _sums(actual_2024=SUMMER_HEAVY, actual_2025=dict.fromkeys(range(1, 6), 400_000) | {6: 3_000_000})
    row = rules.accounting_year(2025, sums, {2025: 6}, {}, {})
    assert (row.indicated_to_date_nok, row.indicated_nok) == (500_000, 1_045_455)
    assert row.missing_deflator_years == (2025,)
