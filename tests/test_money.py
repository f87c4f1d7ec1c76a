"""Norwegian numbers: parsing what users type and formatting kroner and mill. kr."""

from decimal import Decimal

import pytest

from tracker.money import (
    NumberFormatError,
    format_decimal,
    format_mnok,
    format_nok,
    input_mnok,
    parse_decimal,
    parse_mnok,
    parse_nok,
)

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("typed", "kroner"),
    [
        ("1 234,5", 1_234_500_000),
        ("-0,3", -300_000),
        ("\u22120,3", -300_000),  # U+2212 MINUS SIGN, as word processors write it
        ("\u20130,3", -300_000),  # en dash
        (f"1{NBSP}234,5", 1_234_500_000),
        (f"1{NARROW_NBSP}234,5", 1_234_500_000),
        ("1.234,5", 1_234_500_000),  # points group thousands when a comma is present
        ("0.28", 280_000),  # a point alone is a decimal sign (pasted from other tools)
        ("  88,1 ", 88_100_000),
        ("0,0000005", 1),  # half a krone rounds up
        ("12", 12_000_000),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_mnok_accepts_the_ways_norwegians_type_numbers(typed, kroner):
    assert parse_mnok(typed) == kroner


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("mye", "«mye» er ikke et tall. Skriv for eksempel 1 234,5."),
        ("1,2,3", "er ikke et tall"),
        ("12a", "er ikke et tall"),
        ("1.2.3", "er ikke et tall"),
        ("--1", "er ikke et tall"),
    ],
)
def test_parse_mnok_rejects_text_with_a_norwegian_message(typed, message):
    with pytest.raises(NumberFormatError) as caught:
        parse_mnok(typed)
    assert message in str(caught.value)


def test_parse_nok_refuses_fractions_of_a_krone():
    assert parse_nok("1 234 567") == 1_234_567
    with pytest.raises(NumberFormatError, match="helt antall kroner"):
        parse_nok("12,5")


@pytest.mark.parametrize(
    ("kroner", "text"),
    [
        (88_100_000, "88,1"),
        (280_000, "0,3"),  # the report rounds 0,28 to 0,3
        (26_050_000, "26,1"),  # half up, as the report rounds
        (-1_120_000, "-1,1"),
        (1_234_500_000, f"1{NBSP}234,5"),
        (0, "0,0"),
        (-40_000, "0,0"),  # no "-0,0"
        (None, ""),
    ],
)
def test_format_mnok_shows_one_decimal_as_the_report(kroner, text):
    assert format_mnok(kroner) == text


def test_format_nok_groups_thousands_with_non_breaking_spaces():
    assert format_nok(1234567) == f"1{NBSP}234{NBSP}567"
    assert format_nok(-1000) == f"-1{NBSP}000"
    assert format_nok(999) == "999"
    assert format_decimal(Decimal("1234.567"), 2) == f"1{NBSP}234,57"


@pytest.mark.parametrize("kroner", [280_000, -300_000, 1_234_500_000, 1, 0, -1_120_000, 88_100_000, 123_456_789])
def test_input_mnok_round_trips_exactly(kroner):
    """What the edit form shows parses back to the same kroner, with no rounding."""
    assert parse_mnok(input_mnok(kroner)) == kroner


def test_input_mnok_keeps_precision():
    assert input_mnok(280_000) == "0,28"
    assert input_mnok(-300_000) == "-0,3"
    assert input_mnok(1_234_500_000) == f"1{NBSP}234,5"
    assert input_mnok(None) == ""


def test_parse_decimal_takes_numbers_from_spreadsheets_as_they_are():
    assert parse_decimal(-0.3) == Decimal("-0.3")
    assert parse_decimal(7) == Decimal(7)
    with pytest.raises(NumberFormatError):
        parse_decimal(True)
