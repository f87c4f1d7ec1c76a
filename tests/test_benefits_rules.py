"""The benefits rules, checked against hand-computed cases (pure: no app, no database)."""

import pytest

from tracker.benefits import rules, totals
from tracker.benefits.rules import MeasureInput, ReportedFigure, Thresholds
from tracker.benefits.totals import GroupInput
from tracker.periods import Quarter
from tracker.portfolio.figures import MeasurePlan

Q = Quarter.parse


def report(code, quarter, realised, forecast, approved=False, explanation="", action=""):
    period = Q(quarter)
    return ReportedFigure(code, period.year, period.number, realised, forecast, approved, explanation, action)


@pytest.mark.parametrize(
    ("reports", "as_of", "expected_forecast", "expected_realised"),
    [
        ([], "2026-Q2", 1_000_000, 0),  # no report: the plan, nothing realised
        ([("2026-Q1", 200_000, 900_000)], "2026-Q2", 900_000, 200_000),  # latest up to Q2 is Q1
        ([("2026-Q1", 200_000, 900_000), ("2026-Q2", 450_000, 950_000)], "2026-Q2", 950_000, 450_000),
        ([("2026-Q1", 200_000, 900_000), ("2026-Q3", 700_000, 800_000)], "2026-Q2", 900_000, 200_000),  # Q3 later
        ([("2026-Q4", 1_100_000, 1_100_000)], "2027-Q1", 1_100_000, 1_100_000),  # last year's final report
        ([("2026-Q2", 100_000, 300_000)], "2026-Q1", 1_000_000, 0),  # looked at before the first report
    ],
)
def test_forecast_and_realised_are_the_latest_report_up_to_the_quarter(
    reports, as_of, expected_forecast, expected_realised
):
    figures = [report("1.1", quarter, realised, forecast) for quarter, realised, forecast in reports]
    measure = MeasureInput(MeasurePlan("1.1", 1, "vedtatt", planned_savings_nok={2026: 1_000_000}))
    row, _ = rules.measure_year(measure, figures, 2026, Q(as_of))
    assert (row.forecast_nok, row.realised_nok) == (expected_forecast, expected_realised)


def test_approved_realised_is_the_latest_approved_report():
    figures = [report("1.1", "2026-Q1", 200_000, 900_000, approved=True), report("1.1", "2026-Q2", 450_000, 950_000)]
    measure = MeasureInput(MeasurePlan("1.1", 1, "vedtatt", planned_savings_nok={2026: 1_000_000}))
    row, _ = rules.measure_year(measure, figures, 2026, Q("2026-Q2"))
    assert (row.realised_nok, row.realised_approved_nok, row.latest_report) == (450_000, 200_000, "2026-Q2")


@pytest.mark.parametrize(
    ("reports", "as_of", "expected_latest", "expected_approved"),
    [
        ([], "2026-Q4", None, None),
        ([("2026-Q1", True), ("2026-Q2", False)], "2026-Q4", "2026-Q2", "2026-Q1"),
        ([("2026-Q3", True), ("2026-Q1", False)], "2026-Q2", "2026-Q1", None),  # Q3 lies after the quarter looked at
        ([("2025-Q4", True), ("2026-Q1", False)], "2026-Q4", "2026-Q1", None),  # another year's report never counts
        ([("2026-Q2", True), ("2026-Q2", False)], "2026-Q2", "2026-Q2", "2026-Q2"),  # same quarter twice: the first
    ],
)
def test_latest_and_approved_reports_of_a_year(reports, as_of, expected_latest, expected_approved):
    figures = [
        report("1.1", quarter, index, index, approved=approved) for index, (quarter, approved) in enumerate(reports)
    ]
    latest, approved = rules.latest_and_approved(figures, 2026, Q(as_of))
    assert (latest and latest.period.key, approved and approved.period.key) == (expected_latest, expected_approved)
    if latest is not None and len(figures) > 1 and figures[0].period == figures[1].period:
        assert latest is figures[0]


@pytest.mark.parametrize(
    ("planned", "forecast", "expected"),
    [
        (1_000_000, 1_000_000, False),  # on plan
        (1_000_000, 1_500_000, False),  # above plan
        (1_000_000, 900_000, False),  # exactly 10 % below: not *more than* 10 %
        (1_000_000, 899_999, True),  # 100 001 below: > 10 % and >= 100 000
        (500_000, 420_000, False),  # 16 % below but only 80 000 kr
        (500_000, 400_000, True),  # 20 % and 100 000 kr
        (5_000_000, 4_550_000, False),  # 450 000 kr but only 9 %
        (0, -200_000, True),  # planned nothing, forecast a cost of 200 000
        (0, -99_999, False),
        (-1_120_000, -1_400_000, True),  # cost-increasing (2.11): 280 000 more cost is 25 % of 1,12 mill.
        (-1_120_000, -1_200_000, False),  # 80 000 more cost: under 100 000 kr
        (-1_120_000, 0, False),  # the cost did not come: better than plan
    ],
)
def test_deviation_is_more_than_ten_percent_and_at_least_100000_below_plan(planned, forecast, expected):
    assert rules.is_deviation(planned, forecast) is expected


