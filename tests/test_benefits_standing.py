"""Status mot målet: the gap in words, the traffic light and the sentence, with hand-checked figures."""

import pytest

from tracker import confidence
from tracker.benefits import standing, totals
from tracker.benefits.rules import MeasureInput, ReportedFigure
from tracker.benefits.totals import FigureRow, ProgrammeFigures
from tracker.periods import Quarter
from tracker.portfolio.figures import MeasurePlan


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


def row(year, target, plan, forecast, risk, realised, menu=0) -> FigureRow:
    return FigureRow(
        year,
        target,
        plan,
        forecast,
        risk,
        realised,
        realised,
        None if target is None else target - forecast,
        menu_nok=menu,
    )


def test_a_year_without_a_target_is_compared_with_the_adopted_plan_and_names_the_menu():
    # The example: 19,2 of 26,0 realised, forecast 24,1 is 26,0 − 24,1 = 1,9 under the plan;
    # the menu (31,4) is named beside the adopted plan, never counted as it.
    found = standing.year_standing(row(2026, None, 26_000_000, 24_100_000, 20_300_000, 19_200_000, 31_400_000))
    assert found.sentence == (
        "For 2026 er 19,2 av 26,0 mill. kr realisert; prognosen er 24,1 – 1,9 under planen (risikojustert 20,3)."
        " Vedtatt: 26,0 mill. kr · Meny: 31,4 mill. kr."
    )
    assert (found.reference_nok, found.gap_nok, found.light) == (26_000_000, 1_900_000, confidence.ROD)
    assert found.light_text == "Rødt: prognosen er under planen"


def test_a_year_with_a_target_is_compared_with_the_target_and_names_plan_and_menu():
    # An adopted plan of 66,0 in 2029 against the 40,0 target: 66,0 − 40,0 = 26,0 over; no status updates,
    # nothing realised, so the risk-adjusted forecast is 0 + 0,75 × 66,0 = 49,5 (still over: green).
    found = standing.year_standing(row(2029, 40_000_000, 66_000_000, 66_000_000, 49_500_000, 0, 88_100_000))
    assert found.sentence == (
        "For 2029 er 0,0 av 40,0 mill. kr realisert; prognosen er 66,0 – 26,0 over målet (risikojustert 49,5)."
        " Vedtatt: 66,0 mill. kr · Meny: 88,1 mill. kr."
    )
    assert (found.gap_nok, found.light) == (-26_000_000, confidence.GRONN)
    assert found.light_text == "Grønt: prognosen når målet, også risikojustert"


def test_a_fresh_install_plans_nothing_and_never_counts_the_menu():
    """Nothing adopted: 2029 is 40,0 under its target (red), whatever the 88,1 menu; a year without a target
    has nothing to be measured against and shows no light (never "på planen" for an empty plan)."""
    goal = standing.year_standing(row(2029, 40_000_000, 0, 0, 0, 0, 88_100_000))
    assert goal.sentence == (
        "For 2029 er 0,0 av 40,0 mill. kr realisert; prognosen er 0,0 – 40,0 under målet (risikojustert 0,0)."
        " Vedtatt: 0,0 mill. kr · Meny: 88,1 mill. kr."
    )
    assert (goal.gap_nok, goal.light) == (40_000_000, confidence.ROD)
    current = standing.year_standing(row(2026, None, 0, 0, 0, 0, 31_400_000))
    assert current.sentence == (
        "For 2026 er det verken mål eller vedtatt plan å måle mot; 0,0 mill. kr er realisert."
        " Vedtatt: 0,0 mill. kr · Meny: 31,4 mill. kr."
    )
    assert (current.light, current.light_text) == (None, "Ingen vedtatt plan å måle mot")


def test_the_standing_reads_the_one_computation_adopted_only_and_realised_money_never_discounted():
    """Through totals.programme_figures: 4.3 adopted (plan 3 000 000, realised 3 300 000, forecast 3 500 000,
    confidence gul = 0,75) and 4.4 only on the menu (5 000 000). Risk-adjusted 3 300 000 + 0,75 × 200 000
    = 3 450 000 (the old rule gave 0,75 × 3 500 000 = 2 625 000, below what is realised)."""
    adopted = MeasurePlan("4.3", 4, "vedtatt", None, None, {2026: 3_000_000}, {2026: 3_000_000})
    menu_only = MeasurePlan("4.4", 4, "utredet", None, None, {2026: 5_000_000}, {2026: 5_000_000})
    found = totals.programme_figures(
        [MeasureInput(adopted, "A", "gul"), MeasureInput(menu_only, "B")],
        [ReportedFigure("4.3", 2026, 3, 3_300_000, 3_500_000)],
        [2026],
        Quarter(2026, 3),
    )
    year = found.year(2026)
    assert (standing.adopted_plan_nok(year), standing.menu_nok(year), standing.forecast_nok(year)) == (
        3_000_000,
        8_000_000,
        3_500_000,
    )
    assert standing.risk_adjusted_nok(year) == 3_450_000
    assert standing.target_nok(year) is None
    assert standing.year_standing(year).sentence == (
        "For 2026 er 3,3 av 3,0 mill. kr realisert; prognosen er 3,5 – 0,5 over planen (risikojustert 3,5)."
        " Vedtatt: 3,0 mill. kr · Meny: 8,0 mill. kr."
    )


def figures(*rows) -> ProgrammeFigures:
    return ProgrammeFigures(Quarter(2026, 4), tuple(rows), (), (), ())


def test_standings_are_the_current_year_and_the_goal_year():
    years = figures(
        row(2026, None, 26_000_000, 24_100_000, 20_300_000, 19_200_000),
        row(2027, None, 50_000_000, 50_000_000, 40_000_000, 0),
        row(2029, 40_000_000, 66_000_000, 66_000_000, 49_500_000, 0),
    )
    assert standing.goal_year(years) == 2029
    assert [found.year for found in standing.standings(years, 2026)] == [2026, 2029]
    assert [found.year for found in standing.standings(years, 2029)] == [2029]  # once, not twice
    assert [found.year for found in standing.standings(years, 2031)] == [2029]  # a year the figures do not cover
    assert standing.goal_year(figures(row(2026, None, 0, 0, 0, 0))) is None
