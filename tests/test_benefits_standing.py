"""Status mot målet: the gap in words, the traffic light and the sentence, with hand-checked figures."""

import pytest

from tracker import confidence
from tracker.benefits import standing
from tracker.benefits.totals import FigureRow, ProgrammeFigures
from tracker.periods import Quarter


@pytest.mark.parametrize(
    ("gap_nok", "against", "unit", "text"),
    [
        (1_900_000, "planen", "", "1,9 under planen"),
        (-47_600_000, "målet", " mill. kr", "47,6 mill. kr over målet"),
        (11_300_000, "sparekravet", "", "11,3 under sparekravet"),
        (49_999, "målet", "", "på målet"),  # rounds to 0,0: neither over nor under
        (-49_999, "målet", "", "på målet"),
        (0, "planen", "", "på planen"),
        (50_000, "målet", "", "0,1 under målet"),  # half a tenth rounds away from zero
        (-50_000, "målet", "", "0,1 over målet"),
        (None, "målet", "", "–"),
    ],
)
def test_the_gap_is_worded_never_a_bare_sign(gap_nok, against, unit, text):
    assert standing.gap_text(gap_nok, against, unit) == text


@pytest.mark.parametrize(
    ("reference", "forecast", "risk_adjusted", "light"),
    [
        (26_000_000, 26_000_000, 26_000_000, confidence.GRONN),  # even the risk-adjusted forecast reaches it
        (40_000_000, 88_100_000, 66_075_000, confidence.GRONN),
        (26_000_000, 26_000_000, 25_999_999, confidence.GUL),  # only the plain forecast reaches it
        (26_000_000, 24_100_000, 20_300_000, confidence.ROD),
        (0, 0, 0, confidence.GRONN),  # nothing planned, nothing forecast
        (-1_120_000, -1_300_000, -1_300_000, confidence.ROD),  # a cost larger than planned
    ],
)
def test_traffic_light_against_the_reference(reference, forecast, risk_adjusted, light):
    assert standing.light_for(reference, forecast, risk_adjusted) == light


def row(year, target, plan, forecast, risk, realised) -> FigureRow:
    return FigureRow(
        year, target, plan, forecast, risk, realised, realised, None if target is None else target - forecast
    )


def test_a_year_without_a_target_is_compared_with_the_adopted_plan():
    # The example: 19,2 of 26,0 realised, forecast 24,1 is 26,0 − 24,1 = 1,9 under the plan.
    found = standing.year_standing(row(2026, None, 26_000_000, 24_100_000, 20_300_000, 19_200_000))
    assert found.sentence == (
        "For 2026 er 19,2 av 26,0 mill. kr realisert; prognosen er 24,1 – 1,9 under planen (risikojustert 20,3)."
    )
    assert (found.reference_nok, found.gap_nok, found.light) == (26_000_000, 1_900_000, confidence.ROD)
    assert found.light_text == "Rødt: prognosen er under planen"


def test_a_year_with_a_target_is_compared_with_the_target_and_names_the_plan():
    # Elverum's 2029: target 40,0, plan and forecast 88,1 (48,1 over), risk-adjusted 88,1 × 0,75 = 66,075.
    found = standing.year_standing(row(2029, 40_000_000, 88_100_000, 88_100_000, 66_075_000, 0))
    assert found.sentence == (
        "For 2029 er 0,0 av 40,0 mill. kr realisert; prognosen er 88,1 – 48,1 over målet (risikojustert 66,1);"
        " vedtatt plan er 88,1."
    )
    assert (found.gap_nok, found.light) == (-48_100_000, confidence.GRONN)
    assert found.light_text == "Grønt: prognosen når målet, også risikojustert"


def figures(*rows) -> ProgrammeFigures:
    return ProgrammeFigures(Quarter(2026, 4), tuple(rows), (), (), ())


def test_standings_are_the_current_year_and_the_goal_year():
    years = figures(
        row(2026, None, 26_000_000, 24_100_000, 20_300_000, 19_200_000),
        row(2027, None, 50_000_000, 50_000_000, 40_000_000, 0),
        row(2029, 40_000_000, 88_100_000, 88_100_000, 66_075_000, 0),
    )
    assert standing.goal_year(years) == 2029
    assert [found.year for found in standing.standings(years, 2026)] == [2026, 2029]
    assert [found.year for found in standing.standings(years, 2029)] == [2029]  # once, not twice
    assert [found.year for found in standing.standings(years, 2031)] == [2029]  # a year the figures do not cover
    assert standing.goal_year(figures(row(2026, None, 0, 0, 0, 0))) is None