def test_deviation_thresholds_are_configurable():
    assert rules.is_deviation(1_000_000, 940_000, Thresholds(pct=5, min_nok=50_000))
    assert not rules.is_deviation(1_000_000, 940_000)


@pytest.mark.parametrize(
    ("forecast", "realised", "confidence", "expected"),
    [
        # Nothing realised yet: the whole forecast is weighted.
        (1_000_000, 0, "grønn", 1_000_000),
        (1_000_000, 0, "grønn/gul", 900_000),
        (1_000_000, 0, "gul", 750_000),
        (1_000_000, 0, "gul/rød", 500_000),
        (1_000_000, 0, "rød", 250_000),
        (1_000_000, 0, None, 750_000),  # no status update yet: the default weight (as "gul")
        (333_333, 0, "gul", 250_000),  # 249 999,75 rounds half up to 250 000
        # A net cost counts in full: F ≤ 0 gives F.
        (-1_120_000, 0, "rød", -1_120_000),
        (-1_120_000, -560_000, "gul", -1_120_000),
        (0, 200_000, "rød", 0),
        # Forecast at or below realised: the owner's own forecast, F.
        (3_000_000, 3_300_000, "rød", 3_000_000),
        (3_300_000, 3_300_000, "gul", 3_300_000),
        # Forecast above realised: R + w × (F − R). 4.3 in the issue: 3 300 000 + 0,75 × 200 000.
        (3_500_000, 3_300_000, "gul", 3_450_000),
        (1_000_000, 400_000, "rød", 550_000),  # 400 000 + 0,25 × 600 000
        (1_000_000, 400_000, "grønn/gul", 940_000),  # 400 000 + 0,9 × 600 000
        (1_000_000, -100_000, "gul/rød", 450_000),  # a cost so far: −100 000 + 0,5 × 1 100 000
        (333_334, 1, "gul", 250_001),  # 1 + 0,75 × 333 333 = 250 000,75, half up
    ],
)
def test_risk_adjustment_never_discounts_realised_money(forecast, realised, confidence, expected):
    assert rules.whole_nok(rules.risk_adjusted(forecast, realised, confidence)) == expected


@pytest.mark.parametrize(
    ("required", "realised", "one_off", "expected"),
    [
        (26_000_000, 20_000_000, 0, 6_000_000),  # 6 mill. short
        (26_000_000, 23_000_000, 3_000_000, 6_000_000),  # the 3 mill. one-off does not count towards next year
        (26_000_000, 27_000_000, 0, 0),  # above: nothing carried
        (0, -500_000, 0, 500_000),  # planned nothing, cost 500 000
    ],
)
def test_carried_gap_is_the_closed_years_recurring_shortfall(required, realised, one_off, expected):
    assert rules.carried_gap(required, realised, one_off) == expected


@pytest.mark.parametrize(
    ("realised", "forecast", "explanation", "action", "fields"),
    [
        (300_000, 1_000_000, "", "", set()),
        (300_000, 800_000, "", "", {"explanation", "corrective_action"}),
        (300_000, 800_000, "Forsinket", "", {"corrective_action"}),
        (300_000, 800_000, "Forsinket", "Ny plan", set()),
        (2_000_001, 1_000_000, "", "", {"realised"}),  # bound: 2 × max(plan, forecast) = 2 000 000
        (-2_000_001, 1_000_000, "", "", {"realised"}),
        (2_000_000, 1_000_000, "", "", set()),
    ],
)
def test_an_update_is_checked(realised, forecast, explanation, action, fields):
    assert set(rules.check_update(1_000_000, realised, forecast, explanation, action)) == fields


