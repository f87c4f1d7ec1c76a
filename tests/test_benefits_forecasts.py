"""Forecasts for later years, the decision model, one-off savings and the carried gap (pure rules, by hand)."""

import pytest

from tracker.benefits import rules, totals
from tracker.benefits.rules import LaterForecast, MeasureInput, ReportedFigure
from tracker.periods import Quarter
from tracker.portfolio.figures import MeasurePlan

Q = Quarter.parse
PLAN = {2026: 1_000_000, 2027: 2_000_000, 2028: 2_000_000}


def measure(status="vedtatt", code="1.1", savings=None, confidence=None):
    savings = savings or PLAN
    plan = MeasurePlan(code, 1, status, planned_savings_nok=savings, menu_savings_nok=savings)
    return MeasureInput(plan, f"Tiltak {code}", confidence)


def report(quarter, realised, forecast, one_off=0, code="1.1"):
    period = Q(quarter)
    return ReportedFigure(code, period.year, period.number, realised, forecast, False, "", "", one_off)


def later(made_in, year, forecast, code="1.1"):
    period = Q(made_in)
    return LaterForecast(code, year, period.year, period.number, forecast, "Forklart", "Tiltak")


LATER = (later("2026-Q2", 2027, 1_500_000), later("2026-Q3", 2027, 1_800_000), later("2026-Q3", 2028, 2_400_000))


@pytest.mark.parametrize(
    ("as_of", "reports", "year", "expected_forecast", "expected_source"),
    [
        ("2026-Q1", [], 2027, 2_000_000, None),  # no forecast yet: the plan
        ("2026-Q2", [], 2027, 1_500_000, "2026-Q2"),  # the Q2 forecast for 2027
        ("2026-Q3", [], 2027, 1_800_000, "2026-Q3"),  # replaced by the newer one
        ("2026-Q4", [], 2027, 1_800_000, "2026-Q3"),  # Q4 gave none for 2027: Q3's stands
        ("2027-Q1", [("2027-Q1", 300_000, 1_900_000)], 2027, 1_900_000, "2027-Q1"),  # a report about 2027 wins
        ("2026-Q4", [], 2028, 2_400_000, "2026-Q3"),
    ],
)
def test_the_newest_forecast_for_a_year_stands_until_replaced(as_of, reports, year, expected_forecast, expected_source):
    own = [report(*item) for item in reports]
    extra = rules.YearInput(later=LATER)
    row, _ = rules.measure_year(measure(), own, year, Q(as_of), extra)
    assert (row.forecast_nok, row.latest_report) == (expected_forecast, expected_source)


def test_a_later_year_forecast_below_plan_is_a_deviation_quoting_its_report():
    figures = totals.programme_figures(
        [measure()], [], [2026, 2027], Q("2026-Q3"), ledger=totals.LedgerInput(later=LATER)
    )
    # 2027: 1 800 000 against a plan of 2 000 000 is 10 % below, not more: no deviation; Q2's 1 500 000 was one.
    assert figures.deviations == ()
    at_q2 = totals.programme_figures(
        [measure()], [], [2026, 2027], Q("2026-Q2"), ledger=totals.LedgerInput(later=LATER)
    )
    deviation = at_q2.deviations[0]
    assert (deviation.year, deviation.shortfall_nok, deviation.reported_quarter) == (2027, 500_000, "2026-Q2")
    assert (deviation.explanation, deviation.corrective_action) == ("Forklart", "Tiltak")
    # The later-year forecast moves that year's forecast and gap.
    row = at_q2.year(2027)
    assert (row.planned_nok, row.forecast_nok) == (2_000_000, 1_500_000)


@pytest.mark.parametrize(
    ("status", "planned", "forecast", "realised", "counts"),
    [
        ("vedtatt", 1_000_000, 950_000, 300_000, True),
        ("under gjennomføring", 1_000_000, 950_000, 300_000, True),
        ("gjennomført", 1_000_000, 950_000, 300_000, True),
        ("avbrutt", 0, 300_000, 300_000, True),  # keeps what it realised; no plan, forecast = realised
        ("utredet", 0, 0, 0, False),  # only on the menu
        ("ikke vedtatt", 0, 0, 0, False),
    ],
)
def test_only_adopted_measures_are_planned_and_avbrutt_keeps_what_it_realised(
    status, planned, forecast, realised, counts
):
    reports = [report("2026-Q2", 300_000, 950_000)]
    figures = totals.programme_figures([measure(status)], reports, [2026], Q("2026-Q2"))
    row = figures.year(2026)
    assert (row.planned_nok, row.forecast_nok, row.realised_nok, row.menu_nok) == (
        planned,
        forecast,
        realised,
        1_000_000,
    )
    assert bool(figures.measures) is counts
    assert figures.deviations == ()


def test_a_fresh_portfolio_plans_nothing_and_shows_the_menu():
    measures = [measure("utredet", "1.1"), measure("utredet", "1.2", {2026: 2_500_000, 2027: 7_100_000})]
    figures = totals.programme_figures(measures, [], [2026, 2027], Q("2026-Q1"), targets={2027: 5_000_000})
    y2027 = figures.year(2027)
    assert (y2027.planned_nok, y2027.forecast_nok, y2027.menu_nok) == (0, 0, 9_100_000)
    assert y2027.gap_nok == 5_000_000  # target − forecast: nothing adopted, nothing forecast


def test_a_closed_years_recurring_shortfall_is_carried_into_the_next_year():
    """2026 closed: target 1 200 000, realised 900 000 of which 200 000 one-off: 500 000 carried into 2027."""
    reports = [report("2026-Q4", 900_000, 900_000, one_off=200_000)]
    ledger = totals.LedgerInput(closed_years=frozenset({2026}))
    figures = totals.programme_figures(
        [measure()], reports, [2026, 2027], Q("2027-Q1"), targets={2026: 1_200_000}, ledger=ledger
    )
    y2026, y2027 = figures.years
    assert (y2026.one_off_nok, y2026.carried_gap_nok) == (200_000, None)
    assert y2027.carried_gap_nok == 500_000
    # gap_nok stays target − forecast (2027 has no target).
    assert y2027.gap_nok is None
    # Per measure: against its own plan, 1 000 000 − (900 000 − 200 000).
    row = next(m for m in figures.measures if m.year == 2027)
    assert row.carried_gap_nok == 300_000
    # Not closed: nothing carried.
    open_year = totals.programme_figures([measure()], reports, [2026, 2027], Q("2027-Q1"), targets={2026: 1_200_000})
    assert open_year.year(2027).carried_gap_nok is None


def test_without_a_target_the_closed_years_plan_is_what_it_had_to_deliver():
    reports = [report("2026-Q4", 600_000, 600_000)]
    ledger = totals.LedgerInput(closed_years=frozenset({2026}))
    figures = totals.programme_figures([measure()], reports, [2026, 2027], Q("2027-Q2"), ledger=ledger)
    assert figures.year(2027).carried_gap_nok == 400_000  # plan 1 000 000 − realised 600 000