@pytest.mark.parametrize(
    ("later", "explanation", "action", "fields"),
    [
        ({2027: (2_000_000, 2_000_000)}, "", "", set()),  # later year on plan
        ({2027: (2_000_000, 1_500_000)}, "", "", {"explanation", "corrective_action"}),  # below plan
        ({2027: (2_000_000, 1_500_000)}, "Sent", "Ny plan", set()),  # the row's one explanation covers it
        ({2027: (2_000_000, 1_850_000), 2028: (2_000_000, 2_500_000)}, "", "", set()),  # 7,5 %: no deviation
    ],
)
def test_a_later_year_forecast_below_plan_needs_an_explanation(later, explanation, action, fields):
    errors = rules.check_update(1_000_000, 300_000, 1_000_000, explanation, action, later=later)
    assert set(errors) == fields
    if "explanation" in errors:
        assert errors["explanation"].startswith("Prognosen for 2027")


@pytest.mark.parametrize(
    ("realised", "one_off", "ok"),
    [
        (500_000, 0, True),
        (500_000, 500_000, True),
        (500_000, 500_001, False),
        (500_000, -1, False),
        (-300_000, -100_000, True),
        (-300_000, 100_000, False),
    ],
)
def test_the_one_off_part_lies_within_the_realised_amount(realised, one_off, ok):
    errors = rules.check_update(1_000_000, realised, 1_000_000, "", "", one_off_nok=one_off)
    assert ("one_off" not in errors) is ok


def test_realised_bound_has_a_floor_for_measures_planned_at_zero():
    assert rules.realised_bound(0, 0) == 1_000_000
    assert rules.check_update(0, 900_000, 0, "", "") == {}


def plan(code, group, savings, status="vedtatt", effect_type=None):
    """A measure whose menu (the report's figures) is its plan."""
    return MeasurePlan(
        code=code,
        group_number=group,
        status=status,
        effect_type=effect_type,
        planned_savings_nok=savings,
        menu_savings_nok=savings,
    )


YEARS = [2026, 2027]
MEASURES = [
    MeasureInput(plan("1.1", 1, {2026: 300_000, 2027: 600_000}, effect_type="Lavere volum"), "Vedtak", "grønn"),
    # Late start: nothing in 2026.
    MeasureInput(plan("2.2", 2, {2026: 0, 2027: 9_100_000}), "Sykehjem", "gul/rød"),
    # Cost-increasing: a saving of -1,12 mill. every year.
    MeasureInput(plan("2.11", 2, {2026: -1_120_000, 2027: -1_120_000}), "Lisens", None),
    # Rejected: counts nowhere, even with a report.
    MeasureInput(plan("4.2", 4, {2026: 5_000_000, 2027: 5_000_000}, status="ikke vedtatt"), "Rive", "grønn"),
    # Not yet adopted: on the menu only, not planned and not asked for figures.
    MeasureInput(plan("5.1", 5, {2026: 1_000_000, 2027: 1_000_000}, status="utredet"), "Digital", None),
]
REPORTS = [
    report("1.1", "2026-Q1", 50_000, 300_000, approved=True),
    report("1.1", "2026-Q2", 100_000, 150_000, explanation="Sent vedtak", action="Flere vedtak i høst"),
    report("2.11", "2026-Q2", -560_000, -1_400_000, approved=True, explanation="Dyrere lisens", action="Reforhandle"),
    report("4.2", "2026-Q2", 2_000_000, 5_000_000, approved=True),
]
GROUPS = [
    GroupInput(1, "Barnehage og skole", 13_500_000, {2027: 13_500_000}),
    GroupInput(2, "Helse", 17_500_000, {2027: 17_500_000}),
    GroupInput(5, "Adm"),
]


@pytest.fixture()
def figures():
    return totals.programme_figures(
        MEASURES,
        REPORTS,
        YEARS,
        Q("2026-Q2"),
        targets={2027: 10_000_000},
        groups=GROUPS,
        ledger=totals.LedgerInput(
            taken_out={("1.1", 2026): 300_000, ("4.2", 2026): 5_000_000},
            taken_out_approved={("1.1", 2026): 300_000},
        ),
    )


def test_programme_year_figures_by_hand(figures):
    y2026, y2027 = figures.years
    # planned 2026: 300 000 + 0 − 1 120 000 (4.2 rejected and 5.1 not adopted: left out)
    assert y2026.planned_nok == -820_000
    # the menu counts every measure: 300 000 + 0 − 1 120 000 + 5 000 000 (4.2) + 1 000 000 (5.1)
    assert y2026.menu_nok == 5_180_000
    # forecast 2026: 150 000 (1.1, Q2) + 0 (2.2, plan) − 1 400 000 (2.11)
    assert y2026.forecast_nok == -1_250_000
    # risk: 1.1 R 100 000 + 1,00 × 50 000; 2.2 0; 2.11 a cost in full
    assert y2026.risk_adjusted_forecast_nok == -1_250_000
    assert y2026.realised_nok == 100_000 - 560_000
    assert y2026.realised_approved_nok == 50_000 - 560_000
    assert (y2026.taken_out_nok, y2026.taken_out_approved_nok) == (300_000, 300_000)
    assert (y2026.target_nok, y2026.gap_nok, y2026.carried_gap_nok) == (None, None, None)
    # 2027: no reports for 2027 yet, so every forecast is the plan.
    assert y2027.planned_nok == y2027.forecast_nok == 600_000 + 9_100_000 - 1_120_000
    # risk 2027: 600 000 + 9 100 000 × 0,5 − 1 120 000
    assert y2027.risk_adjusted_forecast_nok == 4_030_000
    assert y2027.realised_nok == 0
    assert (y2027.target_nok, y2027.gap_nok) == (10_000_000, 10_000_000 - 8_580_000)
    assert y2027.menu_nok == 600_000 + 9_100_000 - 1_120_000 + 5_000_000 + 1_000_000


def test_group_figures_are_measured_against_the_groups_requirement_for_the_year(figures):
    group2 = next(group for group in figures.groups if group.number == 2)
    assert group2.year(2026).forecast_nok == -1_400_000
    assert group2.year(2026).target_nok is None
    assert group2.year(2027).forecast_nok == 9_100_000 - 1_120_000
    assert group2.year(2027).gap_nok == 17_500_000 - 7_980_000
    group5 = next(group for group in figures.groups if group.number == 5)
    assert group5.year(2027).gap_nok is None  # no requirement: no gap
    assert [group.number for group in figures.groups] == [1, 2, 5]


def test_effect_type_rows_put_unknown_last(figures):
    assert [row.effect_type for row in figures.effect_types] == ["Lavere volum", "Ikke angitt"]
    assert figures.effect_types[1].year(2026).forecast_nok == -1_400_000
    # The menu of the unknown type: 0 (2.2) − 1 120 000 (2.11) + 5 000 000 (4.2) + 1 000 000 (5.1).
    assert figures.effect_types[1].year(2026).menu_nok == 4_880_000


def test_deviations_carry_the_explanation_of_the_latest_report(figures):
    assert [(d.code, d.year, d.shortfall_nok) for d in figures.deviations] == [
        ("1.1", 2026, 150_000),
        ("2.11", 2026, 280_000),
    ]
    assert figures.deviations[0].explanation == "Sent vedtak"
    assert figures.deviations[1].corrective_action == "Reforhandle"


def test_a_measure_stays_flagged_until_a_later_forecast_removes_the_deviation():
    later = [*REPORTS, report("1.1", "2026-Q3", 200_000, 290_000)]
    at_q2 = totals.programme_figures(MEASURES, later, YEARS, Q("2026-Q2"))
    at_q3 = totals.programme_figures(MEASURES, later, YEARS, Q("2026-Q3"))
    assert "1.1" in {d.code for d in at_q2.deviations}
    assert "1.1" not in {d.code for d in at_q3.deviations}


def test_missing_updates_are_adopted_measures_with_a_plan_that_year_and_no_report(figures):
    # 1.1 and 2.11 reported in Q2; 2.2 plans nothing in 2026; 4.2 (rejected) and 5.1 (not adopted) are not asked.
    assert figures.missing_updates == ()
    in_2027 = totals.programme_figures(MEASURES, REPORTS, YEARS, Q("2027-Q1"))
    assert in_2027.missing_updates == ("1.1", "2.2", "2.11")


@pytest.mark.parametrize(
    ("status", "savings", "expected"),
    [
        ("vedtatt", {2026: 300_000}, True),
        ("under gjennomføring", {2026: -1_120_000}, True),  # a cost is reported too
        ("gjennomført", {2026: 300_000}, True),
        ("vedtatt", {2026: 0, 2027: 9_100_000}, False),  # starts late
        ("utredet", {2026: 300_000}, False),
        ("avbrutt", {2026: 300_000}, False),
    ],
)
def test_who_owes_figures_for_a_quarter(status, savings, expected):
    assert rules.expects_report(plan("x", 1, savings, status=status), Q("2026-Q3")) is expected


def test_measure_rows_mark_the_latest_report_and_deviation(figures):
    row = next(m for m in figures.measures if m.code == "1.1" and m.year == 2026)
    assert (row.latest_report, row.is_deviation, row.realised_approved_nok) == ("2026-Q2", True, 50_000)
    late = next(m for m in figures.measures if m.code == "2.2" and m.year == 2026)
    assert (late.planned_nok, late.forecast_nok, late.latest_report, late.is_deviation) == (0, 0, None, False)
